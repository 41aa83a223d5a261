import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type ActorKind,
  type ActorWorld,
  actorKinds,
  createActorWorld,
  expectedStatus,
  NOT_FOUND,
  roles,
} from './helpers/actors.ts';
import { request, startTestApp, type TestApp } from './helpers/app.ts';
import * as make from './helpers/factories.ts';

/**
 * docs/rules.md "Access" as a matrix: every actor kind against every tenant-, run- and session-scoped route,
 * each actor once with a bearer token and once as a signed-in browser.
 */
let t: TestApp;
let world: ActorWorld;
const ids = {
  tenant: '',
  siblingTenant: '',
  otherTenant: '',
  run: 0,
  siblingRun: 0,
  otherRun: 0,
  workspaceRun: 0,
  otherWorkspaceRun: 0,
  finding: 0,
};

before(async () => {
  t = await startTestApp();
  world = await createActorWorld(t);
  const db = t.db;
  const { workspace, otherWorkspace: other, tenant, siblingTenant: sibling, otherTenant } = world;
  Object.assign(ids, {
    tenant: tenant.externalId,
    siblingTenant: sibling.externalId,
    otherTenant: otherTenant.externalId,
    run: (await make.createRun(db, { workspaceId: workspace.id, tenantId: tenant.id })).id,
    siblingRun: (await make.createRun(db, { workspaceId: workspace.id, tenantId: sibling.id })).id,
    otherRun: (await make.createRun(db, { workspaceId: other.id, tenantId: otherTenant.id })).id,
    workspaceRun: (await make.createRun(db, { workspaceId: workspace.id, tenantId: null })).id,
    otherWorkspaceRun: (await make.createRun(db, { workspaceId: other.id, tenantId: null })).id,
    finding: (await make.createFinding(db, { tenantId: tenant.id })).id,
  });
});

after(() => t.close());

const credentialsOf = (kind: ActorKind) => world.credentialsOf(kind);

function expectedView(kind: ActorKind): number {
  return expectedStatus(kind, roles);
}

const tenantRoutes = [
  { name: 'tenant dashboard', url: () => `/admin/t/${ids.tenant}` },
  { name: 'tenant operation runs', url: () => `/admin/t/${ids.tenant}/operations` },
  { name: 'tenant run detail', url: () => `/admin/operations/${ids.run}` },
];

describe('tenant-scoped routes: 401, then 404 for anyone not entitled, then 200 for every role', () => {
  for (const route of tenantRoutes) {
    for (const kind of actorKinds) {
      test(`${route.name} × ${kind}`, async () => {
        for (const [name, credential] of credentialsOf(kind)) {
          const response = await request(t.app, credential, { method: 'GET', url: route.url() });
          assert.equal(response.statusCode, expectedView(kind), `${name}: ${response.body}`);
          if (response.statusCode === 404) assert.deepEqual(response.json(), NOT_FOUND);
          if (response.statusCode === 401) assert.equal(response.json().error.code, 'unauthenticated');
        }
      });
    }
  }
});

describe('workspace-level runs: any member of the workspace, nobody else', () => {
  for (const kind of actorKinds) {
    test(`workspace run × ${kind}`, async () => {
      const expected =
        kind === 'anonymous' || kind === 'inactive user' ? 401 : kind === 'other workspace' ? 404 : 200;
      for (const [name, credential] of credentialsOf(kind)) {
        const response = await request(t.app, credential, {
          method: 'GET',
          url: `/admin/operations/${ids.workspaceRun}`,
        });
        assert.equal(response.statusCode, expected, `${name}: ${response.body}`);
        if (expected === 200) assert.equal(response.json().tenant, null);
      }
    });
  }
});

describe('session routes', () => {
  for (const kind of actorKinds) {
    test(`GET /api/session × ${kind}`, async () => {
      const expected = kind === 'anonymous' || kind === 'inactive user' ? 401 : 200;
      for (const [name, credential] of credentialsOf(kind)) {
        const response = await request(t.app, credential, { method: 'GET', url: '/api/session' });
        assert.equal(response.statusCode, expected, `${name}: ${response.body}`);
      }
    });
  }

  test('lists only the tenants the actor holds a membership of', async () => {
    const response = await request(t.app, world.token('operator'), {
      method: 'GET',
      url: '/api/session',
    });
    const listed = response
      .json()
      .workspaces.flatMap((w: { tenants: { external_id: string }[] }) => w.tenants);
    assert.deepEqual(
      listed.map((tenant: { external_id: string }) => tenant.external_id),
      [ids.tenant],
    );
    const workspaceOwner = await request(t.app, world.token('workspace owner without tenant membership'), {
      method: 'GET',
      url: '/api/session',
    });
    assert.deepEqual(workspaceOwner.json().workspaces[0].tenants, []);
  });
});

describe('sign-in through an identity provider (public): without one, the standard 404 for everyone', () => {
  // With a provider, every actor gets one answer: src/server/features/oidc/access.test.ts.
  for (const kind of actorKinds) {
    test(`GET /auth/oidc, /auth/oidc/start, /auth/oidc/callback × ${kind}`, async () => {
      for (const [name, credential] of credentialsOf(kind)) {
        for (const url of [
          '/auth/oidc',
          '/auth/oidc/start?next=/admin',
          '/auth/oidc/callback?code=c&state=s',
        ]) {
          const response = await request(t.app, credential, { method: 'GET', url });
          assert.equal(response.statusCode, 404, `${name} ${url}: ${response.body}`);
          assert.deepEqual(response.json(), NOT_FOUND);
        }
      }
    });
  }
});

