import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { findings } from '../findings/tables.ts';
import { tenantMemberships, tenants, users } from '../tenancy/tables.ts';
import { FOLD_AFTER_ROWS } from './queries.ts';
import type { OverviewRow, WorkspaceFindingsOverview } from './schemas.ts';
import { findingCounters } from './tables.ts';

/** docs/rules.md "Workspace views": the overview's figures, per tenant the actor may view. */
let t: TestApp;
let workspace: make.Workspace;
let owner: make.User;
let bearer: { bearer: string };
const DAY = 86_400_000;

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db);
  owner = await make.createUser(t.db, { displayName: 'Olivia Owner' });
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  bearer = { bearer: await make.createApiToken(t.db, { userId: owner.id }) };
});
after(() => t.close());

async function tenantWithRole(name: string, role: 'owner' | 'readonly' | null = 'owner') {
  const tenant = await make.createTenant(t.db, { workspaceId: workspace.id, name });
  if (role) await make.addTenantMember(t.db, { tenant, userId: owner.id, role });
  return tenant;
}

async function overview(query = ''): Promise<WorkspaceFindingsOverview> {
  const response = await request(t.app, bearer, {
    method: 'GET',
    url: `/admin/w/${workspace.slug}/overview${query}`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

const rowOf = (body: WorkspaceFindingsOverview, tenant: make.Tenant): OverviewRow => {
  const row = body.items.find((item) => item.tenant.external_id === tenant.externalId);
  assert.ok(row, `a row for ${tenant.name}`);
  return row;
};

describe('the figures of one tenant', () => {
  let tenant: make.Tenant;
  let member: make.User;
  let departed: make.User;

  before(async () => {
    tenant = await tenantWithRole('Contoso');
    member = await make.createUser(t.db);
    departed = await make.createUser(t.db);
    await make.addTenantMember(t.db, { tenant, userId: member.id, role: 'operator' });
    const tid = tenant.id;
    // Open: 2 critical (one without owner), 1 high owned by a departed person, 1 medium owned and assigned.
    await make.createFinding(t.db, { tenantId: tid, severity: 'critical' });
    await make.createFinding(t.db, { tenantId: tid, severity: 'critical', ownerUserId: member.id });
    await make.createFinding(t.db, { tenantId: tid, severity: 'high', ownerUserId: departed.id });
    await make.createFinding(t.db, {
      tenantId: tid,
      severity: 'medium',
      ownerUserId: member.id,
      assigneeUserId: member.id,
      workflowStatus: 'in_progress',
    });
    // Not open: resolved, closed, and a risk-accepted one (approved exception without expiry).
    await make.createFinding(t.db, { tenantId: tid, severity: 'low', workflowStatus: 'resolved' });
    await make.createFinding(t.db, { tenantId: tid, severity: 'low', workflowStatus: 'closed' });
    const accepted = await make.createFinding(t.db, { tenantId: tid, severity: 'high' });
    await make.createException(t.db, { findingId: accepted.id, ownerUserId: member.id, status: 'approved' });
    // An approved exception that expired yesterday accepts nothing any more: its finding is open again.
    const lapsed = await make.createFinding(t.db, { tenantId: tid, severity: 'low', ownerUserId: member.id });
    await make.createException(t.db, {
      findingId: lapsed.id,
      ownerUserId: member.id,
      status: 'approved',
      reviewDueAt: new Date(Date.now() - 3 * DAY),
      expiresAt: new Date(Date.now() - DAY),
    });
    // Exceptions: one pending and due next week, one pending and overdue.
    const pendingOn = await make.createFinding(t.db, {
      tenantId: tid,
      severity: 'medium',
      ownerUserId: member.id,
    });
    await make.createException(t.db, { findingId: pendingOn.id, ownerUserId: member.id });
    const overdueOn = await make.createFinding(t.db, {
      tenantId: tid,
      severity: 'medium',
      ownerUserId: member.id,
    });
    await make.createException(t.db, {
      findingId: overdueOn.id,
      ownerUserId: member.id,
      reviewDueAt: new Date(Date.now() - DAY),
    });
    // Runs: failed 2 days ago, failed 10 days ago (outside the 7 days), and the latest, succeeded.
    const runs = { workspaceId: workspace.id, tenantId: tid };
    await make.createRun(t.db, { ...runs, outcome: 'failed', completedAt: new Date(Date.now() - 2 * DAY) });
    await make.createRun(t.db, { ...runs, outcome: 'failed', completedAt: new Date(Date.now() - 10 * DAY) });
    await make.createRun(t.db, { ...runs, type: 'backup', outcome: 'succeeded' });
  });

  test('open findings by severity leave resolved, closed and risk-accepted ones out', async () => {
    const row = rowOf(await overview(), tenant);
    // critical 2; high 1 (the accepted one out); medium 3; low 1 (the lapsed acceptance).
    assert.deepEqual(row.open_findings, { critical: 2, high: 1, medium: 3, low: 1, total: 7 });
  });

  test('accountability gaps: no owner, or an owner who is not an active member; unassigned counts too', async () => {
    const row = rowOf(await overview(), tenant);
    assert.equal(row.accountability_gap, 2);
    assert.equal(row.unassigned, 6);
    // The member leaves the tenant: every open finding they own becomes a gap, at once.
    await t.db.delete(tenantMemberships).where(eq(tenantMemberships.userId, member.id));
    assert.equal(rowOf(await overview(), tenant).accountability_gap, 7);
    await make.addTenantMember(t.db, { tenant, userId: member.id, role: 'operator' });
    await t.db.update(users).set({ active: false }).where(eq(users.id, member.id));
    assert.equal(rowOf(await overview(), tenant).accountability_gap, 7, 'an inactive owner is a gap');
    await t.db.update(users).set({ active: true }).where(eq(users.id, member.id));
  });

  test('exceptions pending and overdue, runs failed in 7 days, the latest run', async () => {
    const row = rowOf(await overview(), tenant);
    assert.equal(row.pending_exceptions, 2);
    assert.equal(row.overdue_reviews, 1);
    assert.equal(row.failed_runs, 1);
    assert.equal(row.latest_run?.type, 'backup');
    assert.equal(row.latest_run?.outcome, 'succeeded');
  });

  test('every later change moves the figures in its own transaction, whoever writes it', async () => {
    const [one] = await t.db
      .select({ id: findings.id })
      .from(findings)
      .where(
        sql`${findings.tenantId} = ${tenant.id} and ${findings.ownerUserId} is null and ${findings.severity} = 'critical'`,
      );
    assert.ok(one);
    await t.db.update(findings).set({ ownerUserId: member.id }).where(eq(findings.id, one.id));
    const moved = rowOf(await overview(), tenant);
    assert.equal(moved.accountability_gap, 1);
    await t.db.update(findings).set({ workflowStatus: 'resolved' }).where(eq(findings.id, one.id));
    assert.equal(rowOf(await overview(), tenant).open_findings.critical, 1);
    await t.db.delete(findings).where(eq(findings.id, one.id));
    assert.equal(rowOf(await overview(), tenant).open_findings.total, 6);
  });
});

describe('which tenants get a row', () => {
  test('only tenants where the actor holds a role; archived ones are left out', async () => {
    const seen = await tenantWithRole('Seen tenant', 'readonly');
    const unseen = await tenantWithRole('Unseen tenant', null);
    await make.createFinding(t.db, { tenantId: unseen.id, severity: 'critical' });
    const archived = await tenantWithRole('Archived tenant');
    await t.db.update(tenants).set({ archivedAt: new Date() }).where(eq(tenants.id, archived.id));
    const names = (await overview()).items.map((item) => item.tenant.name);
    assert.ok(names.includes(seen.name));
    assert.ok(!names.includes(unseen.name));
    assert.ok(!names.includes(archived.name));
  });

  test('a workspace member without any tenant role gets no rows', async () => {
    const bystander = await make.createUser(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: bystander.id, role: 'owner' });
    const response = await request(
      t.app,
      { bearer: await make.createApiToken(t.db, { userId: bystander.id }) },
      { method: 'GET', url: `/admin/w/${workspace.slug}/overview` },
    );
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().items, []);
  });
});

describe('sorting', () => {
  test('by each figure, most first by default, ties by name; by name A–Z', async () => {
    const many = await tenantWithRole('Zeta many');
    for (let i = 0; i < 3; i++) await make.createFinding(t.db, { tenantId: many.id, severity: 'critical' });
    const byCritical = await overview('?sort=critical');
    assert.equal(byCritical.direction, 'desc');
    const criticals = byCritical.items.map((row) => row.open_findings.critical);
    assert.deepEqual(
      criticals,
      [...criticals].sort((a, b) => b - a),
    );
    assert.equal(byCritical.items[0]?.tenant.name, 'Zeta many');
    const ascending = await overview('?sort=critical&direction=asc');
    assert.equal(ascending.items.at(-1)?.tenant.name, 'Zeta many');
    const byName = (await overview()).items.map((row) => row.tenant.name.toLowerCase());
    assert.deepEqual(byName, [...byName].sort());
  });

  test('tenants without a run sort last by latest run, whichever direction', async () => {
    for (const direction of ['asc', 'desc']) {
      const rows = (await overview(`?sort=latest_run&direction=${direction}`)).items;
      const firstWithout = rows.findIndex((row) => row.latest_run === null);
      assert.ok(firstWithout > 0);
      assert.ok(
        rows.slice(firstWithout).every((row) => row.latest_run === null),
        direction,
      );
    }
  });
});

describe('counter rows', () => {
  test('are folded once many changes have piled up, and the figures stay the same', async () => {
    const tenant = await tenantWithRole('Busy tenant');
    const made: make.Finding[] = [];
    for (let i = 0; i < 20; i++) made.push(await make.createFinding(t.db, { tenantId: tenant.id }));
    // Each round moves ten findings out of open or back (an even number of rounds: they end open).
    const rounds = 2 * Math.ceil(FOLD_AFTER_ROWS / 20) + 2;
    for (let round = 0; round < rounds; round++) {
      for (const finding of made.slice(0, 10)) {
        const status = round % 2 === 0 ? 'resolved' : 'new';
        await t.db.update(findings).set({ workflowStatus: status }).where(eq(findings.id, finding.id));
      }
    }
    const rowsBefore = await t.db.$count(findingCounters, eq(findingCounters.tenantId, tenant.id));
    assert.ok(rowsBefore > FOLD_AFTER_ROWS / 2, `${rowsBefore} delta rows`);
    const first = rowOf(await overview(), tenant);
    const rowsAfter = await t.db.$count(findingCounters, eq(findingCounters.tenantId, tenant.id));
    assert.equal(rowsAfter, 1, 'one row per (tenant, owner) after folding');
    assert.deepEqual(rowOf(await overview(), tenant), first);
    assert.deepEqual(first.open_findings, { critical: 0, high: 20, medium: 0, low: 0, total: 20 });
  });

  test("are folded by the findings list's gap filter too, which reads them without the overview", async () => {
    const tenant = await tenantWithRole('Gap-heavy tenant');
    const departed = await make.createUser(t.db, { displayName: 'Left the tenant' });
    const made: make.Finding[] = [];
    for (let i = 0; i < 20; i++) {
      made.push(await make.createFinding(t.db, { tenantId: tenant.id, ownerUserId: departed.id }));
    }
    for (let round = 0; round < 2 * Math.ceil(FOLD_AFTER_ROWS / 20) + 2; round++) {
      for (const finding of made.slice(0, 10)) {
        const status = round % 2 === 0 ? 'resolved' : 'new';
        await t.db.update(findings).set({ workflowStatus: status }).where(eq(findings.id, finding.id));
      }
    }
    const rowsBefore = await t.db.$count(findingCounters, eq(findingCounters.tenantId, tenant.id));
    assert.ok(rowsBefore > FOLD_AFTER_ROWS / 2, `${rowsBefore} delta rows`);
    const response = await request(t.app, bearer, {
      method: 'GET',
      url: `/admin/w/${workspace.slug}/findings?tenant=${tenant.externalId}&accountability_gap=true&limit=100`,
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().items.length, 20, 'every finding of the departed owner is a gap');
    const rowsAfter = await t.db.$count(findingCounters, eq(findingCounters.tenantId, tenant.id));
    assert.equal(rowsAfter, 1, 'one row per (tenant, owner) after folding');
  });
});

describe('concurrent writers (PostgreSQL: many connections)', () => {
  test('changes in opposite orders in parallel transactions neither deadlock nor make the figures drift', async () => {
    const tenant = await tenantWithRole('Parallel tenant');
    const [a, b] = [await make.createUser(t.db), await make.createUser(t.db)];
    for (const user of [a, b])
      await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
    const made: make.Finding[] = [];
    for (let i = 0; i < 12; i++) {
      made.push(await make.createFinding(t.db, { tenantId: tenant.id, ownerUserId: i % 2 ? a.id : b.id }));
    }
    // Each transaction moves findings between the two owners (and in and out of open), in its own order.
    await Promise.all(
      Array.from({ length: 16 }, (_, round) =>
        t.db.transaction(async (tx) => {
          const order = round % 2 ? made : [...made].reverse();
          for (const finding of order.slice(0, 6)) {
            await tx
              .update(findings)
              .set({
                ownerUserId: round % 3 ? a.id : b.id,
                workflowStatus: round % 4 === 0 ? 'closed' : 'new',
              })
              .where(eq(findings.id, finding.id));
          }
        }),
      ),
    );
    const counted = await t.db
      .select({
        open: sql<number>`count(*) filter (where ${findings.workflowStatus} = 'new')`.mapWith(Number),
      })
      .from(findings)
      .where(eq(findings.tenantId, tenant.id));
    const row = rowOf(await overview(), tenant);
    assert.equal(row.open_findings.total, counted[0]?.open);
    assert.equal(row.open_findings.high, counted[0]?.open);
    assert.equal(row.accountability_gap, 0);
  });
});
