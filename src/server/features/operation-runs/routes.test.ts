import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { operationRuns } from './tables.ts';

let t: TestApp;
let bearer = '';
let tenant = '';
const statuses = ['queued', 'running', 'completed'] as const;
const outcomes = ['succeeded', 'partially_succeeded', 'failed'] as const;

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  const home = await make.createTenant(t.db, { workspaceId: workspace.id });
  const other = await make.createTenant(t.db, { workspaceId: workspace.id });
  tenant = home.externalId;
  const user = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant: home, userId: user.id, role: 'readonly' });
  bearer = await make.createApiToken(t.db, { userId: user.id });
  // 125 runs in the tenant, cycling through status/outcome pairs; 5 in a sibling tenant; 2 at workspace level.
  const rows = Array.from({ length: 125 }, (_, i) => {
    const status = statuses[i % 3] ?? 'completed';
    return {
      workspaceId: workspace.id,
      tenantId: home.id,
      type: i % 2 ? 'sync' : 'backup',
      status,
      outcome: status === 'completed' ? (outcomes[(i % 5) % 3] ?? null) : null,
      summary: `run ${i}`,
    };
  });
  await t.db.insert(operationRuns).values(rows);
  for (let i = 0; i < 5; i++) await make.createRun(t.db, { workspaceId: workspace.id, tenantId: other.id });
  await make.createRun(t.db, { workspaceId: workspace.id, tenantId: null });
});

after(() => t.close());

const get = (url: string) => request(t.app, { bearer }, { method: 'GET', url });

async function allPages(query: string, limit: number) {
  const seen: { id: number; status: string; outcome: string | null; tenant: { external_id: string } }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response = await get(
      `/admin/t/${tenant}/operations?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(response.statusCode, 200, response.body);
    const page = response.json();
    assert.ok(page.items.length <= limit);
    seen.push(...page.items);
    cursor = page.next_cursor;
    pages++;
  } while (cursor !== null);
  return { seen, pages };
}

describe('GET /admin/t/{tenant}/operations', () => {
  test('pages through every run of the tenant once, newest first, and only that tenant', async () => {
    const { seen, pages } = await allPages('', 50);
    assert.equal(seen.length, 125);
    assert.equal(pages, 3);
    assert.equal(new Set(seen.map((run) => run.id)).size, 125);
    assert.deepEqual(
      seen.map((run) => run.id),
      [...seen.map((run) => run.id)].sort((a, b) => b - a),
    );
    assert.ok(seen.every((run) => run.tenant.external_id === tenant));
  });

  test('defaults to 50 items and the last page has next_cursor null', async () => {
    const first = (await get(`/admin/t/${tenant}/operations`)).json();
    assert.equal(first.items.length, 50);
    assert.equal(typeof first.next_cursor, 'string');
    const exact = (await get(`/admin/t/${tenant}/operations?limit=200`)).json();
    assert.equal(exact.items.length, 125);
    assert.equal(exact.next_cursor, null);
  });

  test('filters by status and outcome, across pages', async () => {
    for (const status of statuses) {
      const { seen } = await allPages(`&status=${status}`, 7);
      assert.ok(seen.length > 0);
      assert.ok(seen.every((run) => run.status === status));
    }
    for (const outcome of outcomes) {
      const { seen } = await allPages(`&outcome=${outcome}`, 7);
      assert.ok(seen.length > 0);
      assert.ok(seen.every((run) => run.outcome === outcome && run.status === 'completed'));
    }
    const none = (await get(`/admin/t/${tenant}/operations?status=queued&outcome=failed`)).json();
    assert.deepEqual(none, { items: [], next_cursor: null });
  });

  test('bad query values are 422 with the parameter named', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['status=done', 'status'],
      ['outcome=ok', 'outcome'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('{"id":"x"}').toString('base64url')}`, 'cursor'],
    ] as const) {
      const response = await get(`/admin/t/${tenant}/operations?${query}`);
      assert.equal(response.statusCode, 422, query);
      assert.equal(response.json().error.code, 'invalid');
      assert.ok(response.json().error.fields[field], `${query}: ${response.body}`);
    }
  });
});

describe('GET /admin/operations/{run}', () => {
  test('answers the run with its tenant, workspace and the actor capabilities', async () => {
    const first = (await get(`/admin/t/${tenant}/operations?limit=1`)).json().items[0];
    const response = await get(`/admin/operations/${first.id}`);
    assert.equal(response.statusCode, 200);
    const run = response.json();
    assert.equal(run.id, first.id);
    assert.equal(run.tenant.external_id, tenant);
    assert.deepEqual(run.capabilities, ['tenant.view']);
    assert.deepEqual(Object.keys(run).sort(), [
      'capabilities',
      'completed_at',
      'id',
      'outcome',
      'started_at',
      'status',
      'summary',
      'tenant',
      'type',
      'workspace',
    ]);
  });
});

describe('GET /admin/t/{tenant} dashboard', () => {
  test('counts findings by responsibility state and shows the ten newest runs', async () => {
    const workspace = await make.createWorkspace(t.db);
    const fresh = await make.createTenant(t.db, { workspaceId: workspace.id });
    const owner = await make.createUser(t.db);
    const gone = await make.createUser(t.db, { active: false });
    await make.addTenantMember(t.db, { tenant: fresh, userId: owner.id, role: 'owner' });
    await make.addTenantMember(t.db, { tenant: fresh, userId: gone.id, role: 'manager' });
    const outsider = await make.createUser(t.db);
    for (const [ownerUserId, assigneeUserId] of [
      [null, null],
      [null, owner.id],
      [owner.id, null],
      [owner.id, owner.id],
      [owner.id, outsider.id],
      [gone.id, null],
      [outsider.id, owner.id],
    ] as const) {
      await make.createFinding(t.db, { tenantId: fresh.id, ownerUserId, assigneeUserId });
    }
    for (let i = 0; i < 12; i++)
      await make.createRun(t.db, { workspaceId: workspace.id, tenantId: fresh.id });
    const token = await make.createApiToken(t.db, { userId: owner.id });
    const response = await request(
      t.app,
      { bearer: token },
      { method: 'GET', url: `/admin/t/${fresh.externalId}` },
    );
    assert.equal(response.statusCode, 200, response.body);
    const dashboard = response.json();
    assert.deepEqual(dashboard.finding_counts, {
      orphaned_accountability: 2,
      owned_unassigned: 2,
      assigned: 3,
      // no owner (2) + inactive owner (1) + owner outside the tenant (1)
      accountability_gap: 4,
      total: 7,
    });
    assert.equal(dashboard.recent_runs.length, 10);
    assert.equal(dashboard.tenant.external_id, fresh.externalId);
    assert.equal(dashboard.workspace.id, workspace.id);
    assert.equal(dashboard.role, 'owner');
  });
});
