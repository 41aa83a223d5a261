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
} from '../../../../test/helpers/actors.ts';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  countWrites,
  runSubmitUrl,
  tenantSubmitUrl,
  validBody,
} from '../../../../test/helpers/support-requests.ts';
import type { Role } from '../tenancy/tables.ts';

/** docs/rules.md "Access" for every support-request endpoint: 401, then 404, then 403, then the action. */
let t: TestApp;
let world: ActorWorld;
const ids = { run: 0, siblingRun: 0, otherRun: 0, workspaceRun: 0, otherWorkspaceRun: 0, request: 0 };
const creators: Role[] = ['operator', 'manager', 'owner'];

before(async () => {
  t = await startTestApp();
  world = await createActorWorld(t);
  const { workspace, otherWorkspace, tenant, siblingTenant, otherTenant } = world;
  ids.run = (await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id })).id;
  ids.siblingRun = (await make.createRun(t.db, { workspaceId: workspace.id, tenantId: siblingTenant.id })).id;
  ids.otherRun = (
    await make.createRun(t.db, { workspaceId: otherWorkspace.id, tenantId: otherTenant.id })
  ).id;
  ids.workspaceRun = (await make.createRun(t.db, { workspaceId: workspace.id, tenantId: null })).id;
  ids.otherWorkspaceRun = (await make.createRun(t.db, { workspaceId: otherWorkspace.id, tenantId: null })).id;
  const created = await request(t.app, world.token('owner'), {
    method: 'POST',
    url: tenantSubmitUrl(tenant.externalId),
    payload: validBody(),
  });
  ids.request = created.json().support_request_id;
});

after(() => t.close());

interface Route {
  name: string;
  method: 'GET' | 'POST';
  url: () => string;
  expected: (kind: ActorKind) => number;
}

const tenantUrl = () => `/admin/t/${world.tenant.externalId}`;
const viewers = (kind: ActorKind) => expectedStatus(kind, roles);
const submitters = (kind: ActorKind) => expectedStatus(kind, creators);
/** A tenant only one outside kind is entitled to (as owner): everyone else gets 404. */
const onlyFor = (owner: ActorKind) => (kind: ActorKind) =>
  kind === 'anonymous' || kind === 'inactive user' ? 401 : kind === owner ? 200 : 404;
const nobody = (kind: ActorKind) => (kind === 'anonymous' || kind === 'inactive user' ? 401 : 404);
const signedIn = (kind: ActorKind) => (kind === 'anonymous' || kind === 'inactive user' ? 401 : 200);

const routes: Route[] = [
  {
    name: 'submit (tenant)',
    method: 'POST',
    url: () => tenantSubmitUrl(world.tenant.externalId),
    expected: submitters,
  },
  { name: 'submit (run)', method: 'POST', url: () => runSubmitUrl(ids.run), expected: submitters },
  { name: 'list', method: 'GET', url: () => `${tenantUrl()}/support-requests`, expected: viewers },
  {
    name: 'detail',
    method: 'GET',
    url: () => `${tenantUrl()}/support-requests/${ids.request}`,
    expected: viewers,
  },
  {
    name: 'latest (tenant)',
    method: 'GET',
    url: () => `${tenantUrl()}/support-requests/latest`,
    expected: viewers,
  },
  {
    name: 'latest (run)',
    method: 'GET',
    url: () => `/admin/operations/${ids.run}/support-requests/latest`,
    expected: viewers,
  },
  {
    name: 'submit on a sibling tenant run',
    method: 'POST',
    url: () => runSubmitUrl(ids.siblingRun),
    expected: onlyFor('member of a sibling tenant only'),
  },
  {
    name: 'latest of a sibling tenant run',
    method: 'GET',
    url: () => `/admin/operations/${ids.siblingRun}/support-requests/latest`,
    expected: onlyFor('member of a sibling tenant only'),
  },
  {
    name: 'submit on another workspace run',
    method: 'POST',
    url: () => runSubmitUrl(ids.otherRun),
    expected: onlyFor('other workspace'),
  },
  {
    name: 'submit on a sibling tenant',
    method: 'POST',
    url: () => tenantSubmitUrl(world.siblingTenant.externalId),
    expected: onlyFor('member of a sibling tenant only'),
  },
  {
    name: 'submit on a run without a tenant',
    method: 'POST',
    url: () => runSubmitUrl(ids.workspaceRun),
    expected: nobody,
  },
  {
    name: 'latest of a run without a tenant',
    method: 'GET',
    url: () => `/admin/operations/${ids.workspaceRun}/support-requests/latest`,
    expected: nobody,
  },
  {
    name: "submit on another workspace's run without a tenant",
    method: 'POST',
    url: () => runSubmitUrl(ids.otherWorkspaceRun),
    expected: nobody,
  },
  {
    name: 'submit on an unknown tenant',
    method: 'POST',
    url: () => tenantSubmitUrl('no-such-tenant'),
    expected: nobody,
  },
  { name: 'desk availability', method: 'GET', url: () => '/admin/support-desk', expected: signedIn },
];

