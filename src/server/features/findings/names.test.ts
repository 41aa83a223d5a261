import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { tenantMemberships, users } from '../tenancy/tables.ts';

/** docs/rules.md "Finding lifecycle": history, lists and filters name people, former members and inactive users too. */
let t: TestApp;
let tenant: make.Tenant;
let manager: Credential;
const u = { manager: 0, former: 0, inactive: 0, helper: 0 };

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  const person = async (name: string, role: 'manager' | 'operator') => {
    const id = (await make.createUser(t.db, { displayName: name })).id;
    await make.addTenantMember(t.db, { tenant, userId: id, role });
    return id;
  };
  u.manager = await person('Mona Manager', 'manager');
  u.former = await person('Fiona Former', 'operator');
  u.inactive = await person('Ivo Inactive', 'operator');
  u.helper = await person('Hal Helper', 'operator');
  manager = { bearer: await make.createApiToken(t.db, { userId: u.manager }) };
});

after(() => t.close());

test('the owner filter offers everyone who owns a finding; history names a former member after they left', async () => {
  const finding = await make.createFinding(t.db, { tenantId: tenant.id });
  const url = `/admin/t/${tenant.externalId}/findings/${finding.id}`;
  const set = async (payload: object) => {
    const response = await request(t.app, manager, { method: 'POST', url: `${url}/responsibility`, payload });
    assert.equal(response.statusCode, 200, response.body);
  };
  await set({ owner_user_id: u.former, assignee_user_id: u.helper });
  await make.createFinding(t.db, { tenantId: tenant.id, ownerUserId: u.inactive, workflowStatus: 'closed' });
  // Fiona leaves the tenant; Ivo's account is deactivated.
  await t.db.delete(tenantMemberships).where(eq(tenantMemberships.userId, u.former));
  await t.db.update(users).set({ active: false }).where(eq(users.id, u.inactive));
  const people = (
    await request(t.app, manager, { method: 'GET', url: `/admin/t/${tenant.externalId}/findings/people` })
  ).json();
  assert.deepEqual(
    people.owners.map((p: { display_name: string; active_member: boolean }) => [
      p.display_name,
      p.active_member,
    ]),
    [
      ['Fiona Former', false],
      ['Ivo Inactive', false],
    ],
  );
  assert.deepEqual(
    people.assignees.map((p: { display_name: string }) => p.display_name),
    ['Hal Helper'],
  );
  await set({ owner_user_id: u.manager });
  const history = (await request(t.app, manager, { method: 'GET', url: `${url}/history` })).json();
  const names = new Map(
    history.people.map((p: { id: number; display_name: string }) => [p.id, p.display_name]),
  );
  assert.equal(names.get(u.former), 'Fiona Former', 'a former member is named');
  assert.equal(names.get(u.manager), 'Mona Manager');
  assert.equal(names.get(u.helper), 'Hal Helper');
  const list = (
    await request(t.app, manager, {
      method: 'GET',
      url: `/admin/t/${tenant.externalId}/findings?owner=${u.inactive}&workflow_status=any`,
    })
  ).json();
  assert.equal(list.items[0].owner.display_name, 'Ivo Inactive');
});
