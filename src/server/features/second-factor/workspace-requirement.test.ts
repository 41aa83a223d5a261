import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import {
  type Credential,
  request,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { enrolTotp, totpCode } from '../../../../test/helpers/second-factor.ts';
import { auditEvents } from '../audit/tables.ts';
import { oidcIdentities, oidcSessions } from '../oidc/tables.ts';
import { digestSecret } from '../tenancy/credentials.ts';
import { workspaces } from '../tenancy/tables.ts';

/**
 * docs/rules.md "Second factor": an owner requires a second factor of a workspace's members; a member without
 * one gets 403 `second_factor_enrolment_required` from every page and tenant of that workspace (after its
 * 404, before the role's 403) until they enrol; their account pages and other workspaces stay open.
 */
let t: TestApp;

before(async () => {
  t = await startTestApp();
});

after(() => t.close());

async function world() {
  const workspace = await make.createWorkspace(t.db);
  const other = await make.createWorkspace(t.db);
  const tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  const otherTenant = await make.createTenant(t.db, { workspaceId: other.id });
  const owner = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  const member = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant, userId: member.id, role: 'readonly' });
  await make.addTenantMember(t.db, { tenant: otherTenant, userId: member.id, role: 'readonly' });
  const run = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id });
  const bearer = async (userId: number): Promise<Credential> => ({
    bearer: await make.createApiToken(t.db, { userId }),
  });
  return {
    workspace,
    other,
    tenant,
    otherTenant,
    owner,
    member,
    run,
    ownerToken: await bearer(owner.id),
    memberToken: await bearer(member.id),
  };
}

const setRequirement = (credential: Credential, slug: string, required: boolean) =>
  request(t.app, credential, {
    method: 'PATCH',
    url: `/admin/w/${slug}/security`,
    payload: { require_second_factor: required },
  });

const get = (credential: Credential, url: string) => request(t.app, credential, { method: 'GET', url });

