import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { runSubmitUrl, tenantSubmitUrl, validBody } from '../../../../test/helpers/support-requests.ts';
import type { Role } from '../../core/capabilities.ts';
import type { Db } from '../../db/client.ts';
import { auditEvents } from '../audit/tables.ts';
import { findingExceptions, findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { supportRequests } from '../support-requests/tables.ts';
import { tenantMemberships, tenants } from '../tenancy/tables.ts';

/**
 * docs/rules.md "Administration": an archived tenant stays readable by its members and refuses every
 * change (409, after 401/404/403/422), until a workspace owner restores it.
 */
let t: TestApp;
let workspace: make.Workspace;
let tenant: make.Tenant;
const as = {} as Record<Role, Credential>;
const userIds = {} as Record<Role, number>;
const ids = { run: 0, finding: 0, gapFinding: 0, pending: 0, approved: 0, request: 0 };

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  // Each person holds the same role in the workspace and on the tenant: the owner archives and restores.
  for (const role of ['owner', 'manager', 'operator', 'readonly'] as const) {
    const user = await make.createUser(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: user.id, role });
    await t.db
      .insert(tenantMemberships)
      .values({ tenantId: tenant.id, workspaceId: workspace.id, userId: user.id, role });
    userIds[role] = user.id;
    as[role] = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  }
  ids.run = (await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id })).id;
  ids.finding = (await make.createFinding(t.db, { tenantId: tenant.id })).id;
  ids.gapFinding = (await make.createFinding(t.db, { tenantId: tenant.id, ownerUserId: userIds.manager })).id;
  ids.pending = (
    await make.createException(t.db, {
      findingId: ids.finding,
      ownerUserId: userIds.manager,
      requestedByUserId: userIds.operator,
    })
  ).id;
  ids.approved = (
    await make.createException(t.db, {
      findingId: ids.gapFinding,
      ownerUserId: userIds.manager,
      requestedByUserId: userIds.operator,
      status: 'approved',
      decidedByUserId: userIds.owner,
      decidedAt: new Date(),
    })
  ).id;
  const submitted = await request(t.app, as.operator, {
    method: 'POST',
    url: tenantSubmitUrl(tenant.externalId),
    payload: validBody(),
  });
  assert.equal(submitted.statusCode, 200, submitted.body);
  ids.request = submitted.json().support_request_id;

  const archived = await request(t.app, as.owner, {
    method: 'PATCH',
    url: `/admin/w/${workspace.slug}/tenants/${tenant.externalId}`,
    payload: { archived: true },
  });
  assert.equal(archived.statusCode, 200, archived.body);
});

after(() => t.close());

/** Every row a change could touch, as JSON (rows from the drivers differ in prototype, not in value). */
async function snapshot(db: Db) {
  return json({
    findings: await db.select().from(findings).orderBy(findings.id),
    exceptions: await db.select().from(findingExceptions).orderBy(findingExceptions.id),
    runs: await db.select().from(operationRuns).orderBy(operationRuns.id),
    requests: (await db.select().from(supportRequests)).length,
    audits: (await db.select().from(auditEvents)).length,
  });
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value));

const findingUrl = (id = ids.finding) => `/admin/t/${tenant.externalId}/findings/${id}`;
const decisionUrl = (exception: number, finding: number, decision: string) =>
  `${findingUrl(finding)}/exceptions/${exception}/actions/${decision}`;
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

/** Every change a tenant's members can make, each valid and allowed to `owner` on an active tenant. */
const changes = () => [
  {
    name: 'responsibility change',
    url: `${findingUrl()}/responsibility`,
    payload: { owner_user_id: userIds.manager, assignee_user_id: userIds.operator },
  },
  {
    name: 'exception request',
    url: `${findingUrl(ids.gapFinding)}/exception-request`,
    payload: {
      owner_user_id: userIds.manager,
      request_reason: 'Compensating control',
      review_due_at: inAWeek(),
    },
  },
  { name: 'exception approval', url: decisionUrl(ids.pending, ids.finding, 'approve'), payload: {} },
  {
    name: 'exception rejection',
    url: decisionUrl(ids.pending, ids.finding, 'reject'),
    payload: { note: 'No' },
  },
  {
    name: 'exception revocation',
    url: decisionUrl(ids.approved, ids.gapFinding, 'revoke'),
    payload: { note: 'Over' },
  },
  { name: 'support request from the tenant', url: tenantSubmitUrl(tenant.externalId), payload: validBody() },
  { name: 'support request from its run', url: runSubmitUrl(ids.run), payload: validBody() },
];

