import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Role, type TenantCapability, tenantCapabilities } from '../src/server/core/capabilities.ts';
import { scopeOf } from '../src/server/routing.ts';
import { request, startTestApp, type TestApp } from './helpers/app.ts';
import * as make from './helpers/factories.ts';

/**
 * The capability table of docs/rules.md "Access", proved through HTTP: a probe route per scope kind asks
 * the one access pipeline for each capability, declared as the feature routes declare theirs.
 */
const table: Record<Role, TenantCapability[]> = {
  readonly: ['tenant.view'],
  operator: ['tenant.view', 'support_requests.create', 'finding_exceptions.request', 'findings.triage'],
  manager: [
    'tenant.view',
    'support_requests.create',
    'finding_exceptions.request',
    'findings.triage',
    'findings.assign',
    'findings.import',
  ],
  owner: [
    'tenant.view',
    'support_requests.create',
    'finding_exceptions.request',
    'findings.triage',
    'findings.assign',
    'findings.import',
    'finding_exceptions.decide',
  ],
};

let t: TestApp;
const tokens = new Map<Role, string>();
let tenant = '';
let otherTenant = '';
let run = 0;
let workspaceRun = 0;
let finding = 0;
let otherFinding = 0;

before(async () => {
  t = await startTestApp(
    {},
    {
      beforeReady(app) {
        // Probe routes declare their access like the feature routes do, one per capability and scope.
        for (const capability of tenantCapabilities) {
          app.get(
            `/probe/t/:tenant/${capability}`,
            { schema: { hide: true }, config: { access: { scope: 'tenant', capability } } },
            async (req) => ({ role: scopeOf(req, 'tenant').role }),
          );
          app.get(
            `/probe/run/:run/${capability}`,
            { schema: { hide: true }, config: { access: { scope: 'run', capability } } },
            async (req) => ({ runId: scopeOf(req, 'run').runId }),
          );
          app.get(
            `/probe/t/:tenant/f/:finding/${capability}`,
            { schema: { hide: true }, config: { access: { scope: 'finding', capability } } },
            async (req) => ({ findingId: scopeOf(req, 'finding').findingId }),
          );
        }
      },
    },
  );
  const workspace = await make.createWorkspace(t.db);
  const home = await make.createTenant(t.db, { workspaceId: workspace.id });
  const sibling = await make.createTenant(t.db, { workspaceId: workspace.id });
  tenant = home.externalId;
  otherTenant = sibling.externalId;
  run = (await make.createRun(t.db, { workspaceId: workspace.id, tenantId: home.id })).id;
  workspaceRun = (await make.createRun(t.db, { workspaceId: workspace.id, tenantId: null })).id;
  finding = (await make.createFinding(t.db, { tenantId: home.id })).id;
  otherFinding = (await make.createFinding(t.db, { tenantId: sibling.id })).id;
  for (const role of Object.keys(table) as Role[]) {
    const user = await make.createUser(t.db);
    await make.addTenantMember(t.db, { tenant: home, userId: user.id, role });
    await make.addTenantMember(t.db, { tenant: sibling, userId: user.id, role });
    tokens.set(role, await make.createApiToken(t.db, { userId: user.id }));
  }
});

after(() => t.close());

for (const role of Object.keys(table) as Role[]) {
  describe(`${role}`, () => {
    for (const capability of tenantCapabilities) {
      const expected = table[role].includes(capability) ? 200 : 403;
      test(`${capability} → ${expected} on tenant, run and finding scopes`, async () => {
        const bearer = tokens.get(role) ?? '';
        for (const url of [
          `/probe/t/${tenant}/${capability}`,
          `/probe/run/${run}/${capability}`,
          `/probe/t/${tenant}/f/${finding}/${capability}`,
        ]) {
          const response = await request(t.app, { bearer }, { method: 'GET', url });
          assert.equal(response.statusCode, expected, `${url}: ${response.body}`);
          if (expected === 403) assert.equal(response.json().error.code, 'forbidden');
        }
      });
    }
  });
}

describe('404 comes before 403', () => {
  test('a finding of another tenant under this tenant path is 404, even for a capability the role lacks', async () => {
    const bearer = tokens.get('readonly') ?? '';
    for (const capability of ['tenant.view', 'finding_exceptions.decide']) {
      const response = await request(
        t.app,
        { bearer },
        { method: 'GET', url: `/probe/t/${tenant}/f/${otherFinding}/${capability}` },
      );
      assert.equal(response.statusCode, 404);
    }
    const own = await request(
      t.app,
      { bearer },
      { method: 'GET', url: `/probe/t/${otherTenant}/f/${otherFinding}/tenant.view` },
    );
    assert.equal(own.statusCode, 200);
  });

  test('a workspace-level run is never actionable: 404 for every capability but view', async () => {
    const bearer = tokens.get('owner') ?? '';
    for (const capability of tenantCapabilities) {
      const response = await request(
        t.app,
        { bearer },
        { method: 'GET', url: `/probe/run/${workspaceRun}/${capability}` },
      );
      assert.equal(response.statusCode, capability === 'tenant.view' ? 200 : 404, capability);
    }
  });

  test('malformed finding ids are 404', async () => {
    const bearer = tokens.get('owner') ?? '';
    for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999']) {
      const response = await request(
        t.app,
        { bearer },
        { method: 'GET', url: `/probe/t/${tenant}/f/${id}/tenant.view` },
      );
      assert.equal(response.statusCode, 404, id);
    }
  });
});
