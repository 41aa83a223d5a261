import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import {
  type BrowserSession,
  type Credential,
  request,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { auditEvents } from '../audit/tables.ts';
import { sessions, users } from '../tenancy/tables.ts';
import { describeDevice } from './rules.ts';

/** docs/rules.md "Sessions": your sessions (device, address, last seen), ending them; an owner's hand. */
let t: TestApp;

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

before(async () => {
  t = await startTestApp({ TENANTPILOT_TRUST_PROXY: 'true' });
});

after(() => t.close());

/** Signs in from a given browser and address, as the SPA would hold the session. */
async function signInFrom(email: string, userAgent: string, address: string): Promise<BrowserSession> {
  const answer = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    headers: { 'user-agent': userAgent, 'x-forwarded-for': address },
    payload: { email, password: make.TEST_PASSWORD },
  });
  assert.equal(answer.statusCode, 200, answer.body);
  const cookie = answer.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const session = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
  const jar = [cookie, ...session.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
  return { cookie: jar, csrfToken: session.json().csrf_token };
}

const listMine = (credential: Credential) =>
  request(t.app, credential, { method: 'GET', url: '/admin/me/sessions' });
const stillSignedIn = async (session: BrowserSession) =>
  (await request(t.app, { session }, { method: 'GET', url: '/admin/me' })).statusCode === 200;

describe('your sessions', () => {
  test('lists every signed-in browser with its device, address and last use; this one is marked', async () => {
    const user = await make.createUser(t.db);
    const laptop = await signInFrom(user.email, CHROME_WINDOWS, '203.0.113.7');
    const phone = await signInFrom(user.email, SAFARI_IPHONE, '198.51.100.23');
    const answer = await listMine({ session: laptop });
    assert.equal(answer.statusCode, 200);
    const { items, next_cursor } = answer.json();
    assert.equal(next_cursor, null);
    assert.deepEqual(
      items.map((item: Record<string, unknown>) => [item.device, item.client_address, item.current]),
      [
        ['Safari on iPhone', '198.51.100.23', false],
        ['Chrome on Windows', '203.0.113.7', true],
      ],
    );
    assert.equal(items[1].user_agent, CHROME_WINDOWS);
    assert.ok(items[0].last_seen_at);
    assert.ok(Date.parse(items[0].expires_at) > Date.now());
    const digests = (await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).map((s) => s.id);
    for (const digest of digests)
      assert.ok(!answer.body.includes(digest), 'no cookie digest leaves the server');
    assert.ok(await stillSignedIn(phone));
  });

  test('last use is written at most once a minute per session', async () => {
    const user = await make.createUser(t.db);
    const session = await signInFrom(user.email, CHROME_WINDOWS, '203.0.113.8');
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
    await t.db.update(sessions).set({ lastSeenAt: fiveMinutesAgo }).where(eq(sessions.userId, user.id));
    await listMine({ session });
    const [seen] = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    assert.ok(seen?.lastSeenAt && seen.lastSeenAt > fiveMinutesAgo, 'refreshed after a quiet minute');
    await listMine({ session });
    await listMine({ session });
    const [again] = await t.db.select().from(sessions).where(eq(sessions.userId, user.id));
    assert.equal(
      again?.lastSeenAt?.getTime(),
      seen?.lastSeenAt?.getTime(),
      'not rewritten within the minute',
    );
  });

  test('ending another session signs that browser out at once and is audited; ending it again is 404', async () => {
    const user = await make.createUser(t.db);
    const laptop = await signInFrom(user.email, CHROME_WINDOWS, '203.0.113.9');
    const phone = await signInFrom(user.email, SAFARI_IPHONE, '198.51.100.9');
    const phoneId = (await listMine({ session: laptop }))
      .json()
      .items.find((s: { current: boolean }) => !s.current).id;
    const end = () =>
      request(t.app, { session: laptop }, { method: 'DELETE', url: `/admin/me/sessions/${phoneId}` });
    const ended = await end();
    assert.equal(ended.statusCode, 204);
    assert.equal(ended.cookies.length, 0, 'this browser keeps its cookie');
    assert.equal(await stillSignedIn(phone), false);
    assert.equal(await stillSignedIn(laptop), true);
    assert.equal((await end()).statusCode, 404);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'session.ended'), eq(auditEvents.actorUserId, user.id)));
    assert.deepEqual(event?.after, { session_id: phoneId, device: 'Safari on iPhone' });
  });

  test("someone else's session, a malformed or unknown id: the same 404, and nothing ends", async () => {
    const user = await make.createUser(t.db);
    const other = await make.createUser(t.db);
    const mine = await signInFrom(user.email, CHROME_WINDOWS, '203.0.113.10');
    const theirs = await signInFrom(other.email, CHROME_WINDOWS, '203.0.113.11');
    const theirId = (await listMine({ session: theirs })).json().items[0].id;
    for (const id of [String(theirId), 'abc', '-1', '99999999999999999999', '2147483647']) {
      const answer = await request(
        t.app,
        { session: mine },
        { method: 'DELETE', url: `/admin/me/sessions/${id}` },
      );
      assert.equal(answer.statusCode, 404, id);
      assert.deepEqual(answer.json(), { error: { code: 'not_found', message: 'Not found' } });
    }
    assert.equal(await stillSignedIn(theirs), true);
  });

  test('ending the current session is a sign-out: the cookie is cleared', async () => {
    const user = await make.createUser(t.db);
    const session = await signInFrom(user.email, CHROME_WINDOWS, '203.0.113.12');
    const id = (await listMine({ session })).json().items[0].id;
    const answer = await request(t.app, { session }, { method: 'DELETE', url: `/admin/me/sessions/${id}` });
    assert.equal(answer.statusCode, 204);
    assert.ok(answer.cookies.some((c) => c.name === 'tp_session' && c.value === ''));
    assert.equal(await stillSignedIn(session), false);
  });

  test('signing out everywhere else keeps this session and says how many ended', async () => {
    const user = await make.createUser(t.db);
    const here = await signInFrom(user.email, CHROME_WINDOWS, '203.0.113.13');
    const a = await signInFrom(user.email, SAFARI_IPHONE, '198.51.100.13');
    const b = await signInFrom(user.email, SAFARI_IPHONE, '198.51.100.14');
    const answer = await request(
      t.app,
      { session: here },
      {
        method: 'POST',
        url: '/admin/me/sessions/actions/end-others',
      },
    );
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.json(), { ended: 2 });
    assert.equal(await stillSignedIn(here), true);
    assert.equal(await stillSignedIn(a), false);
    assert.equal(await stillSignedIn(b), false);
    assert.equal((await listMine({ session: here })).json().items.length, 1);
  });

  test('pages by cursor, newest first', async () => {
    const user = await make.createUser(t.db);
    const sessionsMade: BrowserSession[] = [];
    for (let i = 0; i < 3; i++)
      sessionsMade.push(await signInFrom(user.email, CHROME_WINDOWS, `192.0.2.${i + 1}`));
    const credential: Credential = { session: sessionsMade[0] as BrowserSession };
    const first = (
      await request(t.app, credential, { method: 'GET', url: '/admin/me/sessions?limit=2' })
    ).json();
    assert.equal(first.items.length, 2);
    const second = (
      await request(t.app, credential, {
        method: 'GET',
        url: `/admin/me/sessions?limit=2&cursor=${first.next_cursor}`,
      })
    ).json();
    assert.deepEqual(
      [...first.items, ...second.items].map((s: { client_address: string }) => s.client_address),
      ['192.0.2.3', '192.0.2.2', '192.0.2.1'],
    );
    assert.equal(second.next_cursor, null);
  });
});

