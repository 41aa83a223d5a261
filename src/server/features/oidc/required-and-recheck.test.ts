import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { request } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import type { TestBrowser } from '../../../../test/helpers/oidc-provider.ts';
import {
  type OidcWorld,
  person,
  signInThroughProvider,
  startOidcWorld,
} from '../../../../test/helpers/oidc-world.ts';
import { auditEvents } from '../audit/tables.ts';
import { digestSecret } from '../tenancy/credentials.ts';
import { invitations, sessions } from '../tenancy/tables.ts';
import { oidcIdentities, oidcSessions } from './tables.ts';

/**
 * docs/rules.md "Sign-in through the identity provider": OIDC_REQUIRED (password sign-in only for the
 * first-run owner, invitations through the provider) and the hourly re-check of a provider session,
 * against a real provider, on this file's database.
 */

let world: OidcWorld;
let owner: make.User;
let workspace: make.Workspace;
let ownerToken: string;

before(async () => {
  world = await startOidcWorld(
    [
      person('owner-sub', 'owner@example.test'),
      person('nina-sub', 'nina.personal@example.test'),
      person('leo-sub', 'leo@example.test'),
    ],
    { OIDC_REQUIRED: 'true' },
  );
  // The first account made is the first-run owner.
  owner = await make.createUser(world.t.db, { email: 'owner@example.test' });
  workspace = await make.createWorkspace(world.t.db);
  await make.addWorkspaceMember(world.t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  ownerToken = await make.createApiToken(world.t.db, { userId: owner.id });
  await make.createUser(world.t.db, { email: 'leo@example.test' });
});
after(() => world.close());

const passwordSignIn = (email: string) =>
  world.t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email, password: make.TEST_PASSWORD },
  });

describe('OIDC_REQUIRED=true', () => {
  test('password sign-in is refused for everyone but the first-run owner', async () => {
    const refused = await passwordSignIn('leo@example.test');
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json().error.message, /sign in with Test IdP/);
    assert.equal(refused.cookies.length, 0);
    const unknown = await passwordSignIn('nobody@example.test');
    assert.equal(unknown.statusCode, 403, 'the same answer for an unknown e-mail');
    const ownerIn = await passwordSignIn('OWNER@example.test');
    assert.equal(ownerIn.statusCode, 200, 'the first-run owner keeps a way in');
  });

  test('the sign-in page learns that passwords are for the first-run owner only', async () => {
    const response = await world.t.app.inject({ method: 'GET', url: '/auth/oidc' });
    assert.equal(response.json().password_sign_in, 'first_run_owner_only');
  });

  test('an invitation is accepted through the provider only, and links the person it names', async () => {
    const invited = await request(
      world.t.app,
      { bearer: ownerToken },
      {
        method: 'POST',
        url: `/admin/w/${workspace.slug}/people`,
        payload: { email: 'nina@example.test', display_name: 'Nina', workspace_role: 'readonly' },
      },
    );
    assert.equal(invited.statusCode, 201, invited.body);
    const token = new URL(invited.json().invitation_url).pathname.split('/').pop() ?? '';
    const withPassword = await world.t.app.inject({
      method: 'POST',
      url: `/invitations/${token}`,
      payload: { password: 'a long enough password' },
    });
    assert.equal(withPassword.statusCode, 403);
    // Nina's account at the provider has another e-mail: the invitation, not the e-mail, names her.
    const done = await signInThroughProvider(
      world,
      'nina-sub',
      `/auth/oidc/start?${new URLSearchParams({ invitation: token })}`,
    );
    assert.equal(done.url, `${world.baseUrl}/admin`);
    const me = await done.browser.send(`${world.baseUrl}/api/session`, {
      headers: { accept: 'application/json' },
    });
    assert.equal((await me.json()).user.email, 'nina@example.test');
    const [used] = await world.t.db
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, digestSecret(token)));
    assert.ok(used?.usedAt, 'the invitation is used up');
    const [identity] = await world.t.db
      .select()
      .from(oidcIdentities)
      .where(eq(oidcIdentities.subject, 'nina-sub'));
    assert.equal(identity?.linkedVia, 'invitation');
    const accepted = await world.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'invitation.accepted'));
    assert.equal(accepted.length, 1);
    // The link works once.
    const again = await signInThroughProvider(
      world,
      'nina-sub',
      `/auth/oidc/start?${new URLSearchParams({ invitation: token })}`,
    );
    assert.equal(again.url, `${world.baseUrl}/sign-in/refused?reason=invitation_gone`);
  });
});

