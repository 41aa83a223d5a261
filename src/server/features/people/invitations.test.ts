import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { asc, eq, sql } from 'drizzle-orm';
import { NOT_FOUND } from '../../../../test/helpers/actors.ts';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { auditEvents } from '../audit/tables.ts';
import { invitations, tenants, users, workspaceMemberships } from '../tenancy/tables.ts';
import type { InvitationResult } from './schemas.ts';

/** docs/rules.md "Administration": invitations, links stored as digests, valid 7 days, single use. */
let t: TestApp;
const PUBLIC_URL = 'https://tenantpilot.example.test';
const PASSWORD = 'a perfectly fine password';

before(async () => {
  t = await startTestApp({ TENANTPILOT_PUBLIC_URL: PUBLIC_URL, TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '1000' });
});

after(() => t.close());

async function createTeam(app: TestApp = t) {
  const workspace = await make.createWorkspace(app.db, { name: 'Contoso MSP' });
  const tenant = await make.createTenant(app.db, { workspaceId: workspace.id });
  const owner = await make.createUser(app.db, { displayName: 'Olivia Owner' });
  await make.addWorkspaceMember(app.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  const token: Credential = { bearer: await make.createApiToken(app.db, { userId: owner.id }) };
  return { workspace, tenant, owner, token, people: `/admin/w/${workspace.slug}/people` };
}

type Team = Awaited<ReturnType<typeof createTeam>>;

let serial = 0;
const newEmail = () => `invitee-${++serial}-${Date.now()}@example.test`;

async function invite(team: Team, body: Record<string, unknown> = {}, app: TestApp = t) {
  const response = await request(app.app, team.token, {
    method: 'POST',
    url: team.people,
    payload: { email: newEmail(), display_name: 'Nina New', workspace_role: 'operator', ...body },
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as InvitationResult;
}

const pathOf = (result: InvitationResult) =>
  new URL(must(result.invitation_url, 'an invitation url')).pathname;
const tokenOf = (result: InvitationResult) => pathOf(result).split('/').at(-1) ?? '';
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

const accept = (path: string, password = PASSWORD) =>
  request(t.app, null, { method: 'POST', url: path, payload: { password } });

describe('inviting a new person', () => {
  test('a member, a one-time link (stored as a digest, 7 days) and an audit event without the token', async () => {
    const team = await createTeam();
    const before = Date.now();
    const result = await invite(team, {
      email: 'Nina.New@Example.test',
      tenant_roles: [{ tenant: team.tenant.externalId, role: 'manager' }],
    });
    assert.equal(result.outcome, 'invited');
    assert.equal(result.email_sent, false, 'no SMTP configured');
    assert.deepEqual(
      { ...result.person, user_id: 0 },
      {
        user_id: 0,
        email: 'Nina.New@Example.test',
        display_name: 'Nina New',
        active: true,
        workspace_role: 'operator',
        tenant_roles: [{ tenant: team.tenant.externalId, role: 'manager' }],
        last_sign_in_at: null,
        invitation_pending: true,
      },
    );
    const url = must(result.invitation_url, 'url');
    assert.match(url, /^https:\/\/tenantpilot\.example\.test\/invitations\/[A-Za-z0-9_-]{43}$/);
    const expires = Date.parse(must(result.invitation_expires_at, 'expiry'));
    assert.ok(Math.abs(expires - before - 7 * 86_400_000) < 60_000, 'valid 7 days');

    const token = tokenOf(result);
    const [stored] = await t.db
      .select()
      .from(invitations)
      .where(eq(invitations.userId, result.person.user_id));
    assert.equal(stored?.tokenHash, digest(token));
    assert.equal(stored?.invitedBy, team.owner.id);
    const [user] = await t.db.select().from(users).where(eq(users.id, result.person.user_id));
    assert.equal(user?.passwordHash, null);

    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, String(user?.id)));
    assert.deepEqual(
      events.map((event) => event.action),
      ['tenant_role.granted', 'member.invited'],
    );
    const invited = events.find((event) => event.action === 'member.invited');
    assert.deepEqual(invited?.after, {
      email: 'Nina.New@Example.test',
      display_name: 'Nina New',
      workspace_role: 'operator',
      tenant_roles: [{ tenant: team.tenant.externalId, role: 'manager' }],
      invitation_expires_at: result.invitation_expires_at,
    });
    const everything = JSON.stringify(await t.db.select().from(auditEvents));
    assert.ok(
      !everything.includes(token) && !everything.includes(digest(token)),
      'no token in the audit log',
    );
  });

  test("without TENANTPILOT_PUBLIC_URL the link starts with the request's origin", async () => {
    const bare = await startTestApp();
    try {
      const team = await createTeam(bare);
      const response = await request(bare.app, team.token, {
        method: 'POST',
        url: team.people,
        headers: { host: 'tp.internal:8443' },
        payload: { email: newEmail(), display_name: 'Nina', workspace_role: 'readonly' },
      });
      assert.equal(response.statusCode, 201, response.body);
      assert.match(response.json().invitation_url, /^http:\/\/tp\.internal:8443\/invitations\//);
    } finally {
      await bare.close();
    }
  });

  test('tenant roles name tenants of this workspace that are not archived', async () => {
    const team = await createTeam();
    const other = await createTeam();
    const count = async () =>
      (await t.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(users))[0]?.n;
    const users0 = await count();
    const unknown = await request(t.app, team.token, {
      method: 'POST',
      url: team.people,
      payload: {
        email: newEmail(),
        display_name: 'Nina',
        workspace_role: 'readonly',
        tenant_roles: [
          { tenant: team.tenant.externalId, role: 'readonly' },
          { tenant: other.tenant.externalId, role: 'readonly' },
        ],
      },
    });
    assert.equal(unknown.statusCode, 422, unknown.body);
    assert.deepEqual(unknown.json().error.fields, {
      'tenant_roles.1.tenant': 'is not a tenant of this workspace',
    });
    await t.db.update(tenants).set({ archivedAt: new Date() }).where(eq(tenants.id, team.tenant.id));
    const archived = await request(t.app, team.token, {
      method: 'POST',
      url: team.people,
      payload: {
        email: newEmail(),
        display_name: 'Nina',
        workspace_role: 'readonly',
        tenant_roles: [{ tenant: team.tenant.externalId, role: 'readonly' }],
      },
    });
    assert.equal(archived.statusCode, 409, archived.body);
    assert.equal(await count(), users0, 'nothing written');
  });
});

describe('inviting someone who already has an account', () => {
  test('they are added (any case of the e-mail): no link, nothing about their account changes', async () => {
    const team = await createTeam();
    const existing = await make.createUser(t.db, { displayName: 'Existing Person' });
    const [beforeRow] = await t.db.select().from(users).where(eq(users.id, existing.id));
    const response = await request(t.app, team.token, {
      method: 'POST',
      url: team.people,
      payload: {
        email: existing.email.toUpperCase(),
        display_name: 'Renamed By Inviter',
        workspace_role: 'manager',
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    const result = response.json() as InvitationResult;
    assert.equal(result.outcome, 'added');
    assert.equal(result.invitation_url, null);
    assert.equal(result.invitation_expires_at, null);
    assert.equal(result.email_sent, false);
    assert.equal(result.person.user_id, existing.id);
    assert.equal(result.person.display_name, 'Existing Person');
    assert.equal(result.person.workspace_role, 'manager');
    const [afterRow] = await t.db.select().from(users).where(eq(users.id, existing.id));
    assert.deepEqual(afterRow, beforeRow);
    assert.equal(
      (await t.db.select().from(invitations).where(eq(invitations.userId, existing.id))).length,
      0,
    );
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, String(existing.id)));
    assert.equal(event?.action, 'member.added');
  });

  test('a member already (active or suspended, any case) is 409, nothing written', async () => {
    const team = await createTeam();
    const member = await make.createUser(t.db);
    await make.addWorkspaceMember(t.db, {
      workspaceId: team.workspace.id,
      userId: member.id,
      role: 'readonly',
    });
    for (const suspended of [false, true]) {
      await t.db
        .update(workspaceMemberships)
        .set({ active: !suspended })
        .where(eq(workspaceMemberships.userId, member.id));
      const response = await request(t.app, team.token, {
        method: 'POST',
        url: team.people,
        payload: { email: member.email.toUpperCase(), display_name: 'X', workspace_role: 'owner' },
      });
      assert.equal(response.statusCode, 409, response.body);
    }
    const [membership] = await t.db
      .select()
      .from(workspaceMemberships)
      .where(eq(workspaceMemberships.userId, member.id));
    assert.equal(membership?.role, 'readonly');
  });

  test('an account deactivated for having no membership left is active again once added', async () => {
    const team = await createTeam();
    const former = await make.createUser(t.db, { active: false });
    const response = await request(t.app, team.token, {
      method: 'POST',
      url: team.people,
      payload: { email: former.email, display_name: 'Former', workspace_role: 'readonly' },
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal((response.json() as InvitationResult).person.active, true);
  });
});

describe('the invitation link', () => {
  test('shows whom it is for; accepting sets the password, signs in, and uses the link up', async () => {
    const team = await createTeam();
    const result = await invite(team);
    const path = pathOf(result);
    const shown = await request(t.app, null, { method: 'GET', url: path });
    assert.equal(shown.statusCode, 200, shown.body);
    assert.deepEqual(shown.json(), {
      workspace: { name: 'Contoso MSP' },
      email: result.person.email,
      display_name: 'Nina New',
      expires_at: result.invitation_expires_at,
    });

    const accepted = await accept(path);
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.deepEqual(accepted.json(), {
      user: { id: result.person.user_id, email: result.person.email, display_name: 'Nina New' },
      workspace: { slug: team.workspace.slug, name: 'Contoso MSP' },
    });
    const cookie = accepted.cookies.find((c) => c.name === 'tp_session');
    assert.ok(cookie?.httpOnly, 'a session cookie is set');
    const session = await request(t.app, null, {
      method: 'GET',
      url: '/api/session',
      headers: { cookie: `tp_session=${cookie?.value}` },
    });
    assert.equal(session.statusCode, 200, session.body);
    const signIn = await request(t.app, null, {
      method: 'POST',
      url: '/api/session',
      payload: { email: result.person.email, password: PASSWORD },
    });
    assert.equal(signIn.statusCode, 200, 'the password works');

    for (const method of ['GET', 'POST'] as const) {
      const used = await request(t.app, null, { method, url: path, payload: { password: PASSWORD } });
      assert.equal(used.statusCode, 410, used.body);
      assert.equal(used.json().error.code, 'gone');
    }
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'invitation.accepted'))
      .orderBy(asc(auditEvents.id));
    const mine = events.find((event) => event.actorUserId === result.person.user_id);
    assert.equal(mine?.workspaceId, team.workspace.id);
    assert.ok(mine?.clientAddress);
    const list = await request(t.app, team.token, { method: 'GET', url: team.people });
    const person = list.json().items.find((p: { user_id: number }) => p.user_id === result.person.user_id);
    assert.equal(person.invitation_pending, false);
    assert.ok(person.last_sign_in_at);
  });

  test('a browser navigation to an invitation or setup link gets the UI, signed in or not; JSON gets JSON', async () => {
    const team = await createTeam();
    const path = pathOf(await invite(team));
    for (const url of [path, '/invitations/unknown', '/setup/whatever']) {
      const page = await request(t.app, null, { method: 'GET', url, headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 200, `${url}: ${page.body.slice(0, 200)}`);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(String(page.headers.vary), /Accept/);
    }
    const json = await request(t.app, null, { method: 'GET', url: path });
    assert.equal(json.json().display_name, 'Nina New');
    assert.match(String(json.headers.vary), /Accept/);
  });

  test('passwords are at least 12 characters: a refused one leaves the link usable', async () => {
    const team = await createTeam();
    const path = pathOf(await invite(team));
    for (const password of ['eleven-char', '            ', 'x'.repeat(1025), 'twelve chars\u0000']) {
      const response = await accept(path, password);
      assert.equal(response.statusCode, 422, response.body);
      assert.ok(response.json().error.fields.password);
    }
    for (const payload of [{}, { password: 12 }, { password: PASSWORD, extra: true }]) {
      const response = await request(t.app, null, { method: 'POST', url: path, payload });
      assert.equal(response.statusCode, 422, response.body);
    }
    assert.equal((await accept(path, 'exactly12chr')).statusCode, 200);
  });

  test('unknown links are 404; expired, removed and suspended ones 410', async () => {
    for (const url of ['/invitations/nope', '/invitations/%00', `/invitations/${'a'.repeat(43)}`]) {
      for (const method of ['GET', 'POST'] as const) {
        // The link is judged before the body: a guessed one learns nothing from a form.
        for (const payload of [{ password: PASSWORD }, { password: 1, nope: true }]) {
          const response = await request(t.app, null, { method, url, payload });
          assert.equal(response.statusCode, 404, `${method} ${url}: ${response.body}`);
          assert.deepEqual(response.json(), NOT_FOUND);
        }
      }
    }
    const team = await createTeam();
    const expired = await invite(team);
    await t.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.tokenHash, digest(tokenOf(expired))));
    const removed = await invite(team);
    assert.equal(
      (
        await request(t.app, team.token, {
          method: 'DELETE',
          url: `${team.people}/${removed.person.user_id}`,
        })
      ).statusCode,
      204,
    );
    const suspended = await invite(team);
    await t.db
      .update(workspaceMemberships)
      .set({ active: false })
      .where(eq(workspaceMemberships.userId, suspended.person.user_id));
    for (const result of [expired, removed, suspended]) {
      for (const method of ['GET', 'POST'] as const) {
        for (const payload of [{ password: PASSWORD }, { nope: true }]) {
          const response = await request(t.app, null, { method, url: pathOf(result), payload });
          assert.equal(response.statusCode, 410, response.body);
        }
      }
    }
    const [user] = await t.db.select().from(users).where(eq(users.id, expired.person.user_id));
    assert.equal(user?.passwordHash, null, 'nothing written');
  });

  test('two accepts at once: one signs in, the other is 410', async () => {
    const team = await createTeam();
    const path = pathOf(await invite(team));
    const answers = await Promise.all([accept(path), accept(path, 'another fine password')]);
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [200, 410]);
  });
});

describe('a new link', () => {
  test('for someone who has not accepted: older links stop working, the new one works', async () => {
    const team = await createTeam();
    const first = await invite(team);
    const response = await request(t.app, team.token, {
      method: 'POST',
      url: `${team.people}/${first.person.user_id}/actions/reinvite`,
    });
    assert.equal(response.statusCode, 200, response.body);
    const second = response.json() as InvitationResult;
    assert.equal(second.outcome, 'invited');
    assert.notEqual(second.invitation_url, first.invitation_url);
    assert.equal((await request(t.app, null, { method: 'GET', url: pathOf(first) })).statusCode, 410);
    assert.equal((await accept(pathOf(first))).statusCode, 410);
    assert.equal((await accept(pathOf(second))).statusCode, 200);
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.action, 'member.reinvited'));
    assert.ok(events.some((event) => event.subjectId === String(first.person.user_id)));
  });

  test('someone who accepted, an existing user, or a suspended invitee: 409', async () => {
    const team = await createTeam();
    const accepted = await invite(team);
    await accept(pathOf(accepted));
    const existing = await make.createUser(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: team.workspace.id, userId: existing.id });
    const suspended = await invite(team);
    await t.db
      .update(workspaceMemberships)
      .set({ active: false })
      .where(eq(workspaceMemberships.userId, suspended.person.user_id));
    for (const userId of [accepted.person.user_id, existing.id, suspended.person.user_id]) {
      const response = await request(t.app, team.token, {
        method: 'POST',
        url: `${team.people}/${userId}/actions/reinvite`,
      });
      assert.equal(response.statusCode, 409, response.body);
    }
  });
});

describe('accepting is limited like sign-in', () => {
  test('failed attempts from one address fill the window: then 429 with Retry-After, even for a good link', async () => {
    const limited = await startTestApp({ TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '3' });
    try {
      const team = await createTeam(limited);
      const good = await invite(team, {}, limited);
      const tooShort = await request(limited.app, null, {
        method: 'POST',
        url: pathOf(good),
        payload: { password: 'short' },
      });
      assert.equal(tooShort.statusCode, 422, 'a refused password is not a guess');
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await request(limited.app, null, {
          method: 'POST',
          url: `/invitations/guess-${attempt}`,
          payload: { password: PASSWORD },
        });
        assert.equal(response.statusCode, 404);
      }
      const locked = await request(limited.app, null, {
        method: 'POST',
        url: pathOf(good),
        payload: { password: PASSWORD },
      });
      assert.equal(locked.statusCode, 429, locked.body);
      assert.ok(Number(locked.headers['retry-after']) > 0);
      const [user] = await limited.db.select().from(users).where(eq(users.id, good.person.user_id));
      assert.equal(user?.passwordHash, null);
    } finally {
      await limited.close();
    }
  });
});
