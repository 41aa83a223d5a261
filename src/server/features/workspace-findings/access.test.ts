import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NOT_FOUND } from '../../../../test/helpers/actors.ts';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  createWorkspaceActorWorld,
  expectedWorkspaceStatus,
  type WorkspaceActorWorld,
  workspaceActorKinds,
} from '../../../../test/helpers/workspace-actors.ts';

/**
 * docs/rules.md "Access" and "Workspace views": every actor kind × every workspace view, by token and by
 * session (401, 404 for a non-member, then 200 for every workspace role); the answers hold rows of tenants
 * where the actor has a tenant role only; then a bad value for every query parameter answers 422 naming it.
 */
let t: TestApp;
let world: WorkspaceActorWorld;
/** A tenant of the same workspace where nobody of the world has a role: its rows must never show. */
let hidden: make.Tenant;
let seen: make.Finding;
let unseen: make.Finding;

before(async () => {
  t = await startTestApp();
  world = await createWorkspaceActorWorld(t);
  hidden = await make.createTenant(t.db, { workspaceId: world.workspace.id, name: 'Hidden tenant' });
  const requester = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant: world.tenant, userId: requester.id, role: 'operator' });
  await make.addTenantMember(t.db, { tenant: hidden, userId: requester.id, role: 'operator' });
  seen = await make.createFinding(t.db, { tenantId: world.tenant.id, title: 'Seen finding' });
  unseen = await make.createFinding(t.db, { tenantId: hidden.id, title: 'Seen-not finding' });
  await make.createException(t.db, { findingId: seen.id, ownerUserId: requester.id });
  await make.createException(t.db, { findingId: unseen.id, ownerUserId: requester.id });
  await make.createRun(t.db, { workspaceId: world.workspace.id, tenantId: hidden.id });
});
after(() => t.close());

const base = () => `/admin/w/${world.workspace.slug}`;

/** Each view, and the tenants (external ids) its answer names. */
const routes: { name: string; url: () => string; tenantsOf: (body: Record<string, unknown>) => string[] }[] =
  [
    {
      name: 'overview',
      url: () => `${base()}/overview`,
      tenantsOf: (body) =>
        (body.items as { tenant: { external_id: string } }[]).map((row) => row.tenant.external_id),
    },
    {
      name: 'findings',
      url: () => `${base()}/findings`,
      tenantsOf: (body) =>
        (body.items as { tenant: { external_id: string } }[]).map((row) => row.tenant.external_id),
    },
    {
      name: 'approval queue',
      url: () => `${base()}/exceptions`,
      tenantsOf: (body) =>
        (body.items as { tenant: { external_id: string } }[]).map((row) => row.tenant.external_id),
    },
    {
      name: 'search',
      url: () => `${base()}/search?q=seen`,
      tenantsOf: (body) =>
        (body.findings as { tenant: { external_id: string } }[]).map((row) => row.tenant.external_id),
    },
  ];

