import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { redactSecretPaths } from '../src/server/http/log-redaction.ts';
import { request, startTestApp } from './helpers/app.ts';
import * as make from './helpers/factories.ts';

test('invitation and setup tokens never reach a log, whatever the method, answer or URL shape', async () => {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const t = await startTestApp({ LOG_LEVEL: 'trace' }, { logStream: stream });
  try {
    const workspace = await make.createWorkspace(t.db);
    const owner = await make.createUser(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
    const bearer = await make.createApiToken(t.db, { userId: owner.id });
    const invited = await request(
      t.app,
      { bearer },
      {
        method: 'POST',
        url: `/admin/w/${workspace.slug}/people`,
        payload: { email: 'logged@example.test', display_name: 'Logged', workspace_role: 'readonly' },
      },
    );
    assert.equal(invited.statusCode, 201, invited.body);
    const path = new URL(invited.json().invitation_url).pathname;
    const token = path.split('/').at(-1) ?? '';
    const setupToken = 'setup-token-that-must-not-be-logged-0123456789';
    const html = { accept: 'text/html' };

    const visits: [string, string, Record<string, string>?, unknown?][] = [
      ['GET', path],
      ['GET', path, html],
      ['GET', `${path}?from=mail#top`],
      ['GET', `/invitations//${token}`],
      ['GET', `/INVITATIONS/${token}`],
      ['GET', `/invitations%2F${token}`],
      ['GET', `/admin/../invitations/${token}`],
      ['POST', path, {}, { password: 'short' }],
      ['POST', path, {}, { password: 'a long enough password' }],
      ['POST', path, {}, { password: 'a long enough password' }], // used: 410
      ['PUT', path, {}, { password: 'x' }], // no such route: 404
      ['GET', `/setup/${setupToken}`],
      ['GET', `/setup/${setupToken}`, html],
      ['POST', `/setup/${setupToken}`, {}, { nope: true }],
    ];
    for (const [method, url, headers, payload] of visits) {
      await request(t.app, null, {
        method: method as 'GET',
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    }

    const log = chunks.join('');
    const entries = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { req?: { url?: string } });
    assert.ok(
      entries.some((entry) => entry.req?.url === '/invitations/[redacted]'),
      'requests are still logged',
    );
    assert.ok(entries.some((entry) => entry.req?.url === '/setup/[redacted]'));
    for (const secret of [token, setupToken, 'a long enough password']) {
      assert.ok(!log.includes(secret), `a secret reached the log: ${secret.slice(0, 6)}…`);
    }
  } finally {
    await t.close();
  }
});

test('the redaction keeps the rest of the URL', () => {
  assert.equal(redactSecretPaths('/invitations/abc?x=1'), '/invitations/[redacted]?x=1');
  assert.equal(redactSecretPaths('/setup/abc/more?x'), '/setup/[redacted]?x');
  assert.equal(redactSecretPaths('/invitations%2Fabc'), '/invitations%2F[redacted]');
  assert.equal(redactSecretPaths('/admin/w/acme/people'), '/admin/w/acme/people');
  assert.equal(redactSecretPaths('/invitations/'), '/invitations/');
});

test("the identity provider's code and state, and an invitation token going to it, are redacted", () => {
  assert.equal(
    redactSecretPaths('/auth/oidc/callback?code=abc&state=def&iss=https%3A%2F%2Fidp'),
    '/auth/oidc/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fidp',
  );
  assert.equal(
    redactSecretPaths('/AUTH/OIDC/start?next=/admin&invitation=tok'),
    '/AUTH/OIDC/start?next=/admin&invitation=[redacted]',
  );
  assert.equal(
    redactSecretPaths('/auth/oidc/callback?session_state=s&code=c'),
    '/auth/oidc/callback?session_state=[redacted]&code=[redacted]',
  );
  assert.equal(redactSecretPaths('/admin/t/acme/findings?state=open'), '/admin/t/acme/findings?state=open');
});