describe('support-request endpoints × actor kinds (token and session)', () => {
  for (const route of routes) {
    for (const kind of actorKinds) {
      test(`${route.name} × ${kind}`, async () => {
        for (const [label, credential] of world.credentialsOf(kind)) {
          const before = await countWrites(t.db);
          const response = await request(t.app, credential, {
            method: route.method,
            url: route.url(),
            ...(route.method === 'POST' ? { payload: validBody() } : {}),
          });
          const expected = route.expected(kind);
          assert.equal(response.statusCode, expected, `${label}: ${response.body}`);
          if (expected === 404) assert.deepEqual(response.json(), NOT_FOUND, label);
          if (expected === 401) assert.equal(response.json().error.code, 'unauthenticated');
          if (expected === 403) assert.equal(response.json().error.code, 'forbidden');
          if (route.method === 'POST' && expected !== 200)
            assert.deepEqual(await countWrites(t.db), before, label);
        }
      });
    }
  }
});

describe('ids that name nothing answer the same 404', () => {
  test('malformed and unknown run ids, on both run endpoints, even for the tenant owner', async () => {
    for (const run of ['abc', '-1', '0', '1.5', '1e3', '12345678901234567890', '2147483648', '99999999']) {
      for (const [method, url] of [
        ['POST', runSubmitUrl(run)],
        ['GET', `/admin/operations/${run}/support-requests/latest`],
      ] as const) {
        const response = await request(t.app, world.token('owner'), {
          method,
          url,
          ...(method === 'POST' ? { payload: validBody() } : {}),
        });
        assert.equal(response.statusCode, 404, `${method} ${url}`);
        assert.deepEqual(response.json(), NOT_FOUND);
      }
    }
  });
});

describe('access is decided before the body is judged', () => {
  test('an invalid body is 404 for outsiders, 403 for readonly, 422 only for those allowed', async () => {
    const bad = { severity: 'urgent', summary: '' };
    for (const [kind, status] of [
      ['other workspace', 404],
      ['member of a sibling tenant only', 404],
      ['readonly', 403],
      ['operator', 422],
    ] as const) {
      for (const url of [tenantSubmitUrl(world.tenant.externalId), runSubmitUrl(ids.run)]) {
        const response = await request(t.app, world.token(kind), { method: 'POST', url, payload: bad });
        assert.equal(response.statusCode, status, `${kind} ${url}: ${response.body}`);
      }
    }
    const anonymous = await request(t.app, null, {
      method: 'POST',
      url: tenantSubmitUrl(world.tenant.externalId),
      payload: bad,
    });
    assert.equal(anonymous.statusCode, 401);
  });

  test('a signed-in browser without the CSRF token cannot submit', async () => {
    const [, credential] = world.credentialsOf('owner')[1] ?? [];
    assert.ok(credential && 'session' in credential);
    const response = await t.app.inject({
      method: 'POST',
      url: tenantSubmitUrl(world.tenant.externalId),
      headers: { cookie: credential.session.cookie, accept: 'application/json' },
      payload: validBody(),
    });
    assert.equal(response.statusCode, 403);
  });
});
