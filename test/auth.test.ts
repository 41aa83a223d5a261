import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { auditEvents } from '../src/server/features/audit/tables.ts';
import { digestSecret } from '../src/server/features/tenancy/credentials.ts';
import { apiTokens, sessions, users } from '../src/server/features/tenancy/tables.ts';
import { request, signIn, startTestApp, type TestApp } from './helpers/app.ts';
import * as make from './helpers/factories.ts';

let t: TestApp;
let email = '';
let userId = 0;

before(async () => {
  t = await startTestApp({ TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '3', TENANTPILOT_TRUST_PROXY: 'true' });
  const user = await make.createUser(t.db, { email: 'Ada.Lovelace@Example.test' });
  email = user.email;
  userId = user.id;
});

after(() => t.close());

const signInWith = (body: object, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: body,
    headers: { 'x-forwarded-for': '10.0.0.1', ...headers },
  });

describe('sign-in', () => {
  test('sets an HttpOnly, SameSite=Lax session cookie and stores only its digest', async () => {
    const response = await signInWith({ email: 'ada.lovelace@example.test', password: make.TEST_PASSWORD });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().user.id, userId);
    const cookie = response.cookies.find((c) => c.name === 'tp_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.notEqual(cookie.secure, true, 'plain http gets no Secure flag');
    const stored = await t.db.select().from(sessions).where(eq(sessions.userId, userId));
    assert.ok(stored.length >= 1);
    assert.ok(
      stored.every((row) => row.id !== cookie.value),
      'the raw cookie value is never stored',
    );
  });

  test('marks the cookie Secure behind an HTTPS load balancer', async () => {
    const response = await signInWith(
      { email, password: make.TEST_PASSWORD },
      { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.0.0.2' },
    );
    assert.equal(response.statusCode, 200);
    assert.equal(response.cookies.find((c) => c.name === 'tp_session')?.secure, true);
  });

  test('a wrong password and an unknown email get the same answer', async () => {
    const wrong = await signInWith(
      { email, password: 'not the password' },
      { 'x-forwarded-for': '10.0.0.3' },
    );
    const unknown = await signInWith(
      { email: 'nobody@example.test', password: 'whatever' },
      { 'x-forwarded-for': '10.0.0.3' },
    );
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
    assert.deepEqual(wrong.json(), {
      error: { code: 'unauthenticated', message: 'Email or password is incorrect' },
    });
  });

  test('an inactive user cannot sign in, and their existing session and tokens answer 401', async () => {
    const user = await make.createUser(t.db);
    const session = await signIn(t.app, user.email);
    const token = await make.createApiToken(t.db, { userId: user.id });
    await t.db.update(users).set({ active: false }).where(eq(users.id, user.id));
    const again = await signInWith(
      { email: user.email, password: make.TEST_PASSWORD },
      { 'x-forwarded-for': '10.0.0.4' },
    );
    assert.equal(again.statusCode, 401);
    assert.equal((await request(t.app, { session }, { method: 'GET', url: '/api/session' })).statusCode, 401);
    assert.equal(
      (await request(t.app, { bearer: token }, { method: 'GET', url: '/api/session' })).statusCode,
      401,
    );
  });

  test('bad bodies are 422 with the field named, and write nothing', async () => {
    const before = (await t.db.select().from(sessions)).length;
    for (const [body, field] of [
      [{ password: 'x' }, 'email'],
      [{ email: email }, 'password'],
      [{ email: 42, password: 'x' }, 'email'],
      [{ email, password: 'x', remember: true }, 'remember'],
      // docs/rules.md "Second factor": the code fields of the second step.
      [{ email, password: 'x', totp_code: 123456 }, 'totp_code'],
      [{ email, password: 'x', totp_code: 'abcdef' }, 'totp_code'],
      [{ email, password: 'x', totp_code: '1'.repeat(17) }, 'totp_code'],
      [{ email, password: 'x', totp_code: null }, 'totp_code'],
      [{ email, password: 'x', recovery_code: 42 }, 'recovery_code'],
      [{ email, password: 'x', recovery_code: '' }, 'recovery_code'],
      [{ email, password: 'x', recovery_code: 'a'.repeat(65) }, 'recovery_code'],
      [{ email, password: 'x', totp_code: '123456', recovery_code: 'aaaaa-bbbbb' }, 'recovery_code'],
    ] as const) {
      const response = await signInWith(body, { 'x-forwarded-for': '10.0.0.5' });
      assert.equal(response.statusCode, 422, JSON.stringify(body));
      assert.equal(response.json().error.code, 'invalid');
      assert.ok(response.json().error.fields[field], `${field} in ${response.body}`);
    }
    assert.equal((await t.db.select().from(sessions)).length, before);
  });

  test('is rate limited per client and email, counted in the database', async () => {
    const attempt = () =>
      signInWith({ email, password: 'wrong password' }, { 'x-forwarded-for': '10.0.0.9' });
    for (let i = 0; i < 3; i++) assert.equal((await attempt()).statusCode, 401);
    const limited = await attempt();
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'rate_limited');
    // Even the right password is refused while limited.
    assert.equal(
      (await signInWith({ email, password: make.TEST_PASSWORD }, { 'x-forwarded-for': '10.0.0.9' }))
        .statusCode,
      429,
    );

    // A second server process on the same database sees the same counter.
    const second = await startTestApp(
      { TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '3', TENANTPILOT_TRUST_PROXY: 'true' },
      { database: t.database },
    );
    try {
      const response = await second.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email, password: make.TEST_PASSWORD },
        headers: { 'x-forwarded-for': '10.0.0.9' },
      });
      assert.equal(response.statusCode, 429);
    } finally {
      await second.close();
    }
  });
});