describe("an owner and a member's sessions", () => {
  test('an owner lists and ends every session of a member: signed out at once, tokens untouched, audited in the workspace', async () => {
    const workspace = await make.createWorkspace(t.db);
    const owner = await make.createUser(t.db);
    const member = await make.createUser(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
    await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: member.id, role: 'operator' });
    const ownerSession = await signInFrom(owner.email, CHROME_WINDOWS, '203.0.113.20');
    const memberSessions = [
      await signInFrom(member.email, CHROME_WINDOWS, '203.0.113.21'),
      await signInFrom(member.email, SAFARI_IPHONE, '198.51.100.21'),
    ];
    const memberToken = await make.createApiToken(t.db, { userId: member.id });
    const base = `/admin/w/${workspace.slug}/people/${member.id}`;
    const listed = await request(
      t.app,
      { session: ownerSession },
      { method: 'GET', url: `${base}/sessions` },
    );
    assert.equal(listed.statusCode, 200);
    assert.deepEqual(
      listed.json().items.map((s: { device: string; current: boolean }) => [s.device, s.current]),
      [
        ['Safari on iPhone', false],
        ['Chrome on Windows', false],
      ],
    );
    const ended = await request(
      t.app,
      { session: ownerSession },
      { method: 'POST', url: `${base}/actions/end-sessions` },
    );
    assert.equal(ended.statusCode, 200);
    assert.deepEqual(ended.json(), { ended: 2 });
    for (const session of memberSessions) assert.equal(await stillSignedIn(session), false);
    assert.equal(
      (await request(t.app, { bearer: memberToken }, { method: 'GET', url: '/admin/me' })).statusCode,
      200,
    );
    assert.equal(await stillSignedIn(ownerSession), true);
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, 'user.sessions_ended'), eq(auditEvents.subjectId, String(member.id))),
      );
    assert.equal(event?.workspaceId, workspace.id);
    assert.equal(event?.actorUserId, owner.id);
    assert.deepEqual(event?.after, { ended: 2 });
  });

  test("a person outside the workspace is its 404, whoever's sessions they are", async () => {
    const workspace = await make.createWorkspace(t.db);
    const owner = await make.createUser(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
    const stranger = await make.createUser(t.db);
    const strangerSession = await signInFrom(stranger.email, CHROME_WINDOWS, '203.0.113.30');
    const answer = await request(
      t.app,
      { bearer: await make.createApiToken(t.db, { userId: owner.id }) },
      {
        method: 'POST',
        url: `/admin/w/${workspace.slug}/people/${stranger.id}/actions/end-sessions`,
      },
    );
    assert.equal(answer.statusCode, 404);
    assert.equal(await stillSignedIn(strangerSession), true);
  });

  test('deactivating a person ends their sessions at once (their rows go too)', async () => {
    const user = await make.createUser(t.db);
    const session = await signInFrom(user.email, CHROME_WINDOWS, '203.0.113.40');
    await t.db.update(users).set({ active: false }).where(eq(users.id, user.id));
    assert.equal(await stillSignedIn(session), false);
  });
});

describe('describeDevice', () => {
  test('names the browser and the system, or says it does not know', () => {
    assert.equal(describeDevice(CHROME_WINDOWS), 'Chrome on Windows');
    assert.equal(describeDevice(SAFARI_IPHONE), 'Safari on iPhone');
    assert.equal(
      describeDevice('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'),
      'Firefox on Linux',
    );
    assert.equal(
      describeDevice(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      ),
      'Edge on macOS',
    );
    assert.equal(describeDevice('curl/8.5.0'), 'curl');
    assert.equal(describeDevice(null), 'Unknown device');
    assert.equal(describeDevice('something else'), 'Unknown device');
  });
});
