import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { auditEvents } from '../audit/tables.ts';
import { tenantMemberships, tenants } from '../tenancy/tables.ts';
import type { WorkspaceTenant } from './schemas.ts';

/** docs/rules.md "Administration": creating and changing a workspace's tenants, and what is audited. */
let t: TestApp;
let workspace: make.Workspace;
let otherWorkspace: make.Workspace;
let ownerId: number;
let owner: Credential;
let serial = 0;

const GUID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

async function member(workspaceId: number, role: 'owner' | 'readonly') {
  const user = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId, userId: user.id, role });
  return { id: user.id, credential: { bearer: await make.createApiToken(t.db, { userId: user.id }) } };
}

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db, { name: 'Northwind MSP' });
  otherWorkspace = await make.createWorkspace(t.db);
  const o = await member(workspace.id, 'owner');
  ownerId = o.id;
  owner = o.credential;
});

after(() => t.close());

const tenantsUrl = (slug = workspace.slug) => `/admin/w/${slug}/tenants`;
const nextId = (prefix = 'tenant') => `${prefix}-${++serial}`;

async function create(body: Record<string, unknown>, as: Credential = owner) {
  return request(t.app, as, { method: 'POST', url: tenantsUrl(), payload: body });
}

async function createOk(body: Record<string, unknown> = {}): Promise<WorkspaceTenant> {
  const response = await create({ external_id: nextId(), name: `Tenant ${serial}`, ...body });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}

async function patch(externalId: string, body: Record<string, unknown>, as: Credential = owner) {
  return request(t.app, as, { method: 'PATCH', url: `${tenantsUrl()}/${externalId}`, payload: body });
}

const eventsOf = (tenantId: number) =>
  t.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(auditEvents.id);

const rowOf = async (id: number) =>
  must((await t.db.select().from(tenants).where(eq(tenants.id, id)))[0], `tenant ${id}`);