describe('sessions', () => {
  test('a session made by one server process is valid on another (stateless servers)', async () => {
    const user = await make.createUser(t.db);
    const session = await signIn(t.app, user.email);
    const second = await startTestApp({}, { database: t.database });
    try {
      const response = await request(second.app, { session }, { method: 'GET', url: '/api/session' });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().user.id, user.id);
    } finally {
      await second.close();
    }
  });

  test('sign-out needs the CSRF token, then ends the session everywhere', async () => {
    const session = await signIn(t.app, (await make.createUser(t.db)).email);
    const noToken = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: session.cookie },
    });
    assert.equal(noToken.statusCode, 403);
    const forged = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie: session.cookie, 'x-csrf-token': 'forged' },
    });
    assert.equal(forged.statusCode, 403);
    const out = await request(t.app, { session }, { method: 'DELETE', url: '/api/session' });
    assert.equal(out.statusCode, 204);
    assert.equal((await request(t.app, { session }, { method: 'GET', url: '/api/session' })).statusCode, 401);
  });

  test('a CSRF token from another browser does not pass', async () => {
    const other = await make.createUser(t.db);
    const mine = await signIn(t.app, other.email);
    const theirs = await signIn(t.app, other.email);
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: {
        cookie: mine.cookie.replace(/_csrf=[^;]+/, theirs.cookie.match(/_csrf=([^;]+)/)?.[0] ?? ''),
        'x-csrf-token': mine.csrfToken,
      },
    });
    assert.equal(response.statusCode, 403);
  });

  test('sign-in issues a fresh CSRF secret with the session, so tokens asked for at once all pass', async () => {
    const signedIn = await signInWith(
      { email, password: make.TEST_PASSWORD },
      { 'x-forwarded-for': '10.0.0.20', cookie: '_csrf=planted-before-sign-in' },
    );
    assert.equal(signedIn.statusCode, 200);
    const sessionCookie = signedIn.cookies.find((c) => c.name === 'tp_session');
    const secret = signedIn.cookies.find((c) => c.name === '_csrf');
    assert.ok(sessionCookie && secret, 'sign-in sets the session and the CSRF secret together');
    assert.notEqual(secret.value, 'planted-before-sign-in', 'a secret from before sign-in is replaced');
    assert.equal(secret.httpOnly, true);
    assert.equal(secret.sameSite, 'Strict');
    assert.deepEqual(secret.expires, sessionCookie.expires, 'the secret lives as long as the session');

    // The console and a second tab ask for a token at the same moment, right after sign-in.
    const cookie = `tp_session=${sessionCookie.value}; _csrf=${secret.value}`;
    const views = await Promise.all(
      [1, 2, 3].map(() => t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })),
    );
    for (const view of views) {
      assert.equal(view.statusCode, 200);
      assert.equal(
        view.cookies.find((c) => c.name === '_csrf'),
        undefined,
        'no second secret is minted',
      );
    }
    for (const [i, view] of views.entries()) {
      const change = await t.app.inject({
        method: 'PATCH',
        url: '/admin/me',
        payload: { display_name: `Ada ${i}` },
        headers: { cookie, 'x-csrf-token': view.json().csrf_token },
      });
      assert.equal(change.statusCode, 200, `token ${i}: ${change.body}`);
    }
  });

  test('bearer requests need no CSRF token, and a bearer token wins over a cookie beside it', async () => {
    const token = await make.createApiToken(t.db, { userId });
    const response = await t.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { authorization: `Bearer ${token}`, cookie: 'tp_session=garbage' },
    });
    assert.equal(response.statusCode, 204);
  });

  test('a bearer request records when the token was last used', async () => {
    const token = await make.createApiToken(t.db, { userId });
    const before = Date.now();
    await request(t.app, { bearer: token }, { method: 'GET', url: '/api/session' });
    const rows = await t.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.tokenHash, digestSecret(token)));
    assert.ok((rows[0]?.lastUsedAt?.getTime() ?? 0) >= before - 1000);
  });

  test('unknown, revoked-looking and malformed bearer tokens are 401', async () => {
    for (const header of ['Bearer tp_unknown', 'Bearer ', 'Basic abc', 'Bearer a b']) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/session',
        headers: { authorization: header },
      });
      assert.equal(response.statusCode, 401, header);
    }
  });

  test('browser navigation without a session is sent to sign-in; JSON clients get 401', async () => {
    const page = await t.app.inject({
      method: 'GET',
      url: '/admin/t/anything?x=1',
      headers: { accept: 'text/html' },
    });
    assert.equal(page.statusCode, 302);
    assert.equal(page.headers.location, '/sign-in?next=%2Fadmin%2Ft%2Fanything%3Fx%3D1');
    const api = await t.app.inject({
      method: 'GET',
      url: '/admin/t/anything',
      headers: { accept: 'application/json' },
    });
    assert.equal(api.statusCode, 401);
    assert.deepEqual(api.json(), { error: { code: 'unauthenticated', message: 'Sign in to continue' } });
  });
});

