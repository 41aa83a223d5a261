import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { request, signIn, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { workspaceCapabilitiesOf } from '../../core/capabilities.ts';
import { tenantMemberships, workspaceMemberships } from '../tenancy/tables.ts';

/**
 * GET /api/session (tenancy/service.ts describeSession): each workspace carries what the workspace role
 * allows, each tenant whether it is archived, and a suspended workspace membership is left out with its
 * tenants (it answers 404 everywhere else too).
 */
let t: TestApp;

before(async () => {
  t = await startTestApp();
});

after(() => t.close());

test('workspaces carry their capabilities, tenants their archived flag; existing fields stay', async () => {
  const user = await make.createUser(t.db);
  const roles = ['owner', 'manager', 'operator', 'readonly'] as const;
  const workspaces = [];
  for (const [i, role] of roles.entries()) {
    const workspace = await make.createWorkspace(t.db, { name: `W${i} ${role}` });
    await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: user.id, role });
    workspaces.push(workspace);
  }
  const [first] = workspaces;
  assert.ok(first);
  const active = await make.createTenant(t.db, { workspaceId: first.id, name: 'A active' });
  const archived = await make.createTenant(t.db, {
    workspaceId: first.id,
    name: 'B archived',
    archivedAt: new Date(),
  });
  for (const tenant of [active, archived]) {
    await t.db
      .insert(tenantMemberships)
      .values({ tenantId: tenant.id, workspaceId: first.id, userId: user.id, role: 'operator' });
  }

  for (const credential of [
    { bearer: await make.createApiToken(t.db, { userId: user.id }) },
    { session: await signIn(t.app, user.email) },
  ]) {
    const response = await request(t.app, credential, { method: 'GET', url: '/api/session' });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(body.user, { id: user.id, email: user.email, display_name: user.displayName });
    assert.equal(typeof body.csrf_token, 'string');
    assert.deepEqual(
      body.workspaces.map((w: { name: string; role: string; capabilities: string[] }) => [
        w.name,
        w.role,
        w.capabilities,
      ]),
      roles.map((role, i) => [`W${i} ${role}`, role, [...workspaceCapabilitiesOf[role]]]),
    );
    const [withTenants] = body.workspaces;
    assert.deepEqual(withTenants, {
      id: first.id,
      slug: first.slug,
      name: first.name,
      role: 'owner',
      capabilities: ['workspace.view', 'workspace.grant_access', 'workspace.administer'],
      require_second_factor: false,
      tenants: [
        {
          id: active.id,
          external_id: active.externalId,
          name: 'A active',
          role: 'operator',
          capabilities: [
            'tenant.view',
            'support_requests.create',
            'finding_exceptions.request',
            'findings.triage',
          ],
          archived: false,
        },
        {
          id: archived.id,
          external_id: archived.externalId,
          name: 'B archived',
          role: 'operator',
          capabilities: [
            'tenant.view',
            'support_requests.create',
            'finding_exceptions.request',
            'findings.triage',
          ],
          archived: true,
        },
      ],
    });
  }
});

test('a suspended workspace membership is left out, with its tenants; the others stay', async () => {
  const user = await make.createUser(t.db);
  const kept = await make.createWorkspace(t.db, { name: 'Kept' });
  const suspended = await make.createWorkspace(t.db, { name: 'Suspended' });
  const keptTenant = await make.createTenant(t.db, { workspaceId: kept.id });
  const hiddenTenant = await make.createTenant(t.db, { workspaceId: suspended.id });
  await make.addTenantMember(t.db, { tenant: keptTenant, userId: user.id, role: 'readonly' });
  await make.addTenantMember(t.db, { tenant: hiddenTenant, userId: user.id, role: 'owner' });
  await t.db
    .update(workspaceMemberships)
    .set({ active: false })
    .where(and(eq(workspaceMemberships.workspaceId, suspended.id), eq(workspaceMemberships.userId, user.id)));

  const bearer = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  const response = await request(t.app, bearer, { method: 'GET', url: '/api/session' });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json();
  assert.deepEqual(
    body.workspaces.map((w: { name: string }) => w.name),
    ['Kept'],
  );
  assert.deepEqual(
    body.workspaces[0].tenants.map((x: { external_id: string }) => x.external_id),
    [keptTenant.externalId],
  );
  assert.ok(!response.body.includes(hiddenTenant.externalId));
});