describe('POST /admin/w/{workspace}/tenants', () => {
  test('answers 201 with the tenant; GUID and domain stored lower case, text exactly as sent', async () => {
    const name = 'Contoso "Ltd" <b>😀</b> \'; drop table tenants; --';
    const response = await create({
      external_id: 'contoso-ltd',
      name,
      directory_id: GUID.toUpperCase(),
      primary_domain: 'Contoso.COM',
      desk_customer_id: 'ORG-42',
    });
    assert.equal(response.statusCode, 201, response.body);
    const tenant: WorkspaceTenant = response.json();
    assert.deepEqual(
      { ...tenant, id: 0, created_at: '' },
      {
        id: 0,
        external_id: 'contoso-ltd',
        name,
        directory_id: GUID,
        primary_domain: 'contoso.com',
        desk_customer_id: 'ORG-42',
        archived: false,
        archived_at: null,
        created_at: '',
        my_role: 'owner',
      },
    );
    assert.ok(Math.abs(Date.parse(tenant.created_at) - Date.now()) < 60_000);
    const row = await rowOf(tenant.id);
    assert.equal(row.workspaceId, workspace.id);
    assert.equal(row.directoryId, GUID);
  });

  test('optional fields may be absent or null', async () => {
    const tenant = await createOk({ directory_id: null, primary_domain: null, desk_customer_id: null });
    assert.equal(tenant.directory_id, null);
    assert.equal(tenant.primary_domain, null);
    assert.equal(tenant.desk_customer_id, null);
    assert.equal((await createOk()).directory_id, null);
  });

  test('the creating owner holds the tenant owner role at once: the tenant opens for them', async () => {
    const tenant = await createOk();
    const [membership] = await t.db
      .select()
      .from(tenantMemberships)
      .where(and(eq(tenantMemberships.tenantId, tenant.id), eq(tenantMemberships.userId, ownerId)));
    assert.equal(membership?.role, 'owner');
    const dashboard = await request(t.app, owner, { method: 'GET', url: `/admin/t/${tenant.external_id}` });
    assert.equal(dashboard.statusCode, 200, dashboard.body);
    const session = await request(t.app, owner, { method: 'GET', url: '/api/session' });
    const mine = session.json().workspaces.find((w: { id: number }) => w.id === workspace.id);
    assert.ok(mine.tenants.some((x: { external_id: string }) => x.external_id === tenant.external_id));
    // Nobody else gets a role on it.
    assert.equal(
      (await t.db.select().from(tenantMemberships).where(eq(tenantMemberships.tenantId, tenant.id))).length,
      1,
    );
  });

  test('audits tenant.created and the owner grant, with actor, workspace, tenant and address', async () => {
    const tenant = await createOk({ directory_id: GUID.replace('72', '73'), desk_customer_id: 'X' });
    const events = await eventsOf(tenant.id);
    assert.deepEqual(
      events.map((e) => e.action),
      ['tenant.created', 'tenant_role.granted'],
    );
    for (const event of events) {
      assert.equal(event.actorUserId, ownerId);
      assert.equal(event.workspaceId, workspace.id);
      assert.equal(event.clientAddress, '127.0.0.1');
    }
    const [created, granted] = events;
    assert.equal(created?.subjectType, 'tenant');
    assert.equal(created?.subjectId, String(tenant.id));
    assert.deepEqual(created?.after, {
      external_id: tenant.external_id,
      name: tenant.name,
      directory_id: tenant.directory_id,
      primary_domain: null,
      desk_customer_id: 'X',
      archived: false,
    });
    assert.equal(granted?.subjectType, 'tenant_role');
    assert.equal(granted?.subjectId, String(ownerId));
    assert.deepEqual(granted?.after, { tenant: tenant.external_id, role: 'owner' });
  });

  test('external_id is unique in the installation: taken here or in another workspace → 409, nothing written', async () => {
    const here = await createOk();
    const elsewhere = await make.createTenant(t.db, { workspaceId: otherWorkspace.id });
    for (const taken of [here.external_id, elsewhere.externalId]) {
      const before = await t.db.select().from(tenants);
      const auditsBefore = (await t.db.select().from(auditEvents)).length;
      const response = await create({ external_id: taken, name: 'Duplicate' });
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(response.json().error.code, 'conflict');
      assert.deepEqual(response.json().error.fields, { external_id: 'is already taken' });
      assert.deepEqual(await t.db.select().from(tenants), before);
      assert.equal((await t.db.select().from(auditEvents)).length, auditsBefore);
    }
  });

  test('directory_id is unique in the installation, in any case → 409, nothing written', async () => {
    const guid = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    await make.createTenant(t.db, { workspaceId: otherWorkspace.id, directoryId: guid });
    const before = (await t.db.select().from(tenants)).length;
    for (const spelling of [guid, guid.toUpperCase()]) {
      const response = await create({
        external_id: nextId(),
        name: 'Same directory',
        directory_id: spelling,
      });
      assert.equal(response.statusCode, 409, response.body);
      assert.deepEqual(response.json().error.fields, { directory_id: 'is already taken' });
    }
    assert.equal((await t.db.select().from(tenants)).length, before);
  });

  test('two creates racing for one external_id: one 201, one 409', async () => {
    const externalId = nextId('race');
    const answers = await Promise.all(
      [1, 2, 3].map((n) => create({ external_id: externalId, name: `Racer ${n}` })),
    );
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [201, 409, 409]);
    assert.equal((await t.db.select().from(tenants).where(eq(tenants.externalId, externalId))).length, 1);
  });
});

