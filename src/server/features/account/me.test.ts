import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import {
  type BrowserSession,
  type Credential,
  request,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { auditEvents } from '../audit/tables.ts';
import { verifyPassword } from '../tenancy/credentials.ts';
import { sessions, users, workspaceMemberships } from '../tenancy/tables.ts';

/** docs/rules.md "Administration": your own account (`/admin/me`) and your password. */
let t: TestApp;

before(async () => {
  t = await startTestApp({ TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '3', TENANTPILOT_TRUST_PROXY: 'true' });
});

after(() => t.close());

const NEW_PASSWORD = 'a brand new passphrase';

async function person() {
  const user = await make.createUser(t.db);
  const session = await signIn(t.app, user.email);
  return { user, session, bearer: { bearer: await make.createApiToken(t.db, { userId: user.id }) } };
}

async function auditOf(userId: number, action: string) {
  return t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subjectId, String(userId))));
}

const countRows = async () => {
  const [row] = await t.db
    .execute(sql`select (select count(*) from audit_events) as audit`)
    .then((result) => (result as unknown as { rows: { audit: string }[] }).rows);
  return Number(row?.audit);
};

describe('GET /admin/me', () => {
  test('shows the person, their last sign-in and every workspace membership, suspended ones marked', async () => {
    const { user, session } = await person();
    const alpha = await make.createWorkspace(t.db, { name: 'Alpha MSP' });
    const beta = await make.createWorkspace(t.db, { name: 'Beta MSP' });
    await make.addWorkspaceMember(t.db, { workspaceId: alpha.id, userId: user.id, role: 'owner' });
    await make.addWorkspaceMember(t.db, { workspaceId: beta.id, userId: user.id, role: 'readonly' });
    await t.db
      .update(workspaceMemberships)
      .set({ active: false })
      .where(and(eq(workspaceMemberships.workspaceId, beta.id), eq(workspaceMemberships.userId, user.id)));

    const response = await request(t.app, { session }, { method: 'GET', url: '/admin/me' });
    assert.equal(response.statusCode, 200);
    const me = response.json();
    assert.equal(me.id, user.id);
    assert.equal(me.email, user.email);
    assert.equal(me.display_name, user.displayName);
    assert.equal(me.created_at, user.createdAt.toISOString());
    assert.ok(Date.now() - Date.parse(me.last_sign_in_at) < 60_000, 'signing in set last_sign_in_at');
    assert.deepEqual(me.workspaces, [
      { slug: alpha.slug, name: 'Alpha MSP', workspace_role: 'owner', active: true },
      { slug: beta.slug, name: 'Beta MSP', workspace_role: 'readonly', active: false },
    ]);
    assert.ok(!response.body.includes('password'), 'never the password hash');
  });

  test('someone who never signed in has last_sign_in_at null', async () => {
    const user = await make.createUser(t.db);
    const bearer = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
    const response = await request(t.app, bearer, { method: 'GET', url: '/admin/me' });
    assert.equal(response.json().last_sign_in_at, null);
    assert.deepEqual(response.json().workspaces, []);
  });
});

