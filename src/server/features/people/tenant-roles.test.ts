import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asc, eq, sql } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { auditEvents } from '../audit/tables.ts';
import { tenantMemberships, tenants } from '../tenancy/tables.ts';
import type { Person } from './schemas.ts';

/** docs/rules.md "Administration": tenant roles granted, changed and revoked inside the workspace. */
let t: TestApp;

before(async () => {
  t = await startTestApp();
});

after(() => t.close());

async function createTeam() {
  const workspace = await make.createWorkspace(t.db);
  const tenantNamed = (name: string) =>
    make.createTenant(t.db, { workspaceId: workspace.id, externalId: `${name}-${workspace.slug}` });
  const alpha = await tenantNamed('alpha');
  const beta = await tenantNamed('beta');
  const gamma = await tenantNamed('gamma');
  const owner = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  const manager = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: manager.id, role: 'manager' });
  const person = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: person.id, role: 'readonly' });
  const token = async (userId: number): Promise<Credential> => ({
    bearer: await make.createApiToken(t.db, { userId }),
  });
  return {
    workspace,
    tenants: { alpha, beta, gamma },
    owner: await token(owner.id),
    manager: await token(manager.id),
    managerId: manager.id,
    person,
    personToken: await token(person.id),
    url: `/admin/w/${workspace.slug}/people/${person.id}/tenants`,
  };
}

const rolesOf = async (userId: number) =>
  (
    await t.db
      .select({ tenant: tenants.externalId, role: tenantMemberships.role })
      .from(tenantMemberships)
      .innerJoin(tenants, eq(tenants.id, tenantMemberships.tenantId))
      .where(eq(tenantMemberships.userId, userId))
      .orderBy(asc(tenants.externalId))
  ).map((row) => `${row.tenant}:${row.role}`);

const countAudit = async () =>
  (await t.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(auditEvents))[0]?.n ?? 0;