describe('PATCH /admin/w/{workspace}/tenants/{tenant}', () => {
  test('sets, clears and keeps fields; answers 200 with the tenant; audits only what changed', async () => {
    const tenant = await createOk({ primary_domain: 'fabrikam.com', desk_customer_id: 'C-1' });
    const response = await patch(tenant.external_id, {
      name: 'Fabrikam Retail',
      directory_id: GUID.replace('72', '74').toUpperCase(),
      desk_customer_id: null,
    });
    assert.equal(response.statusCode, 200, response.body);
    const updated: WorkspaceTenant = response.json();
    assert.equal(updated.name, 'Fabrikam Retail');
    assert.equal(updated.directory_id, GUID.replace('72', '74'));
    assert.equal(updated.primary_domain, 'fabrikam.com');
    assert.equal(updated.desk_customer_id, null);
    assert.equal(updated.external_id, tenant.external_id);
    assert.equal(updated.my_role, 'owner');
    const event = (await eventsOf(tenant.id)).at(-1);
    assert.equal(event?.action, 'tenant.updated');
    assert.equal(event?.actorUserId, ownerId);
    assert.deepEqual(event?.before, { name: tenant.name, directory_id: null, desk_customer_id: 'C-1' });
    assert.deepEqual(event?.after, {
      name: 'Fabrikam Retail',
      directory_id: GUID.replace('72', '74'),
      desk_customer_id: null,
    });

    const cleared = await patch(tenant.external_id, { directory_id: null, primary_domain: null });
    assert.equal(cleared.json().directory_id, null);
    assert.equal(cleared.json().primary_domain, null);
  });

  test('nothing changed → 200 with the tenant as it is, no audit event', async () => {
    const tenant = await createOk({ primary_domain: 'adatum.com' });
    const audits = (await eventsOf(tenant.id)).length;
    for (const body of [{}, { name: tenant.name }, { primary_domain: 'ADATUM.com', archived: false }]) {
      const response = await patch(tenant.external_id, body);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), tenant);
    }
    assert.equal((await eventsOf(tenant.id)).length, audits);
  });

  test('external_id cannot be changed: 422 naming it, with any value, nothing written', async () => {
    const tenant = await createOk();
    for (const external_id of ['renamed', tenant.external_id, null, 5]) {
      const response = await patch(tenant.external_id, { external_id, name: 'Also renamed' });
      assert.equal(response.statusCode, 422, response.body);
      assert.match(response.json().error.fields.external_id, /cannot be changed/);
    }
    assert.equal((await rowOf(tenant.id)).name, tenant.name);
    assert.equal((await eventsOf(tenant.id)).length, 2);
  });

  test("a directory_id another tenant has → 409; the tenant's own is no conflict", async () => {
    const first = await createOk({ directory_id: GUID.replace('72', '75') });
    const second = await createOk();
    const response = await patch(second.external_id, { directory_id: first.directory_id?.toUpperCase() });
    assert.equal(response.statusCode, 409, response.body);
    assert.equal((await rowOf(second.id)).directoryId, null);
    const own = await patch(first.external_id, { directory_id: first.directory_id, name: 'Kept directory' });
    assert.equal(own.statusCode, 200, own.body);
  });

  test('archiving: archived and archived_at set, audited tenant.archived; changes with it are kept', async () => {
    const tenant = await createOk();
    const response = await patch(tenant.external_id, { archived: true, name: 'Old Contoso' });
    assert.equal(response.statusCode, 200, response.body);
    const archived: WorkspaceTenant = response.json();
    assert.equal(archived.archived, true);
    assert.equal(archived.name, 'Old Contoso');
    assert.ok(archived.archived_at && Math.abs(Date.parse(archived.archived_at) - Date.now()) < 60_000);
    const event = (await eventsOf(tenant.id)).at(-1);
    assert.equal(event?.action, 'tenant.archived');
    assert.deepEqual(event?.before, { name: tenant.name, archived: false });
    assert.deepEqual(event?.after, { name: 'Old Contoso', archived: true });
  });

  test('an archived tenant refuses every change but a restore (409, nothing written)', async () => {
    const tenant = await createOk();
    const archived: WorkspaceTenant = (await patch(tenant.external_id, { archived: true })).json();
    const audits = (await eventsOf(tenant.id)).length;
    const changes = [
      { name: 'Renamed' },
      { directory_id: GUID.replace('72', '76') },
      { primary_domain: 'new.example' },
      { desk_customer_id: 'D' },
      { archived: true, name: 'Renamed' },
    ];
    for (const body of changes) {
      const response = await patch(tenant.external_id, body);
      assert.equal(response.statusCode, 409, `${JSON.stringify(body)}: ${response.body}`);
      assert.equal(response.json().error.code, 'conflict');
    }
    // Asking for what it already is changes nothing: the same 200 a retry gets.
    const again = await patch(tenant.external_id, { archived: true });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json(), archived);
    assert.equal((await eventsOf(tenant.id)).length, audits);
    const row = await rowOf(tenant.id);
    assert.equal(row.name, tenant.name);
    assert.equal(row.archivedAt?.toISOString(), archived.archived_at);
  });

  test('restoring, with other changes in the same request, is audited tenant.restored', async () => {
    const tenant = await createOk();
    await patch(tenant.external_id, { archived: true });
    const response = await patch(tenant.external_id, { archived: false, name: 'Contoso again' });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().archived, false);
    assert.equal(response.json().archived_at, null);
    assert.equal(response.json().name, 'Contoso again');
    const event = (await eventsOf(tenant.id)).at(-1);
    assert.equal(event?.action, 'tenant.restored');
    assert.deepEqual(event?.before, { name: tenant.name, archived: true });
    assert.deepEqual(event?.after, { name: 'Contoso again', archived: false });
  });

  test('archived_at stays the moment of archiving while the tenant stays archived', async () => {
    const tenant = await createOk();
    const archivedAt = (await patch(tenant.external_id, { archived: true })).json().archived_at;
    await patch(tenant.external_id, { archived: true });
    assert.equal((await rowOf(tenant.id)).archivedAt?.toISOString(), archivedAt);
  });
});