describe('requiring a second factor', () => {
  test('an owner without an authenticator cannot require one (409), and nothing changes', async () => {
    const w = await world();
    const answer = await setRequirement(w.ownerToken, w.workspace.slug, true);
    assert.equal(answer.statusCode, 409);
    const [row] = await t.db.select().from(workspaces).where(eq(workspaces.id, w.workspace.id));
    assert.equal(row?.requireSecondFactor, false);
  });

  test('an owner with one requires it: audited, counted, and shown in the session', async () => {
    const w = await world();
    await enrolTotp(t.db, w.owner.id);
    const answer = await setRequirement(w.ownerToken, w.workspace.slug, true);
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.json(), {
      require_second_factor: true,
      members: 2,
      members_without_second_factor: 1,
      people_without_second_factor: [
        { user_id: w.member.id, display_name: w.member.displayName, email: w.member.email },
      ],
    });
    assert.deepEqual(
      (await get(w.ownerToken, `/admin/w/${w.workspace.slug}/security`)).json(),
      answer.json(),
    );
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'workspace.second_factor_requirement_changed'),
          eq(auditEvents.workspaceId, w.workspace.id),
        ),
      );
    assert.deepEqual(event?.before, { require_second_factor: false });
    assert.deepEqual(event?.after, { require_second_factor: true });
    // Setting what is already set changes nothing and records nothing.
    await setRequirement(w.ownerToken, w.workspace.slug, true);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'workspace.second_factor_requirement_changed'),
          eq(auditEvents.workspaceId, w.workspace.id),
        ),
      );
    assert.equal(events.length, 1);

    const session = await get(w.memberToken, '/api/session');
    const seen = session.json().workspaces.find((ws: { slug: string }) => ws.slug === w.workspace.slug);
    assert.equal(seen.require_second_factor, true);
    assert.equal(session.json().second_factor_enrolled, false);
  });

  test('a member without one: 403 second_factor_enrolment_required everywhere in the workspace, until they enrol', async () => {
    const w = await world();
    await enrolTotp(t.db, w.owner.id);
    await setRequirement(w.ownerToken, w.workspace.slug, true);
    const inWorkspace = [
      `/admin/w/${w.workspace.slug}`,
      `/admin/w/${w.workspace.slug}/people`,
      `/admin/t/${w.tenant.externalId}`,
      `/admin/t/${w.tenant.externalId}/findings`,
      `/admin/operations/${w.run.id}`,
    ];
    for (const url of inWorkspace) {
      const answer = await get(w.memberToken, url);
      assert.equal(answer.statusCode, 403, url);
      assert.equal(answer.json().error.code, 'second_factor_enrolment_required', url);
      assert.match(answer.json().error.message, /requires a second factor/);
    }
    // Before the role's 403: a change their role could not make anyway says the same.
    const change = await request(t.app, w.memberToken, {
      method: 'PATCH',
      url: `/admin/w/${w.workspace.slug}/security`,
      payload: { require_second_factor: false },
    });
    assert.equal(change.json().error.code, 'second_factor_enrolment_required');
    // Their account, and a workspace that requires nothing, stay open.
    assert.equal((await get(w.memberToken, '/admin/me')).statusCode, 200);
    assert.equal(
      (await get(w.memberToken, '/admin/me/second-factor')).json().required_by[0].slug,
      w.workspace.slug,
    );
    assert.equal((await get(w.memberToken, `/admin/t/${w.otherTenant.externalId}`)).statusCode, 200);

    // Enrolling through the API opens the workspace again.
    const started = await request(t.app, w.memberToken, {
      method: 'POST',
      url: '/admin/me/second-factor/enrolment',
    });
    const { secret } = started.json();
    const confirmed = await request(t.app, w.memberToken, {
      method: 'POST',
      url: '/admin/me/second-factor/enrolment/confirm',
      payload: { totp_code: totpCode(secret) },
    });
    assert.equal(confirmed.statusCode, 200);
    for (const url of inWorkspace) assert.equal((await get(w.memberToken, url)).statusCode, 200, url);
  });

  test('a non-member still gets the one 404, not a hint that the workspace exists', async () => {
    const w = await world();
    await enrolTotp(t.db, w.owner.id);
    await setRequirement(w.ownerToken, w.workspace.slug, true);
    const stranger = await make.createUser(t.db);
    const token: Credential = { bearer: await make.createApiToken(t.db, { userId: stranger.id }) };
    for (const url of [`/admin/w/${w.workspace.slug}`, `/admin/t/${w.tenant.externalId}`]) {
      const answer = await get(token, url);
      assert.equal(answer.statusCode, 404);
      assert.deepEqual(answer.json(), { error: { code: 'not_found', message: 'Not found' } });
    }
  });

  test('a browser session is held to it too; turning the requirement off opens the workspace again', async () => {
    const w = await world();
    await enrolTotp(t.db, w.owner.id);
    await setRequirement(w.ownerToken, w.workspace.slug, true);
    const session = await signIn(t.app, w.member.email);
    const refused = await request(
      t.app,
      { session },
      { method: 'GET', url: `/admin/t/${w.tenant.externalId}` },
    );
    assert.equal(refused.statusCode, 403);
    assert.equal((await setRequirement(w.ownerToken, w.workspace.slug, false)).statusCode, 200);
    const open = await request(t.app, { session }, { method: 'GET', url: `/admin/t/${w.tenant.externalId}` });
    assert.equal(open.statusCode, 200);
  });

  test("turning one's own authenticator off is allowed; the workspace then asks again", async () => {
    const w = await world();
    const { secret } = await enrolTotp(t.db, w.member.id);
    await enrolTotp(t.db, w.owner.id);
    await setRequirement(w.ownerToken, w.workspace.slug, true);
    assert.equal((await get(w.memberToken, `/admin/t/${w.tenant.externalId}`)).statusCode, 200);
    const off = await request(t.app, w.memberToken, {
      method: 'POST',
      url: '/admin/me/second-factor/actions/disable',
      payload: { totp_code: totpCode(secret) },
    });
    assert.equal(off.statusCode, 204);
    assert.equal((await get(w.memberToken, `/admin/t/${w.tenant.externalId}`)).statusCode, 403);
  });

  test("a session started through the identity provider satisfies it (the provider's MFA stands in); a password session does not", async () => {
    const w = await world();
    await enrolTotp(t.db, w.owner.id);
    await setRequirement(w.ownerToken, w.workspace.slug, true);
    const viaProvider = await signIn(t.app, w.member.email);
    const viaPassword = await signIn(t.app, w.member.email);
    const [identity] = await t.db
      .insert(oidcIdentities)
      .values({
        issuer: 'https://idp.example.test',
        subject: `sub-${w.member.id}`,
        userId: w.member.id,
        linkedVia: 'verified_email',
      })
      .returning();
    const cookie = viaProvider.cookie.split('; ').find((pair) => pair.startsWith('tp_session=')) ?? '';
    await t.db.insert(oidcSessions).values({
      sessionId: digestSecret(cookie.slice('tp_session='.length)),
      identityId: identity?.id ?? 0,
      checkedAt: new Date(),
      recheckDueAt: new Date(Date.now() + 3_600_000),
    });
    // A tenant's route and a workspace's: each finds the caller and the scope in one statement of its own.
    for (const url of [`/admin/t/${w.tenant.externalId}`, `/admin/w/${w.workspace.slug}/people`]) {
      assert.equal((await request(t.app, { session: viaProvider }, { method: 'GET', url })).statusCode, 200);
      assert.equal((await request(t.app, { session: viaPassword }, { method: 'GET', url })).statusCode, 403);
      assert.equal(
        (await get(w.memberToken, url)).statusCode,
        403,
        'an API token is judged by the enrolment alone',
      );
    }
    const session = await request(t.app, { session: viaProvider }, { method: 'GET', url: '/api/session' });
    assert.equal(session.json().second_factor_satisfied, true);
    assert.equal(session.json().second_factor_enrolled, false);
  });
});