describe('nothing about existence leaks: every out-of-reach case answers the same 404', () => {
  const owner = () => world.token('owner');
  const cases = [
    ['unknown tenant', () => '/admin/t/no-such-tenant'],
    ['tenant of another workspace', () => `/admin/t/${ids.otherTenant}`],
    ['sibling tenant without membership', () => `/admin/t/${ids.siblingTenant}/operations`],
    ['run of another workspace', () => `/admin/operations/${ids.otherRun}`],
    ['run of a sibling tenant', () => `/admin/operations/${ids.siblingRun}`],
    ['workspace run of another workspace', () => `/admin/operations/${ids.otherWorkspaceRun}`],
    ['unknown run', () => '/admin/operations/99999999'],
    ['malformed run id abc', () => '/admin/operations/abc'],
    ['malformed run id -1', () => '/admin/operations/-1'],
    ['malformed run id 0', () => '/admin/operations/0'],
    ['20-digit run id', () => '/admin/operations/12345678901234567890'],
    ['unknown route', () => '/admin/nothing/here'],
  ] as const;
  for (const [name, url] of cases) {
    test(name, async () => {
      const response = await request(t.app, owner(), { method: 'GET', url: url() });
      assert.equal(response.statusCode, 404);
      assert.deepEqual(response.json(), NOT_FOUND);
    });
  }
});

describe('access is decided before input is judged: 401, 404 and 403 come before 422', () => {
  const tenantPath = () => `/admin/t/${ids.tenant}`;
  const findingPath = () => `${tenantPath()}/findings/${ids.finding}`;
  const badInputs = [
    {
      name: 'runs list, limit 0',
      method: 'GET',
      url: () => `${tenantPath()}/operations?limit=0`,
      capability: 'view',
    },
    {
      name: 'findings list, bad sort',
      method: 'GET',
      url: () => `${tenantPath()}/findings?sort=sideways`,
      capability: 'view',
    },
    {
      name: 'finding history, limit 0',
      method: 'GET',
      url: () => `${findingPath()}/history?limit=0`,
      capability: 'view',
    },
    {
      name: 'members, limit 0',
      method: 'GET',
      url: () => `${tenantPath()}/members?limit=0`,
      capability: 'view',
    },
    {
      name: 'support requests list, limit 0',
      method: 'GET',
      url: () => `${tenantPath()}/support-requests?limit=0`,
      capability: 'view',
    },
    {
      name: 'support request, empty body',
      method: 'POST',
      url: () => `${tenantPath()}/support-requests/actions/submit`,
      payload: {},
      capability: 'act',
    },
    {
      name: 'run support request, empty body',
      method: 'POST',
      url: () => `/admin/operations/${ids.run}/support-requests/actions/submit`,
      payload: {},
      capability: 'act',
    },
    {
      name: 'responsibility, owner as text',
      method: 'POST',
      url: () => `${findingPath()}/responsibility`,
      payload: { owner_user_id: 'me' },
      capability: 'act',
    },
    {
      name: 'exception request, empty body',
      method: 'POST',
      url: () => `${findingPath()}/exception-request`,
      payload: {},
      capability: 'act',
    },
    {
      name: 'workflow status, risk_accepted',
      method: 'POST',
      url: () => `${findingPath()}/status`,
      payload: { workflow_status: 'risk_accepted' },
      capability: 'act',
    },
    {
      name: 'bulk change, no findings named',
      method: 'POST',
      url: () => `${tenantPath()}/findings/actions/bulk`,
      payload: { change: { owner_user_id: null, workflow_status: 'triaged' } },
      capability: 'act',
    },
    {
      name: 'findings count, bad sort',
      method: 'GET',
      url: () => `${tenantPath()}/findings/count?sort=sideways`,
      capability: 'view',
    },
    {
      name: 'findings export, bad severity',
      method: 'GET',
      url: () => `${tenantPath()}/findings?format=csv&severity=urgent`,
      capability: 'view',
    },
  ] as const;
  const kinds: ActorKind[] = [
    'anonymous',
    'other workspace',
    'member of a sibling tenant only',
    'readonly',
    'owner',
  ];
  for (const input of badInputs) {
    for (const kind of kinds) {
      test(`${input.name} × ${kind}`, async () => {
        const allowed = input.capability === 'view' ? roles : (['owner'] as const);
        const expected = expectedStatus(kind, allowed, 422);
        for (const [name, credential] of credentialsOf(kind)) {
          const response = await request(t.app, credential, {
            method: input.method,
            url: input.url(),
            ...('payload' in input ? { payload: input.payload } : {}),
          });
          assert.equal(response.statusCode, expected, `${name}: ${response.body}`);
          if (expected === 404) assert.deepEqual(response.json(), NOT_FOUND);
        }
      });
    }
  }

  test('My work: signed out is 401 whatever the query, signed in a bad role is 422', async () => {
    const anonymous = await request(t.app, null, { method: 'GET', url: '/admin/my-work?role=boss' });
    assert.equal(anonymous.statusCode, 401);
    const owner = await request(t.app, world.token('owner'), {
      method: 'GET',
      url: '/admin/my-work?role=boss',
    });
    assert.equal(owner.statusCode, 422);
    assert.ok(owner.json().error.fields.role, owner.body);
  });
});
