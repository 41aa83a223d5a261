import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { count, eq, isNull } from 'drizzle-orm';
import { createTestDatabase } from '../../../../test/helpers/db.ts';
import type { Database } from '../../db/client.ts';
import { countFindingsByResponsibility } from '../findings/queries.ts';
import { findingExceptions, findings, workflowStatuses } from '../findings/tables.ts';
import { operationRuns, runOutcomes, runStatuses } from '../operation-runs/tables.ts';
import { verifyPassword } from './credentials.ts';
import { buildDemoFixture, DEMO_PASSWORD, hasDemoData, isDatabaseEmpty, seedDemo } from './demo-seed.ts';
import { FixtureError } from './fixtures.ts';
import { roles, tenantMemberships, tenants, users, workspaceMemberships, workspaces } from './tables.ts';

let database: Database;
const now = new Date();
let signIns: Awaited<ReturnType<typeof seedDemo>>;

before(async () => {
  database = await createTestDatabase();
  assert.equal(await isDatabaseEmpty(database.db), true);
  assert.equal(await hasDemoData(database.db), false);
  signIns = await seedDemo(database.db, now);
});
after(() => database.close());

const distinct = <T>(rows: T[]) => new Set(rows);

test('is the same data every time, apart from the clock', () => {
  assert.deepEqual(buildDemoFixture(now), buildDemoFixture(now));
});

test('two workspaces, six tenants, users of every role', async () => {
  const { db } = database;
  assert.equal((await db.select().from(workspaces)).length, 2);
  assert.equal((await db.select().from(tenants)).length, 6);
  const tenantRoles = distinct((await db.select().from(tenantMemberships)).map((m) => m.role));
  assert.deepEqual([...tenantRoles].sort(), [...roles].sort());
  // Someone in a workspace with no tenant membership, someone only in the second workspace, an inactive user.
  const withoutTenant = await db
    .select({ id: workspaceMemberships.userId })
    .from(workspaceMemberships)
    .leftJoin(tenantMemberships, eq(tenantMemberships.userId, workspaceMemberships.userId))
    .where(isNull(tenantMemberships.userId));
  assert.ok(withoutTenant.length >= 1);
  const [contoso] = await db.select().from(workspaces).where(eq(workspaces.slug, 'contoso-managed-services'));
  const contosoMembers = await db
    .select()
    .from(workspaceMemberships)
    .where(eq(workspaceMemberships.workspaceId, contoso?.id ?? -1));
  assert.ok(contosoMembers.length >= 1);
  assert.ok((await db.select().from(users).where(eq(users.active, false))).length >= 1);
});

test('the printed sign-ins work with the demo password', async () => {
  assert.ok(signIns.length >= 4);
  for (const role of ['owner', 'manager', 'operator', 'readonly']) {
    assert.ok(signIns.some((s) => s.email === `${role}@demo.tenantpilot.test`));
  }
  for (const signIn of signIns) {
    assert.equal(signIn.password, DEMO_PASSWORD);
    const [user] = await database.db.select().from(users).where(eq(users.email, signIn.email));
    assert.equal(user?.active, true, signIn.email);
    assert.ok(await verifyPassword(user?.passwordHash ?? null, DEMO_PASSWORD), signIn.email);
  }
});

test('about thirty runs of several types, every status and outcome, some workspace-level, all in the past', async () => {
  const runs = await database.db.select().from(operationRuns);
  assert.ok(runs.length >= 25 && runs.length <= 40, `${runs.length} runs`);
  assert.deepEqual([...distinct(runs.map((r) => r.type))].sort(), ['backup', 'baseline_compare', 'sync']);
  assert.deepEqual([...distinct(runs.map((r) => r.status))].sort(), [...runStatuses].sort());
  const outcomes = distinct(runs.filter((r) => r.status === 'completed').map((r) => r.outcome));
  assert.deepEqual([...outcomes].sort(), [...runOutcomes].sort());
  assert.ok(runs.some((r) => r.tenantId === null));
  for (const run of runs) {
    if (run.startedAt) assert.ok(run.startedAt <= now);
    if (run.completedAt)
      assert.ok(run.completedAt <= now && run.startedAt && run.completedAt >= run.startedAt);
    if (run.status === 'completed') assert.ok(run.summary);
  }
});

test('about two hundred findings in every workflow status and responsibility state, with a gap', async () => {
  const { db } = database;
  const rows = await db.select().from(findings);
  assert.ok(rows.length >= 180 && rows.length <= 220, `${rows.length} findings`);
  assert.deepEqual([...distinct(rows.map((f) => f.workflowStatus))].sort(), [...workflowStatuses].sort());
  assert.equal(distinct(rows.map((f) => f.severity)).size, 4);
  assert.ok(
    rows.some((f) => f.ownerUserId === null && f.assigneeUserId !== null),
    'orphaned, yet assigned',
  );
  const totals = { orphaned_accountability: 0, owned_unassigned: 0, assigned: 0, accountability_gap: 0 };
  for (const tenant of await db.select().from(tenants)) {
    const counts = await countFindingsByResponsibility(db, tenant.id);
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += counts[key];
  }
  assert.ok(totals.orphaned_accountability > 0 && totals.owned_unassigned > 0 && totals.assigned > 0);
  assert.ok(
    totals.accountability_gap > totals.orphaned_accountability,
    'some owners are no active tenant member',
  );
});

test('exceptions: pending, approved and unexpired, expired, rejected', async () => {
  const rows = await database.db.select().from(findingExceptions);
  const statuses = distinct(rows.map((e) => e.status));
  for (const status of ['pending', 'approved', 'expired', 'rejected'] as const)
    assert.ok(statuses.has(status));
  assert.ok(rows.some((e) => e.status === 'approved' && e.expiresAt && e.expiresAt > now));
  assert.ok(rows.some((e) => e.status === 'expired' && e.expiresAt && e.expiresAt < now));
  assert.ok(rows.every((e) => e.status !== 'pending' || e.reviewDueAt > now));
});

test('a database with users is not seeded twice', async () => {
  assert.equal(await isDatabaseEmpty(database.db), false);
  assert.equal(await hasDemoData(database.db), true);
  const before = await database.db.select({ n: count() }).from(findings);
  await assert.rejects(seedDemo(database.db), FixtureError);
  assert.deepEqual(await database.db.select({ n: count() }).from(findings), before);
});
