import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { request, signIn, startTestApp } from './helpers/app.ts';
import * as make from './helpers/factories.ts';

test('request logs are structured and carry no password, token, cookie or CSRF token', async () => {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const t = await startTestApp({ LOG_LEVEL: 'trace' }, { logStream: stream });
  try {
    const user = await make.createUser(t.db);
    const token = await make.createApiToken(t.db, { userId: user.id });
    const session = await signIn(t.app, user.email);
    await request(t.app, { bearer: token }, { method: 'GET', url: '/api/session' });
    await request(t.app, { session }, { method: 'DELETE', url: '/api/session' });
    await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: user.email, password: 'a wrong password' },
    });

    const lines = chunks.join('').trim().split('\n');
    assert.ok(lines.length > 0);
    const entries = lines.map((line) => JSON.parse(line) as { msg?: string; req?: { url?: string } });
    assert.ok(
      entries.some((entry) => entry.req?.url === '/api/session'),
      'requests are logged',
    );
    const log = chunks.join('');
    const sessionCookie = /tp_session=([^;]+)/.exec(session.cookie)?.[1] ?? 'missing';
    for (const secret of [make.TEST_PASSWORD, 'a wrong password', token, sessionCookie, session.csrfToken]) {
      assert.ok(!log.includes(secret), `a secret reached the log: ${secret.slice(0, 6)}…`);
    }
  } finally {
    await t.close();
  }
});
