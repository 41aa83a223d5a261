import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { NOT_FOUND } from '../../../../test/helpers/actors.ts';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  createWorkspaceActorWorld,
  expectedWorkspaceStatus,
  type WorkspaceActorWorld,
  workspaceActorKinds,
} from '../../../../test/helpers/workspace-actors.ts';
import type { Role, WorkspaceCapability } from '../../core/capabilities.ts';
import { auditEvents } from '../audit/tables.ts';

/** docs/rules.md "Access" and "Administration" for every people and tenant-role endpoint. */
let t: TestApp;
let world: WorkspaceActorWorld;
let serial = 0;

before(async () => {
  t = await startTestApp();
  world = await createWorkspaceActorWorld(t);
});

after(() => t.close());

const people = () => `/admin/w/${world.workspace.slug}/people`;

/** A fresh person of the workspace (so each successful change has its own target), optionally invited only. */
async function freshMember(options: { pending?: boolean; tenantRole?: Role } = {}) {
  const user = await make.createUser(t.db, options.pending ? { passwordHash: null } : {});
  await make.addWorkspaceMember(t.db, { workspaceId: world.workspace.id, userId: user.id, role: 'readonly' });
  if (options.tenantRole) {
    await make.addTenantMember(t.db, { tenant: world.tenant, userId: user.id, role: options.tenantRole });
  }
  return user.id;
}

interface Endpoint {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  capability: WorkspaceCapability;
  success: number;
  prepare(): Promise<{ url: string; payload?: unknown }>;
}

const tenantPath = (userId: number) => `${people()}/${userId}/tenants/${world.tenant.externalId}`;

const endpoints: Endpoint[] = [
  {
    name: 'list people',
    method: 'GET',
    capability: 'workspace.view',
    success: 200,
    prepare: async () => ({ url: people() }),
  },
  {
    name: 'one person',
    method: 'GET',
    capability: 'workspace.view',
    success: 200,
    prepare: async () => ({ url: `${people()}/${await freshMember()}` }),
  },
  {
    name: 'invite',
    method: 'POST',
    capability: 'workspace.administer',
    success: 201,
    prepare: async () => ({
      url: people(),
      payload: {
        email: `matrix-${++serial}@example.test`,
        display_name: 'Matrix',
        workspace_role: 'readonly',
      },
    }),
  },
  {
    name: 'reinvite',
    method: 'POST',
    capability: 'workspace.administer',
    success: 200,
    prepare: async () => ({ url: `${people()}/${await freshMember({ pending: true })}/actions/reinvite` }),
  },
  {
    name: 'change workspace role',
    method: 'PATCH',
    capability: 'workspace.administer',
    success: 200,
    prepare: async () => ({
      url: `${people()}/${await freshMember()}`,
      payload: { workspace_role: 'operator' },
    }),
  },
  {
    name: 'remove',
    method: 'DELETE',
    capability: 'workspace.administer',
    success: 204,
    prepare: async () => ({ url: `${people()}/${await freshMember()}` }),
  },
  {
    name: 'grant a tenant role',
    method: 'PUT',
    capability: 'workspace.grant_access',
    success: 200,
    prepare: async () => ({ url: tenantPath(await freshMember()), payload: { role: 'operator' } }),
  },
  {
    name: 'grant the tenant owner role',
    method: 'PUT',
    capability: 'workspace.administer',
    success: 200,
    prepare: async () => ({ url: tenantPath(await freshMember()), payload: { role: 'owner' } }),
  },
  {
    name: 'revoke a tenant role',
    method: 'DELETE',
    capability: 'workspace.grant_access',
    success: 204,
    prepare: async () => ({ url: tenantPath(await freshMember({ tenantRole: 'operator' })) }),
  },
  {
    name: 'grant many tenant roles',
    method: 'PUT',
    capability: 'workspace.grant_access',
    success: 200,
    prepare: async () => ({
      url: `${people()}/${await freshMember()}/tenants`,
      payload: { tenant_roles: [{ tenant: world.tenant.externalId, role: 'manager' }] },
    }),
  },
  {
    name: 'grant many tenant roles, one of them owner',
    method: 'PUT',
    capability: 'workspace.administer',
    success: 200,
    prepare: async () => ({
      url: `${people()}/${await freshMember()}/tenants`,
      payload: { tenant_roles: [{ tenant: world.tenant.externalId, role: 'owner' }] },
    }),
  },
];

const countAudit = async () =>
  (await t.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditEvents))[0]?.n ?? 0;

describe('every workspace actor kind × every endpoint, with a token and with a browser session', () => {
  for (const endpoint of endpoints) {
    for (const kind of workspaceActorKinds) {
      test(`${endpoint.name}: ${kind}`, async () => {
        const expected = expectedWorkspaceStatus(kind, endpoint.capability, endpoint.success);
        for (const [label, credential] of world.credentialsOf(kind)) {
          const { url, payload } = await endpoint.prepare();
          const audited = await countAudit();
          const response = await request(t.app, credential, {
            method: endpoint.method,
            url,
            ...(payload === undefined ? {} : { payload: payload as object }),
          });
          assert.equal(response.statusCode, expected, `${label} ${endpoint.method} ${url}: ${response.body}`);
          if (expected === 404) assert.deepEqual(response.json(), NOT_FOUND, label);
          if (expected !== endpoint.success)
            assert.equal(await countAudit(), audited, `${label}: nothing written`);
          else if (endpoint.method !== 'GET') assert.ok((await countAudit()) > audited, `${label}: audited`);
        }
      });
    }
  }
});