describe('the sign-in limit counts failed attempts only (docs/rules.md "Administration")', () => {
  const attempt = (address: string, password: string, who = email, app = t.app) =>
    app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: who, password },
      headers: { 'x-forwarded-for': address },
    });

  test('successful sign-ins never count', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await attempt('10.0.1.1', make.TEST_PASSWORD)).statusCode, 200);
    for (let i = 0; i < 3; i++) assert.equal((await attempt('10.0.1.1', 'wrong password')).statusCode, 401);
    assert.equal((await attempt('10.0.1.1', make.TEST_PASSWORD)).statusCode, 429);
  });

  test('a success clears no earlier failure: failures on either side of it add up', async () => {
    assert.equal((await attempt('10.0.1.2', 'wrong password')).statusCode, 401);
    assert.equal((await attempt('10.0.1.2', 'wrong password')).statusCode, 401);
    assert.equal((await attempt('10.0.1.2', make.TEST_PASSWORD)).statusCode, 200);
    assert.equal((await attempt('10.0.1.2', 'wrong password')).statusCode, 401);
    assert.equal((await attempt('10.0.1.2', make.TEST_PASSWORD)).statusCode, 429);
  });

  test('locked out: 429 with Retry-After in seconds and the standard body saying when to try again', async () => {
    for (let i = 0; i < 3; i++) await attempt('10.0.1.3', 'wrong password');
    const locked = await attempt('10.0.1.3', make.TEST_PASSWORD);
    assert.equal(locked.statusCode, 429);
    const retryAfter = Number(locked.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 14 * 60 && retryAfter <= 15 * 60, `${retryAfter}`);
    assert.deepEqual(locked.json(), {
      error: {
        code: 'rate_limited',
        message: 'Too many failed sign-in attempts. Try again in 15 minutes.',
      },
    });
    assert.equal(
      locked.cookies.find((c) => c.name === 'tp_session'),
      undefined,
      'no session while locked out',
    );
  });

  test('counts per client address and e-mail (any case)', async () => {
    for (let i = 0; i < 3; i++) await attempt('10.0.1.4', 'wrong password', email.toUpperCase());
    assert.equal(
      (await attempt('10.0.1.4', make.TEST_PASSWORD)).statusCode,
      429,
      'the same e-mail, any case',
    );
    assert.equal((await attempt('10.0.1.5', make.TEST_PASSWORD)).statusCode, 200, 'another address');
    const other = await make.createUser(t.db);
    assert.equal(
      (await attempt('10.0.1.4', make.TEST_PASSWORD, other.email)).statusCode,
      200,
      'another person',
    );
  });

  test('parallel guesses cannot slip in under the limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => attempt('10.0.1.6', 'wrong password')),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    assert.deepEqual(statuses, [401, 401, 401, ...Array(9).fill(429)]);
  });

  test('every server process on the database counts the same failures', async () => {
    const second = await startTestApp(
      { TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '3', TENANTPILOT_TRUST_PROXY: 'true' },
      { database: t.database },
    );
    try {
      assert.equal((await attempt('10.0.1.7', 'wrong password')).statusCode, 401);
      assert.equal((await attempt('10.0.1.7', 'wrong password', email, second.app)).statusCode, 401);
      assert.equal((await attempt('10.0.1.7', 'wrong password')).statusCode, 401);
      assert.equal((await attempt('10.0.1.7', make.TEST_PASSWORD, email, second.app)).statusCode, 429);
    } finally {
      await second.close();
    }
  });

  test('the lock lifts when the window ends', async () => {
    const short = await startTestApp(
      {
        TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '2',
        TENANTPILOT_SIGN_IN_WINDOW_MS: '1500',
        TENANTPILOT_TRUST_PROXY: 'true',
      },
      { database: t.database },
    );
    try {
      for (let i = 0; i < 2; i++) await attempt('10.0.1.8', 'wrong password', email, short.app);
      const locked = await attempt('10.0.1.8', make.TEST_PASSWORD, email, short.app);
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.headers['retry-after'], '2');
      assert.match(locked.json().error.message, /Try again in [12] seconds?\./);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      assert.equal((await attempt('10.0.1.8', make.TEST_PASSWORD, email, short.app)).statusCode, 200);
    } finally {
      await short.close();
    }
  });

  test('a NUL in the e-mail names nobody: 401, not a database error', async () => {
    const response = await attempt('10.0.1.9', 'whatever', 'ada\u0000@example.test');
    assert.equal(response.statusCode, 401);
  });

  test('the OpenAPI document lists the 429', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const refusal = document.paths['/api/session'].post.responses['429'];
    assert.match(refusal.description, /Retry-After/);
  });
});

