import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { auditEvents } from '../audit/tables.ts';
import { setupTokens, users, workspaceMemberships, workspaces } from '../tenancy/tables.ts';
import { prepareFirstRun } from './service.ts';

/**
 * docs/rules.md "Administration", first run: on a database with no user the server makes a one-time
 * setup link; the page creates the first workspace and its owner and signs them in. Used, or once anyone
 * has an account, a link that was made answers 410; an unknown one 404, as any unknown id.
 */
const NOT_FOUND = { error: { code: 'not_found', message: 'Not found' } };
const PASSWORD = 'a long enough passphrase';

const validBody = (overrides: Record<string, unknown> = {}) => ({
  workspace_name: 'Northwind MSP',
  workspace_slug: 'northwind',
  display_name: 'Nora Owner',
  email: 'nora@northwind.test',
  password: PASSWORD,
  ...overrides,
});

async function counts(t: TestApp) {
  const [u] = await t.db.select({ n: count() }).from(users);
  const [w] = await t.db.select({ n: count() }).from(workspaces);
  const [a] = await t.db.select({ n: count() }).from(auditEvents);
  const unused = await t.db.select({ id: setupTokens.id }).from(setupTokens);
  return { users: u?.n, workspaces: w?.n, audit: a?.n, tokens: unused.length };
}

const get = (t: TestApp, token: string) => request(t.app, null, { method: 'GET', url: `/setup/${token}` });
const post = (t: TestApp, token: string, payload: unknown) =>
  request(t.app, null, {
    method: 'POST',
    url: `/setup/${token}`,
    payload: payload as Record<string, unknown>,
  });