describe('every workspace actor kind × every view, with a token and with a browser session', () => {
  for (const route of routes) {
    for (const kind of workspaceActorKinds) {
      test(`${route.name}: ${kind}`, async () => {
        const expected = expectedWorkspaceStatus(kind, 'workspace.view');
        for (const [label, credential] of world.credentialsOf(kind)) {
          const response = await request(t.app, credential, { method: 'GET', url: route.url() });
          assert.equal(response.statusCode, expected, `${label}: ${response.body}`);
          if (expected === 404) assert.deepEqual(response.json(), NOT_FOUND, label);
          if (expected !== 200) continue;
          const named = route.tenantsOf(response.json());
          assert.deepEqual([...new Set(named)], [world.tenant.externalId], `${label}: ${response.body}`);
          assert.ok(!response.body.includes(hidden.externalId), label);
        }
      });
    }
  }

  test('another workspace answers the same 404 as an unknown one, and so does a malformed slug', async () => {
    for (const route of routes) {
      for (const slug of [world.otherWorkspace.slug, 'no-such-workspace', 'bad%00slug']) {
        const url = route.url().replace(world.workspace.slug, slug);
        const response = await request(t.app, world.token('owner'), { method: 'GET', url });
        assert.equal(response.statusCode, 404, url);
        assert.deepEqual(response.json(), NOT_FOUND);
      }
    }
  });

  test('the approval queue holds the tenants where the role decides exceptions only', async () => {
    const reader = await make.createUser(t.db);
    await make.addTenantMember(t.db, { tenant: world.tenant, userId: reader.id, role: 'manager' });
    const response = await request(
      t.app,
      { bearer: await make.createApiToken(t.db, { userId: reader.id }) },
      { method: 'GET', url: `${base()}/exceptions` },
    );
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().items, [], 'a manager decides no exception');
    const findings = await request(
      t.app,
      { bearer: await make.createApiToken(t.db, { userId: reader.id }) },
      { method: 'GET', url: `${base()}/findings` },
    );
    assert.equal(findings.json().items.length, 1, 'but sees the findings of the tenant');
  });

  test('a tenant filter naming a tenant out of reach shows nothing, like an unknown one', async () => {
    for (const tenant of [hidden.externalId, world.otherTenant.externalId, 'no-such-tenant']) {
      for (const path of ['findings', 'exceptions']) {
        const response = await request(t.app, world.token('owner'), {
          method: 'GET',
          url: `${base()}/${path}?tenant=${tenant}`,
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(response.json(), { items: [], next_cursor: null }, `${path} ${tenant}`);
      }
    }
  });

  test('search finds ids of tenants in reach only', async () => {
    for (const [id, expected] of [
      [seen.id, 1],
      [unseen.id, 0],
    ] as const) {
      const response = await request(t.app, world.token('owner'), {
        method: 'GET',
        url: `${base()}/search?q=${id}`,
      });
      assert.equal(
        response.json().findings.filter((row: { finding_id: number }) => row.finding_id === id).length,
        expected,
      );
    }
  });
});

describe('a bad value for every query parameter: 422 naming it, after access', () => {
  const cases: [string, string, string][] = [
    ['overview', 'sort=tenant', 'sort'],
    ['overview', `sort=${'a'.repeat(300)}`, 'sort'],
    ['overview', 'direction=up', 'direction'],
    ['overview', 'sort=critical&direction=%00', 'direction'],
    ['findings', 'limit=0', 'limit'],
    ['findings', 'limit=201', 'limit'],
    ['findings', 'limit=abc', 'limit'],
    ['findings', 'cursor=not-a-cursor', 'cursor'],
    ['findings', `cursor=${'a'.repeat(501)}`, 'cursor'],
    ['findings', 'sort=random', 'sort'],
    ['findings', 'responsibility_state=nobody', 'responsibility_state'],
    ['findings', 'accountability_gap=yes', 'accountability_gap'],
    ['findings', 'owner=someone', 'owner'],
    ['findings', 'owner=99999999999', 'owner'],
    ['findings', 'assignee=-1', 'assignee'],
    ['findings', 'severity=huge', 'severity'],
    ['findings', 'workflow_status=done', 'workflow_status'],
    ['findings', 'tenant=UPPER', 'tenant'],
    ['findings', `tenant=${'a'.repeat(64)}`, 'tenant'],
    ['findings', 'tenant=a%00b', 'tenant'],
    ['findings', 'format=xml', 'format'],
    ['exceptions', 'status=open', 'status'],
    ['exceptions', 'review=soon', 'review'],
    ['exceptions', 'tenant=Not_A_Tenant', 'tenant'],
    ['exceptions', 'limit=0', 'limit'],
    ['exceptions', 'cursor=%7B%7D', 'cursor'],
    ['exceptions', `cursor=${Buffer.from('{"due":"never","id":1}').toString('base64url')}`, 'cursor'],
    ['search', '', 'q'],
    ['search', 'q=', 'q'],
    ['search', `q=${'a'.repeat(201)}`, 'q'],
  ];
  for (const [path, query, field] of cases) {
    test(`${path}?${query.slice(0, 50)}`, async () => {
      const url = `${base()}/${path}?${query}`;
      const anonymous = await request(t.app, null, { method: 'GET', url });
      assert.equal(anonymous.statusCode, 401, 'nobody signed in hears 401 first');
      const outsider = await request(t.app, world.token('other workspace owner'), { method: 'GET', url });
      assert.equal(outsider.statusCode, 404, 'a non-member hears 404 before the 422');
      const response = await request(t.app, world.token('readonly'), { method: 'GET', url });
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().error.code, 'invalid');
      assert.ok(field in response.json().error.fields, response.body);
    });
  }
});