describe('sign-in and sign-out are audited (docs/rules.md "Administration")', () => {
  const eventsOf = (action: string) =>
    t.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(desc(auditEvents.id));

  test('a sign-in records who, from where, and sets last_sign_in_at', async () => {
    const user = await make.createUser(t.db);
    const response = await signInWith(
      { email: user.email.toUpperCase(), password: make.TEST_PASSWORD },
      { 'x-forwarded-for': '10.0.2.1' },
    );
    assert.equal(response.statusCode, 200);
    const [event] = await eventsOf('session.signed_in');
    assert.equal(event?.actorUserId, user.id);
    assert.equal(event?.subjectType, 'user');
    assert.equal(event?.subjectId, String(user.id));
    assert.equal(event?.workspaceId, null);
    assert.equal(event?.clientAddress, '10.0.2.1');
    assert.deepEqual(event?.after, { via: 'password' });
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.ok(row?.lastSignInAt && Date.now() - row.lastSignInAt.getTime() < 60_000);
  });

  test('a failed sign-in records the e-mail tried and why, never the password', async () => {
    const user = await make.createUser(t.db);
    const password = 'my secret guess 12345';
    await signInWith({ email: ` ${user.email} `, password }, { 'x-forwarded-for': '10.0.2.2' });
    await signInWith({ email: 'Nobody@Example.test', password }, { 'x-forwarded-for': '10.0.2.2' });
    const [unknown, wrong] = await eventsOf('session.sign_in_failed');
    assert.deepEqual(
      { ...wrong, id: 0, createdAt: null },
      {
        id: 0,
        createdAt: null,
        actorUserId: null,
        workspaceId: null,
        tenantId: null,
        action: 'session.sign_in_failed',
        subjectType: 'email',
        subjectId: user.email,
        before: null,
        after: { email: user.email, reason: 'wrong_password', user_id: user.id, locked_until: null },
        clientAddress: '10.0.2.2',
      },
    );
    assert.deepEqual(unknown?.after, {
      email: 'nobody@example.test',
      reason: 'unknown_email',
      user_id: null,
      locked_until: null,
    });
    const [lastSignIn] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.equal(lastSignIn?.lastSignInAt, null, 'a failure is no sign-in');
    assert.ok(!JSON.stringify(await t.db.select().from(auditEvents)).includes(password));
  });

  test('the failure that fills the window says until when the lock holds', async () => {
    const user = await make.createUser(t.db);
    for (let i = 0; i < 3; i++) {
      await signInWith({ email: user.email, password: 'wrong password' }, { 'x-forwarded-for': '10.0.2.3' });
    }
    const [last, second] = await eventsOf('session.sign_in_failed');
    const lockedUntilOf = (event: typeof last) =>
      (event?.after as { locked_until?: string } | undefined)?.locked_until;
    assert.equal(lockedUntilOf(second), null);
    const lockedUntil = Date.parse(lockedUntilOf(last) ?? '');
    assert.ok(lockedUntil > Date.now() + 14 * 60_000 && lockedUntil <= Date.now() + 15 * 60_000);
  });

  test('sign-out records the end of the session; a bearer request ends none and records nothing', async () => {
    const user = await make.createUser(t.db);
    const session = await signIn(t.app, user.email);
    const before = (await eventsOf('session.signed_out')).length;
    const token = await make.createApiToken(t.db, { userId: user.id });
    await request(t.app, { bearer: token }, { method: 'DELETE', url: '/api/session' });
    assert.equal((await eventsOf('session.signed_out')).length, before);
    await request(t.app, { session }, { method: 'DELETE', url: '/api/session' });
    const [event] = await eventsOf('session.signed_out');
    assert.equal(event?.actorUserId, user.id);
    assert.equal(event?.subjectId, String(user.id));
    assert.equal(event?.workspaceId, null);
    assert.equal((await eventsOf('session.signed_out')).length, before + 1);
  });
});