describe('first run on an empty database', () => {
  let t: TestApp;
  const log: string[] = [];
  before(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logStream: stream });
  });
  after(() => t.close());

  let token = '';

  test('a setup token: 256 bits, stored only as a digest; a new start replaces an unused one', async () => {
    const first = await prepareFirstRun(t.db);
    assert.ok(first);
    assert.match(first, /^[A-Za-z0-9_-]{43}$/);
    token = (await prepareFirstRun(t.db)) ?? '';
    assert.notEqual(token, first);
    const rows = await t.db.select().from(setupTokens);
    assert.equal(rows.length, 1, 'the unused one was replaced');
    assert.ok(!JSON.stringify(rows).includes(token));
    assert.deepEqual((await get(t, first)).json(), NOT_FOUND);
    assert.equal((await get(t, first)).statusCode, 404);
    const response = await get(t, token);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { valid: true });
  });

  test('an unknown or malformed token is the standard 404', async () => {
    for (const bad of ['x'.repeat(43), 'short', '%00', 'a'.repeat(300)]) {
      const response = await get(t, bad);
      assert.equal(response.statusCode, 404, bad);
      assert.deepEqual(response.json(), NOT_FOUND);
    }
  });

  test('the token is judged before the body: an unknown link with a bad body is a 404', async () => {
    const response = await post(t, 'x'.repeat(43), { password: 'short' });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), NOT_FOUND);
  });

  describe('bad input: 422 naming the field, nothing written', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['password of 11 characters', { password: 'elevenchars' }, 'password'],
      ['password of 11 emoji (code points, not UTF-16 units)', { password: '🔑'.repeat(11) }, 'password'],
      ['blank password', { password: ' '.repeat(12) }, 'password'],
      ['password over 1,024', { password: 'p'.repeat(1025) }, 'password'],
      ['password with a NUL', { password: `${PASSWORD}\u0000` }, 'password'],
      ['password a number', { password: 123456789012 }, 'password'],
      ['missing password', { password: undefined }, 'password'],
      ['workspace_slug with upper case', { workspace_slug: 'Northwind' }, 'workspace_slug'],
      ['workspace_slug empty', { workspace_slug: '' }, 'workspace_slug'],
      ['workspace_slug of 64', { workspace_slug: 'a'.repeat(64) }, 'workspace_slug'],
      ['workspace_slug with a slash', { workspace_slug: 'north/wind' }, 'workspace_slug'],
      ['workspace_slug with a NUL', { workspace_slug: 'north\u0000' }, 'workspace_slug'],
      ['workspace_slug null', { workspace_slug: null }, 'workspace_slug'],
      ['workspace_name blank', { workspace_name: '   ' }, 'workspace_name'],
      ['workspace_name empty', { workspace_name: '' }, 'workspace_name'],
      ['workspace_name over 200', { workspace_name: 'n'.repeat(201) }, 'workspace_name'],
      ['workspace_name with a NUL', { workspace_name: 'North\u0000wind' }, 'workspace_name'],
      ['workspace_name an array', { workspace_name: ['a'] }, 'workspace_name'],
      ['display_name blank', { display_name: '\t' }, 'display_name'],
      ['display_name over 200', { display_name: 'd'.repeat(201) }, 'display_name'],
      ['display_name with a NUL', { display_name: 'No\u0000ra' }, 'display_name'],
      ['display_name an object', { display_name: { a: 1 } }, 'display_name'],
      ['email not an address', { email: 'nora' }, 'email'],
      ['email over 254', { email: `${'n'.repeat(250)}@x.test` }, 'email'],
      ['email with a NUL', { email: 'nora\u0000@northwind.test' }, 'email'],
      ['email a boolean', { email: true }, 'email'],
      ['an unknown field', { role: 'owner' }, 'role'],
      ['__proto__', JSON.parse('{"__proto__": {"x": 1}}'), '__proto__'],
    ];
    for (const [name, overrides, field] of cases) {
      test(name, async () => {
        const before = await counts(t);
        const response = await post(t, token, validBody(overrides));
        assert.equal(response.statusCode, 422, response.body);
        assert.equal(response.json().error.code, 'invalid');
        assert.ok(field in response.json().error.fields, response.body);
        assert.deepEqual(await counts(t), before);
      });
    }

    test('several bad fields at once are named together', async () => {
      const response = await post(t, token, validBody({ workspace_name: ' ', password: 'short' }));
      assert.equal(response.statusCode, 422);
      assert.deepEqual(Object.keys(response.json().error.fields).sort(), ['password', 'workspace_name']);
    });

    test('not an object', async () => {
      for (const payload of [[], 'text', 42]) {
        const response = await request(t.app, null, {
          method: 'POST',
          url: `/setup/${token}`,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        assert.equal(response.statusCode, 422, response.body);
      }
    });
  });

  test('setup: 201 with the owner and workspace, signed in, audited; the link is used up', async () => {
    const response = await post(t, token, validBody({ display_name: '  Nora Owner ' }));
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.deepEqual(body, {
      user: { id: body.user.id, email: 'nora@northwind.test', display_name: 'Nora Owner' },
      workspace: { id: body.workspace.id, slug: 'northwind', name: 'Northwind MSP' },
    });
    const [membership] = await t.db
      .select()
      .from(workspaceMemberships)
      .where(eq(workspaceMemberships.userId, body.user.id));
    assert.equal(membership?.role, 'owner');
    assert.equal(membership?.active, true);

    const cookie = response.cookies.find((c) => c.name === 'tp_session');
    assert.ok(cookie, 'the session cookie is set');
    assert.equal(cookie.httpOnly, true);
    const session = await request(t.app, null, {
      method: 'GET',
      url: '/api/session',
      headers: { cookie: `tp_session=${cookie.value}` },
    });
    assert.equal(session.statusCode, 200, session.body);
    assert.equal(session.json().user.email, 'nora@northwind.test');

    const events = await t.db.select().from(auditEvents).orderBy(auditEvents.id);
    assert.deepEqual(
      events.map((e) => [e.action, e.actorUserId, e.workspaceId]),
      [
        ['setup.completed', body.user.id, body.workspace.id],
        ['session.signed_in', body.user.id, null],
      ],
    );
    assert.ok(!JSON.stringify(events).includes(PASSWORD));

    // The owner signs in with the password they chose.
    const signIn = await request(t.app, null, {
      method: 'POST',
      url: '/api/session',
      payload: { email: 'nora@northwind.test', password: PASSWORD },
    });
    assert.equal(signIn.statusCode, 200, signIn.body);
  });

  test('a second attempt with the same link: 410, nothing written', async () => {
    const before = await counts(t);
    for (const response of [
      await get(t, token),
      await post(t, token, validBody({ workspace_slug: 'second', email: 'two@northwind.test' })),
    ]) {
      assert.equal(response.statusCode, 410, response.body);
      assert.equal(response.json().error.code, 'gone');
    }
    assert.deepEqual(await counts(t), before);
  });

  test('once a user exists, no new setup link is made; an unknown one is still the standard 404', async () => {
    assert.equal(await prepareFirstRun(t.db), undefined);
    const response = await get(t, 'x'.repeat(43));
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), NOT_FOUND);
  });

  test('the token never reaches the log', async () => {
    const text = log.join('');
    assert.ok(text.includes('/setup/[redacted]'), 'setup requests are logged, redacted');
    assert.ok(!text.includes(token));
    assert.ok(!text.includes(PASSWORD));
  });
});

describe('a setup link made before anyone had an account', () => {
  test('answers 410 once a user exists (made from the command line, say)', async () => {
    const t = await startTestApp();
    try {
      const token = (await prepareFirstRun(t.db)) ?? '';
      await make.createUser(t.db);
      assert.equal((await get(t, token)).statusCode, 410);
      const response = await post(t, token, validBody());
      assert.equal(response.statusCode, 410, response.body);
      const [w] = await t.db.select({ n: count() }).from(workspaces);
      assert.equal(w?.n, 0);
    } finally {
      await t.close();
    }
  });
});

describe('two submits of one link at once', () => {
  test('exactly one creates the workspace; the other is 410', async () => {
    const t = await startTestApp();
    try {
      const token = (await prepareFirstRun(t.db)) ?? '';
      const responses = await Promise.all([
        post(t, token, validBody({ workspace_slug: 'first', email: 'one@northwind.test' })),
        post(t, token, validBody({ workspace_slug: 'second', email: 'two@northwind.test' })),
      ]);
      assert.deepEqual(responses.map((r) => r.statusCode).sort(), [201, 410]);
      const [u] = await t.db.select({ n: count() }).from(users);
      assert.equal(u?.n, 1);
    } finally {
      await t.close();
    }
  });
});
