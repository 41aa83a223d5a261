import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request, signIn, startTestApp, type TestApp } from './helpers/app.ts';
import * as make from './helpers/factories.ts';

let t: TestApp;

before(async () => {
  t = await startTestApp();
});
after(() => t.close());

describe('platform endpoints', () => {
  test('GET /healthz answers ok once the database is reachable', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  test('GET /openapi.json is OpenAPI 3.1 generated from the route schemas', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const spec = response.json();
    assert.equal(spec.openapi, '3.1.0');
    for (const path of [
      '/healthz',
      '/api/session',
      '/admin/t/{tenant}',
      '/admin/t/{tenant}/operations',
      '/admin/operations/{run}',
    ]) {
      assert.ok(spec.paths[path], `${path} documented`);
    }
    assert.ok(
      spec.paths['/admin/t/{tenant}/operations'].get.parameters.some(
        (p: { name: string }) => p.name === 'limit',
      ),
    );
  });

  test('GET /docs serves the API docs page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/html/);
  });

  test('responses carry security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.ok(response.headers['strict-transport-security']);
    assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
  });
});

describe('error bodies', () => {
  test('unknown routes answer 404 with the standard body', async () => {
    for (const url of ['/nope', '/api/nope', '/admin/t/x/y/z/w']) {
      const response = await t.app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      assert.equal(response.statusCode, 404, url);
      assert.deepEqual(response.json(), { error: { code: 'not_found', message: 'Not found' } });
    }
  });

  test('a body over 1 MiB is 413', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(1024 * 1024) }),
    });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().error.code, 'payload_too_large');
  });

  test('malformed JSON is 400 with the standard body', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'bad_request');
  });
});

describe('one URL, two representations', () => {
  test('a signed-in browser navigation gets the UI; a JSON request to the same URL gets JSON', async () => {
    const workspace = await make.createWorkspace(t.db);
    const tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
    const user = await make.createUser(t.db);
    await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'readonly' });
    const session = await signIn(t.app, user.email);
    const page = await t.app.inject({
      method: 'GET',
      url: `/admin/t/${tenant.externalId}`,
      headers: { cookie: session.cookie, accept: 'text/html,application/xhtml+xml' },
    });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<div id="root">/);
    assert.match(String(page.headers.vary), /Accept/);
    const json = await request(t.app, { session }, { method: 'GET', url: `/admin/t/${tenant.externalId}` });
    assert.equal(json.statusCode, 200);
    assert.equal(json.json().tenant.external_id, tenant.externalId);
    assert.match(String(json.headers.vary), /Accept/);
  });

  test('the sign-in page is served to anyone', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/sign-in', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
  });
});