describe('a person or tenant outside the workspace is its 404, before 403 and 422', () => {
  const outOfReach = async () => {
    const stranger = await make.createUser(t.db);
    return [
      ['a user of another workspace', String(world.userIds['other workspace owner'])],
      ['a user who is in no workspace', String(stranger.id)],
      ['an unknown id', '999999'],
      ['a malformed id', 'abc'],
      ['a NUL', '%00'],
    ];
  };
  for (const kind of ['readonly', 'manager', 'owner'] as const) {
    test(`${kind}: every :user route`, async () => {
      for (const [what, user] of await outOfReach()) {
        for (const [method, path, payload] of [
          ['PATCH', '', { workspace_role: 7 }],
          ['DELETE', '', undefined],
          ['POST', '/actions/reinvite', undefined],
          ['PUT', '/tenants', { tenant_roles: 'nope' }],
          ['PUT', `/tenants/${world.tenant.externalId}`, { role: 'owner', extra: 1 }],
          ['DELETE', `/tenants/${world.tenant.externalId}`, undefined],
        ] as const) {
          const response = await request(t.app, world.token(kind), {
            method,
            url: `${people()}/${user}${path}`,
            ...(payload === undefined ? {} : { payload }),
          });
          assert.equal(response.statusCode, 404, `${what} ${method} ${path}: ${response.body}`);
          assert.deepEqual(response.json(), NOT_FOUND);
        }
      }
    });

    test(`${kind}: a tenant of another workspace, unknown or malformed`, async () => {
      const member = await freshMember();
      for (const tenant of [
        world.otherTenant.externalId,
        'no-such-tenant',
        'Not%20A%20Slug',
        '%00',
        'a'.repeat(64),
      ]) {
        for (const method of ['PUT', 'DELETE'] as const) {
          const response = await request(t.app, world.token(kind), {
            method,
            url: `${people()}/${member}/tenants/${tenant}`,
            ...(method === 'PUT' ? { payload: { role: 'owner', nope: true } } : {}),
          });
          assert.equal(response.statusCode, 404, `${tenant} ${method}: ${response.body}`);
        }
      }
    });
  }

  test("another workspace's owner cannot reach this workspace's people through their own workspace", async () => {
    const member = await freshMember();
    const response = await request(t.app, world.token('other workspace owner'), {
      method: 'PATCH',
      url: `/admin/w/${world.otherWorkspace.slug}/people/${member}`,
      payload: { workspace_role: 'owner' },
    });
    assert.equal(response.statusCode, 404);
  });
});

describe('a workspace manager grants tenant roles up to manager and leaves tenant owners alone', () => {
  const manager = () => world.token('manager');
  const owner = () => world.token('owner');

  test('up to manager: grant, change and revoke', async () => {
    const member = await freshMember();
    for (const role of ['readonly', 'operator', 'manager'] as const) {
      const response = await request(t.app, manager(), {
        method: 'PUT',
        url: tenantPath(member),
        payload: { role },
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json().tenant_roles, [{ tenant: world.tenant.externalId, role }]);
    }
    const revoked = await request(t.app, manager(), { method: 'DELETE', url: tenantPath(member) });
    assert.equal(revoked.statusCode, 204);
  });

  test('granting owner (one or in a list) is 403; the owner may', async () => {
    const member = await freshMember();
    const single = { method: 'PUT' as const, url: tenantPath(member), payload: { role: 'owner' } };
    assert.equal((await request(t.app, manager(), single)).statusCode, 403);
    const list = {
      method: 'PUT' as const,
      url: `${people()}/${member}/tenants`,
      payload: { tenant_roles: [{ tenant: world.tenant.externalId, role: 'owner' }] },
    };
    assert.equal((await request(t.app, manager(), list)).statusCode, 403);
    assert.equal((await request(t.app, owner(), single)).statusCode, 200);
  });

  test('the owner role is judged by the capability rule before the body (403 before 422)', async () => {
    const member = await freshMember();
    const single = await request(t.app, manager(), {
      method: 'PUT',
      url: tenantPath(member),
      payload: { role: 'owner', unknown_field: true },
    });
    assert.equal(single.statusCode, 403, single.body);
    const list = await request(t.app, manager(), {
      method: 'PUT',
      url: `${people()}/${member}/tenants`,
      payload: {
        tenant_roles: [
          { tenant: 'no-such-tenant', role: 'owner' },
          { tenant: world.tenant.externalId, role: 'emperor' },
        ],
      },
    });
    assert.equal(list.statusCode, 403, list.body);
  });

  test('an existing tenant owner cannot be changed or revoked by a manager (403), by an owner they can', async () => {
    const member = await freshMember({ tenantRole: 'owner' });
    const change = { method: 'PUT' as const, url: tenantPath(member), payload: { role: 'readonly' } };
    const changed = await request(t.app, manager(), change);
    assert.equal(changed.statusCode, 403, changed.body);
    const inList = await request(t.app, manager(), {
      method: 'PUT',
      url: `${people()}/${member}/tenants`,
      payload: { tenant_roles: [{ tenant: world.tenant.externalId, role: 'manager' }] },
    });
    assert.equal(inList.statusCode, 403, inList.body);
    const revoked = await request(t.app, manager(), { method: 'DELETE', url: tenantPath(member) });
    assert.equal(revoked.statusCode, 403, revoked.body);
    assert.equal((await request(t.app, owner(), change)).statusCode, 200);
    assert.equal(
      (await request(t.app, owner(), { method: 'DELETE', url: tenantPath(member) })).statusCode,
      204,
    );
  });
});