describe('an archived tenant refuses every change: 409, nothing written', () => {
  const names = [
    'responsibility change',
    'exception request',
    'exception approval',
    'exception rejection',
    'exception revocation',
    'support request from the tenant',
    'support request from its run',
  ];
  test('the list covers every change', () => {
    assert.deepEqual(
      changes().map((change) => change.name),
      names,
    );
  });
  for (const name of names) {
    test(name, async () => {
      const change = changes().find((c) => c.name === name);
      assert.ok(change);
      const before = await snapshot(t.db);
      const response = await request(t.app, as.owner, {
        method: 'POST',
        url: change.url,
        payload: change.payload,
      });
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(response.json().error.code, 'conflict');
      assert.match(response.json().error.message, /archived/);
      assert.deepEqual(await snapshot(t.db), before);
    });
  }

  test('the order still holds: a role without the capability 403, a bad body 422, before the 409', async () => {
    const submit = tenantSubmitUrl(tenant.externalId);
    const refused = await request(t.app, as.readonly, { method: 'POST', url: submit, payload: validBody() });
    assert.equal(refused.statusCode, 403, refused.body);
    const bad = await request(t.app, as.owner, { method: 'POST', url: submit, payload: { summary: 1 } });
    assert.equal(bad.statusCode, 422, bad.body);
    const outsider = await make.createUser(t.db);
    const outsiderToken = { bearer: await make.createApiToken(t.db, { userId: outsider.id }) };
    const hidden = await request(t.app, outsiderToken, { method: 'POST', url: submit, payload: validBody() });
    assert.equal(hidden.statusCode, 404, hidden.body);
  });
});

describe('an archived tenant stays readable by its members', () => {
  const reads = () => [
    `/admin/t/${tenant.externalId}`,
    `/admin/t/${tenant.externalId}/operations`,
    `/admin/operations/${ids.run}`,
    `/admin/t/${tenant.externalId}/findings`,
    findingUrl(),
    `${findingUrl()}/history`,
    `/admin/t/${tenant.externalId}/members`,
    `/admin/t/${tenant.externalId}/support-requests`,
    `/admin/t/${tenant.externalId}/support-requests/latest`,
    `/admin/t/${tenant.externalId}/support-requests/${ids.request}`,
    `/admin/operations/${ids.run}/support-requests/latest`,
  ];
  for (const role of ['readonly', 'owner'] as const) {
    test(`every GET answers 200 for a ${role}`, async () => {
      for (const url of reads()) {
        const response = await request(t.app, as[role], { method: 'GET', url });
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      }
    });
  }

  test('the session marks it archived; the workspace lists it under archived=true', async () => {
    const session = await request(t.app, as.readonly, { method: 'GET', url: '/api/session' });
    const [mine] = session.json().workspaces;
    assert.deepEqual(
      mine.tenants.map((x: { external_id: string; archived: boolean }) => [x.external_id, x.archived]),
      [[tenant.externalId, true]],
    );
    const active = await request(t.app, as.readonly, {
      method: 'GET',
      url: `/admin/w/${workspace.slug}/tenants`,
    });
    assert.deepEqual(active.json().items, []);
    const archived = await request(t.app, as.readonly, {
      method: 'GET',
      url: `/admin/w/${workspace.slug}/tenants?archived=true`,
    });
    assert.deepEqual(
      archived.json().items.map((x: { external_id: string }) => x.external_id),
      [tenant.externalId],
    );
  });
});

describe('restored by a workspace owner, the tenant takes changes again', () => {
  test('only a workspace owner restores it; then a support request goes through', async () => {
    const url = `/admin/w/${workspace.slug}/tenants/${tenant.externalId}`;
    const byManager = await request(t.app, as.manager, {
      method: 'PATCH',
      url,
      payload: { archived: false },
    });
    assert.equal(byManager.statusCode, 403, byManager.body);
    const restored = await request(t.app, as.owner, { method: 'PATCH', url, payload: { archived: false } });
    assert.equal(restored.statusCode, 200, restored.body);
    const [row] = await t.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    assert.equal(row?.archivedAt, null);
    const submitted = await request(t.app, as.operator, {
      method: 'POST',
      url: tenantSubmitUrl(tenant.externalId),
      payload: validBody(),
    });
    assert.equal(submitted.statusCode, 200, submitted.body);
  });
});
