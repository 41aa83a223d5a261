import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { NOT_FOUND } from '../../../../test/helpers/actors.ts';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  createWorkspaceActorWorld,
  expectedWorkspaceStatus,
  type WorkspaceActorWorld,
  workspaceActorKinds,
} from '../../../../test/helpers/workspace-actors.ts';
import type { WorkspaceCapability } from '../../core/capabilities.ts';
import { auditEvents } from '../audit/tables.ts';
import { tenants } from '../tenancy/tables.ts';

/** docs/rules.md "Access" and "Administration" for the workspace overview and tenant endpoints. */
let t: TestApp;
let world: WorkspaceActorWorld;
let serial = 0;

before(async () => {
  t = await startTestApp();
  world = await createWorkspaceActorWorld(t);
});

after(() => t.close());

const base = () => `/admin/w/${world.workspace.slug}`;

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  url: () => string;
  payload?: () => Record<string, unknown>;
  capability: WorkspaceCapability;
  success: number;
}

const routes: Route[] = [
  { name: 'overview', method: 'GET', url: base, capability: 'workspace.view', success: 200 },
  {
    name: 'list tenants',
    method: 'GET',
    url: () => `${base()}/tenants`,
    capability: 'workspace.view',
    success: 200,
  },
  {
    name: 'create tenant',
    method: 'POST',
    url: () => `${base()}/tenants`,
    payload: () => ({ external_id: `matrix-${++serial}`, name: `Matrix ${serial}` }),
    capability: 'workspace.administer',
    success: 201,
  },
  {
    name: 'update tenant',
    method: 'PATCH',
    url: () => `${base()}/tenants/${world.tenant.externalId}`,
    payload: () => ({ name: `Renamed ${++serial}` }),
    capability: 'workspace.administer',
    success: 200,
  },
];

describe('every workspace actor kind × every endpoint, with a token and with a browser session', () => {
  for (const route of routes) {
    for (const kind of workspaceActorKinds) {
      test(`${route.name}: ${kind}`, async () => {
        const expected = expectedWorkspaceStatus(kind, route.capability, route.success);
        for (const [label, credential] of world.credentialsOf(kind)) {
          const before = await t.db.select({ id: tenants.id, name: tenants.name }).from(tenants);
          const response = await request(t.app, credential, {
            method: route.method,
            url: route.url(),
            ...(route.payload ? { payload: route.payload() } : {}),
          });
          assert.equal(response.statusCode, expected, `${label}: ${response.body}`);
          if (expected === 404) assert.deepEqual(response.json(), NOT_FOUND, label);
          if (expected !== route.success && route.method !== 'GET') {
            const now = await t.db.select({ id: tenants.id, name: tenants.name }).from(tenants);
            assert.deepEqual(now, before, `${label}: nothing written`);
          }
        }
      });
    }
  }
});

describe('PATCH names a tenant of the path workspace: anything else is its 404, before 403 and 422', () => {
  const outOfReach = () => [
    ['a tenant of another workspace', world.otherTenant.externalId],
    ['an unknown tenant', 'no-such-tenant'],
    ['a malformed external_id', 'Not%20A%20Slug'],
    ['a NUL', '%00'],
    ['an over-long external_id', 'a'.repeat(64)],
  ];
  const kinds = ['readonly', 'operator', 'manager', 'owner'] as const;
  for (const kind of kinds) {
    test(`${kind}: 404 with a valid body and with a bad one`, async () => {
      for (const [what, tenant] of outOfReach()) {
        for (const payload of [{ name: 'Fine' }, { name: 7, external_id: 'x', nope: true }]) {
          const response = await request(t.app, world.token(kind), {
            method: 'PATCH',
            url: `${base()}/tenants/${tenant}`,
            payload,
          });
          assert.equal(response.statusCode, 404, `${what}: ${response.body}`);
          assert.deepEqual(response.json(), NOT_FOUND);
        }
      }
    });
  }

  test("the other workspace's owner cannot reach this workspace's tenant through their own workspace", async () => {
    const response = await request(t.app, world.token('other workspace owner'), {
      method: 'PATCH',
      url: `/admin/w/${world.otherWorkspace.slug}/tenants/${world.tenant.externalId}`,
      payload: { name: 'Hijacked' },
    });
    assert.equal(response.statusCode, 404);
    const [row] = await t.db.select().from(tenants).where(eq(tenants.id, world.tenant.id));
    assert.notEqual(row?.name, 'Hijacked');
  });

  test('a role without workspace.administer gets 403 before the body is judged', async () => {
    for (const kind of ['readonly', 'operator', 'manager'] as const) {
      for (const [method, url] of [
        ['PATCH', `${base()}/tenants/${world.tenant.externalId}`],
        ['POST', `${base()}/tenants`],
      ] as const) {
        const response = await request(t.app, world.token(kind), {
          method,
          url,
          payload: { external_id: 'BAD ID', nope: 1 },
        });
        assert.equal(response.statusCode, 403, `${kind} ${method}: ${response.body}`);
      }
    }
  });
});

test('an owner of a tenant who is readonly in the workspace cannot create or change tenants', async () => {
  const user = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: world.workspace.id, userId: user.id, role: 'readonly' });
  await make.addTenantMember(t.db, { tenant: world.tenant, userId: user.id, role: 'owner' });
  const bearer = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  const auditBefore = (await t.db.select().from(auditEvents)).length;

  const create = await request(t.app, bearer, {
    method: 'POST',
    url: `${base()}/tenants`,
    payload: { external_id: 'tenant-owner-attempt', name: 'Attempt' },
  });
  assert.equal(create.statusCode, 403, create.body);
  const update = await request(t.app, bearer, {
    method: 'PATCH',
    url: `${base()}/tenants/${world.tenant.externalId}`,
    payload: { archived: true },
  });
  assert.equal(update.statusCode, 403, update.body);

  assert.equal(
    (await t.db.select().from(tenants).where(eq(tenants.externalId, 'tenant-owner-attempt'))).length,
    0,
  );
  const [row] = await t.db.select().from(tenants).where(eq(tenants.id, world.tenant.id));
  assert.equal(row?.archivedAt, null);
  assert.equal((await t.db.select().from(auditEvents)).length, auditBefore);
  // Reading is theirs, as for every member.
  const list = await request(t.app, bearer, { method: 'GET', url: `${base()}/tenants` });
  assert.equal(list.statusCode, 200);
});
