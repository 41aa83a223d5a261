import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ActorKind, actorKinds, createActorWorld, NOT_FOUND } from '../../../../test/helpers/actors.ts';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';

/**
 * The access matrix of the sign-in routes (docs/rules.md "Access"): they are public, so every actor kind
 * gets the same answer; without a provider they are not there (the standard 404); a provider that cannot be
 * reached is a clear page, never a 500.
 */

let withoutProvider: TestApp;
let unreachable: TestApp;
const routes = ['/auth/oidc', '/auth/oidc/start', '/auth/oidc/callback?code=x&state=y'];

before(async () => {
  withoutProvider = await startTestApp();
  unreachable = await startTestApp(
    {
      TENANTPILOT_PUBLIC_URL: 'https://pilot.msp.test',
      // Nothing listens on port 1: discovery fails at once.
      OIDC_ISSUER: 'https://127.0.0.1:1',
      OIDC_CLIENT_ID: 'tenantpilot',
      OIDC_CLIENT_SECRET: 'unused-secret',
    },
    { database: withoutProvider.database },
  );
});
after(async () => {
  await unreachable.close();
  await withoutProvider.close();
});

async function everyActor(t: TestApp) {
  const world = await createActorWorld(t);
  return actorKinds.flatMap((kind: ActorKind) => world.credentialsOf(kind));
}

describe('without OIDC_ISSUER', () => {
  test('every sign-in route is the standard 404, for every actor', async () => {
    for (const [label, credential] of await everyActor(withoutProvider)) {
      for (const url of routes) {
        const response = await request(withoutProvider.app, credential, { method: 'GET', url });
        assert.equal(response.statusCode, 404, `${label} ${url}`);
        assert.deepEqual(response.json(), NOT_FOUND);
      }
    }
  });
});

describe('with a provider', () => {
  test('GET /auth/oidc: the same answer for every actor', async () => {
    const answers = new Set<string>();
    for (const [, credential] of await everyActor(unreachable)) {
      const response = await request(unreachable.app, credential, { method: 'GET', url: '/auth/oidc' });
      assert.equal(response.statusCode, 200);
      answers.add(response.body);
    }
    assert.equal(answers.size, 1);
  });

  test('a provider that cannot be reached: the refusal page, not an error', async () => {
    const response = await unreachable.app.inject({ method: 'GET', url: '/auth/oidc/start?next=/admin' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in/refused?reason=provider_unavailable');
  });

  test('a bad next is 422 before the provider is asked; a callback without its browser state is refused', async () => {
    const bad = await unreachable.app.inject({ method: 'GET', url: '/auth/oidc/start?next=//evil.test' });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(Object.keys(bad.json().error.fields), ['next']);
    const long = await unreachable.app.inject({
      method: 'GET',
      url: `/auth/oidc/start?next=/${'a'.repeat(3000)}`,
    });
    assert.equal(long.statusCode, 422);
    const callback = await unreachable.app.inject({
      method: 'GET',
      url: '/auth/oidc/callback?code=x&state=y',
    });
    assert.equal(callback.statusCode, 303);
    assert.equal(callback.headers.location, '/sign-in/refused?reason=expired');
  });
});