describe('a provider session is re-checked with the provider at least hourly', () => {
  async function dueNow(browser: TestBrowser) {
    const [row] = await world.t.db
      .select()
      .from(oidcSessions)
      .innerJoin(sessions, eq(sessions.id, oidcSessions.sessionId));
    assert.ok(
      row,
      `a provider session for ${browser.cookie(world.baseUrl, 'tp_session') ? 'the browser' : '?'}`,
    );
    await world.t.db.update(oidcSessions).set({ recheckDueAt: new Date(Date.now() - 1000) });
  }
  const session = (browser: TestBrowser) =>
    browser.send(`${world.baseUrl}/api/session`, { headers: { accept: 'application/json' } });

  test('the provider still says yes: the session goes on and the next check is an hour ahead', async () => {
    await world.t.db.delete(sessions);
    const { browser } = await signInThroughProvider(world, 'leo-sub');
    const before = (await world.t.db.select().from(oidcSessions))[0]?.refreshToken;
    await dueNow(browser);
    assert.equal((await session(browser)).status, 200);
    const [row] = await world.t.db.select().from(oidcSessions);
    assert.ok(row && row.recheckDueAt.getTime() > Date.now() + 59 * 60_000, 'due again in an hour');
    assert.ok(row.checkedAt.getTime() > Date.now() - 10_000);
    assert.ok(before && row.refreshToken?.split('.').length === 3, 'a refresh token, sealed');
  });

  test('the grant revoked at the provider: the session ends at its next check (401), and the audit log says why', async () => {
    await world.t.db.delete(sessions);
    const { browser } = await signInThroughProvider(world, 'leo-sub');
    assert.equal((await session(browser)).status, 200);
    await world.provider.revokeGrants('leo-sub');
    assert.equal(
      (await session(browser)).status,
      200,
      'not yet due: the provider is not asked on every request',
    );
    await dueNow(browser);
    assert.equal((await session(browser)).status, 401);
    assert.deepEqual(await world.t.db.select().from(sessions), [], 'the session row is gone');
    const ended = await world.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'session.ended_by_provider'));
    assert.equal(ended.length, 1);
    assert.equal((ended[0]?.after as { reason?: string } | undefined)?.reason, 'invalid_grant');
    // A browser navigation goes to the sign-in page.
    const page = await browser.send(`${world.baseUrl}/admin`);
    assert.equal(page.status, 302);
    assert.match(page.headers.get('location') ?? '', /^\/sign-in/);
  });

  test('a person removed at the provider loses access the same way', async () => {
    await world.t.db.delete(sessions);
    const { browser } = await signInThroughProvider(world, 'leo-sub');
    await world.provider.setPeople([
      person('owner-sub', 'owner@example.test'),
      person('nina-sub', 'nina.personal@example.test'),
    ]);
    try {
      await dueNow(browser);
      assert.equal((await session(browser)).status, 401);
    } finally {
      await world.provider.setPeople([
        person('owner-sub', 'owner@example.test'),
        person('nina-sub', 'nina.personal@example.test'),
        person('leo-sub', 'leo@example.test'),
      ]);
    }
  });

  test('a password session is never sent to the provider', async () => {
    await world.t.db.delete(sessions);
    const ownerIn = await passwordSignIn('owner@example.test');
    const cookie = ownerIn.cookies.find((c) => c.name === 'tp_session')?.value ?? '';
    assert.deepEqual(await world.t.db.select().from(oidcSessions), []);
    const me = await world.t.app.inject({
      method: 'GET',
      url: '/api/session',
      cookies: { tp_session: cookie },
    });
    assert.equal(me.statusCode, 200);
  });
});