describe('one tenant at a time', () => {
  test('grant, change and revoke: each audited with before and after, on the tenant', async () => {
    const team = await createTeam();
    const { alpha } = team.tenants;
    const dashboard = `/admin/t/${alpha.externalId}`;
    assert.equal((await request(t.app, team.personToken, { method: 'GET', url: dashboard })).statusCode, 404);

    const granted = await request(t.app, team.owner, {
      method: 'PUT',
      url: `${team.url}/${alpha.externalId}`,
      payload: { role: 'operator' },
    });
    assert.equal(granted.statusCode, 200, granted.body);
    assert.deepEqual((granted.json() as Person).tenant_roles, [
      { tenant: alpha.externalId, role: 'operator' },
    ]);
    assert.equal((await request(t.app, team.personToken, { method: 'GET', url: dashboard })).statusCode, 200);

    const changed = await request(t.app, team.owner, {
      method: 'PUT',
      url: `${team.url}/${alpha.externalId}`,
      payload: { role: 'owner' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    const revoked = await request(t.app, team.owner, {
      method: 'DELETE',
      url: `${team.url}/${alpha.externalId}`,
    });
    assert.equal(revoked.statusCode, 204, revoked.body);
    assert.equal((await request(t.app, team.personToken, { method: 'GET', url: dashboard })).statusCode, 404);
    const again = await request(t.app, team.owner, {
      method: 'DELETE',
      url: `${team.url}/${alpha.externalId}`,
    });
    assert.equal(again.statusCode, 404, 'no role left to revoke');

    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectType, 'tenant_role'))
      .orderBy(asc(auditEvents.id));
    const mine = events.filter((event) => event.subjectId === String(team.person.id));
    assert.deepEqual(
      mine.map((event) => [event.action, event.tenantId, event.before, event.after]),
      [
        ['tenant_role.granted', alpha.id, null, { tenant: alpha.externalId, role: 'operator' }],
        [
          'tenant_role.changed',
          alpha.id,
          { tenant: alpha.externalId, role: 'operator' },
          { tenant: alpha.externalId, role: 'owner' },
        ],
        ['tenant_role.revoked', alpha.id, { tenant: alpha.externalId, role: 'owner' }, null],
      ],
    );
  });

  test('nobody changes their own tenant roles (403), not even an owner', async () => {
    const team = await createTeam();
    const self = `/admin/w/${team.workspace.slug}/people/${team.managerId}/tenants`;
    const before = await countAudit();
    for (const [method, url, payload] of [
      ['PUT', `${self}/${team.tenants.alpha.externalId}`, { role: 'manager' }],
      ['PUT', self, { tenant_roles: [{ tenant: team.tenants.alpha.externalId, role: 'readonly' }] }],
      ['DELETE', `${self}/${team.tenants.alpha.externalId}`, undefined],
    ] as const) {
      const response = await request(t.app, team.manager, { method, url, ...(payload ? { payload } : {}) });
      assert.equal(response.statusCode, 403, `${method} ${url}: ${response.body}`);
    }
    assert.equal(await countAudit(), before);
    assert.deepEqual(await rolesOf(team.managerId), []);
  });

  test('an archived tenant refuses grants, changes and revokes (409), nothing written', async () => {
    const team = await createTeam();
    const { alpha, beta } = team.tenants;
    await make.addTenantMember(t.db, { tenant: alpha, userId: team.person.id, role: 'readonly' });
    await t.db.update(tenants).set({ archivedAt: new Date() }).where(eq(tenants.id, alpha.id));
    await t.db.update(tenants).set({ archivedAt: new Date() }).where(eq(tenants.id, beta.id));
    const before = await countAudit();
    for (const [method, url, payload] of [
      ['PUT', `${team.url}/${alpha.externalId}`, { role: 'manager' }],
      ['PUT', `${team.url}/${beta.externalId}`, { role: 'readonly' }],
      ['DELETE', `${team.url}/${alpha.externalId}`, undefined],
      ['PUT', team.url, { tenant_roles: [{ tenant: beta.externalId, role: 'operator' }] }],
    ] as const) {
      for (const actor of [team.owner, team.manager]) {
        const response = await request(t.app, actor, { method, url, ...(payload ? { payload } : {}) });
        assert.equal(response.statusCode, 409, `${method} ${url}: ${response.body}`);
        assert.match(response.json().error.message, /archived/);
      }
    }
    assert.equal(await countAudit(), before);
    assert.deepEqual(await rolesOf(team.person.id), [`${alpha.externalId}:readonly`]);
  });
});

describe('many tenants at once, all or nothing', () => {
  test('grants and changes every tenant named and leaves the others', async () => {
    const team = await createTeam();
    const { alpha, beta, gamma } = team.tenants;
    await make.addTenantMember(t.db, { tenant: alpha, userId: team.person.id, role: 'readonly' });
    await make.addTenantMember(t.db, { tenant: gamma, userId: team.person.id, role: 'operator' });
    const response = await request(t.app, team.manager, {
      method: 'PUT',
      url: team.url,
      payload: {
        tenant_roles: [
          { tenant: alpha.externalId, role: 'manager' },
          { tenant: beta.externalId, role: 'operator' },
        ],
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(await rolesOf(team.person.id), [
      `${alpha.externalId}:manager`,
      `${beta.externalId}:operator`,
      `${gamma.externalId}:operator`,
    ]);
    assert.deepEqual((response.json() as Person).tenant_roles.length, 3);
  });

  test('one refused tenant refuses the whole list: unknown (422), archived (409), a tenant owner (403)', async () => {
    const team = await createTeam();
    const { alpha, beta, gamma } = team.tenants;
    await make.addTenantMember(t.db, { tenant: gamma, userId: team.person.id, role: 'owner' });
    const other = await make.createTenant(t.db, { workspaceId: (await make.createWorkspace(t.db)).id });
    const list = (last: { tenant: string; role: string }) => ({
      tenant_roles: [
        { tenant: alpha.externalId, role: 'readonly' },
        { tenant: beta.externalId, role: 'operator' },
        last,
      ],
    });
    const before = await countAudit();
    const unknown = await request(t.app, team.owner, {
      method: 'PUT',
      url: team.url,
      payload: list({ tenant: other.externalId, role: 'readonly' }),
    });
    assert.equal(unknown.statusCode, 422, unknown.body);
    assert.deepEqual(unknown.json().error.fields, {
      'tenant_roles.2.tenant': 'is not a tenant of this workspace',
    });
    const touchesOwner = await request(t.app, team.manager, {
      method: 'PUT',
      url: team.url,
      payload: list({ tenant: gamma.externalId, role: 'manager' }),
    });
    assert.equal(touchesOwner.statusCode, 403, touchesOwner.body);
    await t.db.update(tenants).set({ archivedAt: new Date() }).where(eq(tenants.id, beta.id));
    const archived = await request(t.app, team.owner, {
      method: 'PUT',
      url: team.url,
      payload: list({ tenant: gamma.externalId, role: 'owner' }),
    });
    assert.equal(archived.statusCode, 409, archived.body);
    assert.equal(await countAudit(), before);
    assert.deepEqual(await rolesOf(team.person.id), [`${gamma.externalId}:owner`]);
  });

  test('a tenant named twice, an empty list or more than 100 entries is 422', async () => {
    const team = await createTeam();
    const { alpha } = team.tenants;
    const cases: [unknown, string][] = [
      [
        {
          tenant_roles: [
            { tenant: alpha.externalId, role: 'readonly' },
            { tenant: alpha.externalId, role: 'manager' },
          ],
        },
        'tenant_roles.1.tenant',
      ],
      [{ tenant_roles: [] }, 'tenant_roles'],
      [
        { tenant_roles: Array.from({ length: 101 }, (_, i) => ({ tenant: `t-${i}`, role: 'readonly' })) },
        'tenant_roles',
      ],
    ];
    for (const [payload, field] of cases) {
      const response = await request(t.app, team.owner, {
        method: 'PUT',
        url: team.url,
        payload: payload as object,
      });
      assert.equal(response.statusCode, 422, response.body);
      assert.ok(field in response.json().error.fields, `${field}: ${response.body}`);
    }
    assert.deepEqual(await rolesOf(team.person.id), []);
  });

  test('a tenant role needs a workspace membership: someone outside the workspace is not there (404)', async () => {
    const team = await createTeam();
    const outsider = await make.createUser(t.db);
    const response = await request(t.app, team.owner, {
      method: 'PUT',
      url: `/admin/w/${team.workspace.slug}/people/${outsider.id}/tenants/${team.tenants.alpha.externalId}`,
      payload: { role: 'readonly' },
    });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(await rolesOf(outsider.id), []);
  });
});