describe('PATCH /admin/me', () => {
  test('changes the display name, trimmed, answers the account and records the change', async () => {
    const { user, session } = await person();
    const response = await request(
      t.app,
      { session },
      {
        method: 'PATCH',
        url: '/admin/me',
        payload: { display_name: '  Ada «🔥» <b>Lovelace</b>  ' },
      },
    );
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().display_name, 'Ada «🔥» <b>Lovelace</b>');
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.equal(row?.displayName, 'Ada «🔥» <b>Lovelace</b>');
    const [event] = await auditOf(user.id, 'user.updated');
    assert.deepEqual(event?.before, { display_name: user.displayName });
    assert.deepEqual(event?.after, { display_name: 'Ada «🔥» <b>Lovelace</b>' });
    assert.equal(event?.actorUserId, user.id);
    assert.equal(event?.workspaceId, null);
  });

  test('the same name again changes nothing and records nothing', async () => {
    const { user, bearer } = await person();
    const response = await request(t.app, bearer, {
      method: 'PATCH',
      url: '/admin/me',
      payload: { display_name: user.displayName },
    });
    assert.equal(response.statusCode, 200);
    assert.equal((await auditOf(user.id, 'user.updated')).length, 0);
  });

  const MISSING = Symbol('missing');
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing', { display_name: MISSING }, 'display_name'],
    ['null', { display_name: null }, 'display_name'],
    ['a number', { display_name: 42 }, 'display_name'],
    ['an array', { display_name: ['Ada'] }, 'display_name'],
    ['empty', { display_name: '' }, 'display_name'],
    ['blank', { display_name: ' \t\n ' }, 'display_name'],
    ['over 200 characters', { display_name: 'x'.repeat(201) }, 'display_name'],
    ['over 200 emoji', { display_name: '🔥'.repeat(201) }, 'display_name'],
    ['a NUL', { display_name: 'Ada\u0000' }, 'display_name'],
    ['an unknown field', { display_name: 'Ada', email: 'x@example.test' }, 'email'],
  ];
  test('bad input is 422 naming the field, and nothing is written', async () => {
    const { user, bearer } = await person();
    const before = await countRows();
    for (const [what, overrides, field] of cases) {
      const payload = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== MISSING));
      const response = await request(t.app, bearer, { method: 'PATCH', url: '/admin/me', payload });
      assert.equal(response.statusCode, 422, `${what}: ${response.body}`);
      assert.ok(response.json().error.fields[field], `${what}: ${response.body}`);
    }
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.equal(row?.displayName, user.displayName);
    assert.equal(await countRows(), before);
  });

  test('200 emoji is within the limit: it counts characters, not UTF-16 units', async () => {
    const { bearer } = await person();
    const response = await request(t.app, bearer, {
      method: 'PATCH',
      url: '/admin/me',
      payload: { display_name: '🔥'.repeat(200) },
    });
    assert.equal(response.statusCode, 200, response.body);
  });
});

describe('POST /admin/me/password', () => {
  const change = (credential: Credential, payload: object, ip = '10.1.0.1') =>
    request(t.app, credential, {
      method: 'POST',
      url: '/admin/me/password',
      payload,
      headers: { 'x-forwarded-for': ip },
    });

  test('ends the other sessions, keeps this one and the API tokens, and records it without the password', async () => {
    const { user, session, bearer } = await person();
    const other = await signIn(t.app, user.email);
    const response = await change(
      { session },
      { current_password: make.TEST_PASSWORD, new_password: NEW_PASSWORD },
    );
    assert.equal(response.statusCode, 204, response.body);
    assert.equal(response.body, '');

    const me = (s: BrowserSession) => request(t.app, { session: s }, { method: 'GET', url: '/admin/me' });
    assert.equal((await me(session)).statusCode, 200, 'the session that changed it stays');
    assert.equal((await me(other)).statusCode, 401, 'every other session ends');
    assert.equal((await request(t.app, bearer, { method: 'GET', url: '/admin/me' })).statusCode, 200);
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.ok(await verifyPassword(must(row, 'user').passwordHash, NEW_PASSWORD));

    const events = await auditOf(user.id, 'user.password_changed');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]?.after, { other_sessions_ended: 1 });
    assert.equal(events[0]?.clientAddress, '10.1.0.1');
    const everything = JSON.stringify(await t.db.select().from(auditEvents));
    assert.ok(!everything.includes(NEW_PASSWORD) && !everything.includes(make.TEST_PASSWORD));

    // The new password signs in; the old one does not.
    const signInWith = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/session', payload: { email: user.email, password } });
    assert.equal((await signInWith(NEW_PASSWORD)).statusCode, 200);
    assert.equal((await signInWith(make.TEST_PASSWORD)).statusCode, 401);
  });

  test('through a bearer token every session ends', async () => {
    const { user, session, bearer } = await person();
    const response = await change(bearer, {
      current_password: make.TEST_PASSWORD,
      new_password: NEW_PASSWORD,
    });
    assert.equal(response.statusCode, 204);
    assert.equal((await request(t.app, { session }, { method: 'GET', url: '/admin/me' })).statusCode, 401);
    assert.equal((await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).length, 0);
  });

  test('a wrong current password is 422 naming current_password, in words, and changes nothing', async () => {
    const { user, session, bearer } = await person();
    const response = await change(bearer, {
      current_password: 'not my password',
      new_password: NEW_PASSWORD,
    });
    assert.equal(response.statusCode, 422);
    assert.deepEqual(response.json().error.fields, { current_password: 'is not your current password' });
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.ok(await verifyPassword(must(row, 'user').passwordHash, make.TEST_PASSWORD));
    assert.equal((await request(t.app, { session }, { method: 'GET', url: '/admin/me' })).statusCode, 200);
    assert.equal((await auditOf(user.id, 'user.password_changed')).length, 0);
  });

  test('the new password must differ from the current one', async () => {
    const { bearer } = await person();
    const response = await change(bearer, {
      current_password: make.TEST_PASSWORD,
      new_password: make.TEST_PASSWORD,
    });
    assert.equal(response.statusCode, 422);
    assert.deepEqual(response.json().error.fields, {
      new_password: 'must differ from your current password',
    });
  });

  test('wrong current passwords count against the sign-in limit: the same guess, the same lock', async () => {
    const { user, bearer } = await person();
    for (let i = 0; i < 3; i++) {
      const wrong = await change(
        bearer,
        { current_password: `guess ${i}`, new_password: NEW_PASSWORD },
        '10.1.0.9',
      );
      assert.equal(wrong.statusCode, 422);
    }
    const right = await change(
      bearer,
      { current_password: make.TEST_PASSWORD, new_password: NEW_PASSWORD },
      '10.1.0.9',
    );
    assert.equal(right.statusCode, 429, 'even the right password is refused while locked');
    assert.ok(Number(right.headers['retry-after']) > 0);
    const signInAttempt = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: user.email, password: make.TEST_PASSWORD },
      headers: { 'x-forwarded-for': '10.1.0.9' },
    });
    assert.equal(signInAttempt.statusCode, 429);
  });

  const MISSING = Symbol('missing');
  const valid = { current_password: make.TEST_PASSWORD, new_password: NEW_PASSWORD };
  const cases: [string, Record<string, unknown>, string, string?][] = [
    ['current missing', { current_password: MISSING }, 'current_password'],
    ['current null', { current_password: null }, 'current_password'],
    ['current a number', { current_password: 12345678901234 }, 'current_password'],
    ['current empty', { current_password: '' }, 'current_password'],
    ['current over 1,024', { current_password: 'x'.repeat(1025) }, 'current_password'],
    ['new missing', { new_password: MISSING }, 'new_password'],
    ['new null', { new_password: null }, 'new_password'],
    ['new an object', { new_password: { a: 1 } }, 'new_password'],
    ['new too short', { new_password: 'eleven char' }, 'new_password', 'must be at least 12 characters'],
    ['new 11 emoji', { new_password: '🔥'.repeat(11) }, 'new_password', 'must be at least 12 characters'],
    ['new over 1,024', { new_password: 'x'.repeat(1025) }, 'new_password', 'must be at most 1024 characters'],
    ['new blank', { new_password: ' '.repeat(20) }, 'new_password', 'must not be blank'],
    [
      'new with a NUL',
      { new_password: `${NEW_PASSWORD}\u0000` },
      'new_password',
      'must not contain a NUL character',
    ],
    ['an unknown field', { confirm_password: NEW_PASSWORD }, 'confirm_password'],
  ];
  test('bad input is 422 naming the field, and nothing is written', async () => {
    const { user, bearer } = await person();
    const before = await countRows();
    for (const [what, overrides, field, message] of cases) {
      const payload = Object.fromEntries(
        Object.entries<unknown>({ ...valid, ...overrides }).filter(([, v]) => v !== MISSING),
      );
      const response = await change(bearer, payload, '10.1.0.5');
      assert.equal(response.statusCode, 422, `${what}: ${response.body}`);
      const fields = response.json().error.fields;
      assert.ok(fields[field], `${what}: ${response.body}`);
      if (message) assert.equal(fields[field], message, what);
    }
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.ok(await verifyPassword(must(row, 'user').passwordHash, make.TEST_PASSWORD));
    assert.equal(await countRows(), before);
    // None of these was a guess at the password: the limit still lets the right one through.
    assert.equal((await change(bearer, valid, '10.1.0.5')).statusCode, 204);
  });
});
