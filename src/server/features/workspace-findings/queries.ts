import { type AnyColumn, and, eq, exists, gt, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { iso } from '../findings/item-queries.ts';
import { OPEN_STATUSES } from '../findings/open.ts';
import { findingExceptions, findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { type Role, tenantMemberships, tenants, users } from '../tenancy/tables.ts';
import { findingCounters } from './tables.ts';

const f = findings;
const c = findingCounters;
const e = findingExceptions;

/** A tenant of the workspace where the user holds a tenant role (and so `tenant.view`). */
export interface VisibleTenant {
  id: number;
  externalId: string;
  name: string;
  archived: boolean;
  role: Role;
}

/**
 * The workspace's tenants by name, each with the user's tenant role (null without one): docs/rules.md
 * "Workspace views" shows rows of the tenants with a role; the rest tell whether the user sees them all.
 */
export async function listTenantsWithRole(db: Db, workspaceId: number, userId: number) {
  const rows = await db
    .select({
      id: tenants.id,
      externalId: tenants.externalId,
      name: tenants.name,
      archivedAt: tenants.archivedAt,
      role: tenantMemberships.role,
    })
    .from(tenants)
    .leftJoin(
      tenantMemberships,
      and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, userId)),
    )
    .where(eq(tenants.workspaceId, workspaceId))
    .orderBy(sql`lower(${tenants.name}) collate "C"`, tenants.id);
  return rows.map(({ archivedAt, ...row }) => ({ ...row, archived: archivedAt !== null }));
}

const activeMemberOf = (tenantId: SQL | typeof c.tenantId, userId: SQL | typeof c.ownerKey) =>
  exists(
    sql`(select 1 from ${tenantMemberships} join ${users} on ${users.id} = ${tenantMemberships.userId}
      where ${tenantMemberships.tenantId} = ${tenantId} and ${tenantMemberships.userId} = ${userId}
      and ${users.active})`,
  );

const sumOf = (column: AnyColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/**
 * The counters of the tenants per (tenant, owner): the sums of their delta rows, whether the owner is an active
 * member of the tenant (else the owner's findings are accountability gaps), and how many delta rows were read
 * (to tell when they want folding).
 */
export function sumFindingCounters(db: Db, tenantIds: number[]) {
  return db
    .select({
      tenantId: c.tenantId,
      ownerKey: c.ownerKey,
      rows: sql<number>`count(*)`.mapWith(Number),
      total: sumOf(c.total),
      critical: sumOf(c.openCritical),
      high: sumOf(c.openHigh),
      medium: sumOf(c.openMedium),
      low: sumOf(c.openLow),
      unassigned: sumOf(c.openUnassigned),
      ownerActive: activeMemberOf(c.tenantId, c.ownerKey).mapWith(Boolean),
    })
    .from(c)
    .where(inArray(c.tenantId, tenantIds))
    .groupBy(c.tenantId, c.ownerKey);
}
export type CounterSum = Awaited<ReturnType<typeof sumFindingCounters>>[number];

/** Stored open statuses (open.ts: a stored risk_accepted reads as reopened unless an exception is live). */
const STORED_OPEN = [...OPEN_STATUSES, 'risk_accepted'] as const;
const countWhere = (condition: SQL) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);

/**
 * The findings the counters count as open that are risk-accepted at `now` (an approved, unexpired exception),
 * per (tenant, owner): the overview subtracts them. Through findings_tenant_risk_accepted_idx, which holds
 * only findings that ever had an approved exception.
 */
export function countAcceptedOpenFindings(db: Db, tenantIds: number[], now: Date) {
  return db
    .select({
      tenantId: f.tenantId,
      ownerKey: sql<number>`coalesce(${f.ownerUserId}, 0)`.mapWith(Number),
      critical: countWhere(sql`${f.severity} = 'critical'`),
      high: countWhere(sql`${f.severity} = 'high'`),
      medium: countWhere(sql`${f.severity} = 'medium'`),
      low: countWhere(sql`${f.severity} = 'low'`),
      unassigned: countWhere(sql`${f.assigneeUserId} is null`),
    })
    .from(f)
    .where(
      and(
        inArray(f.tenantId, tenantIds),
        sql`${f.riskAcceptedUntil} is not null`,
        gt(f.riskAcceptedUntil, now),
        inArray(f.workflowStatus, [...STORED_OPEN]),
      ),
    )
    .groupBy(f.tenantId, sql`coalesce(${f.ownerUserId}, 0)`);
}

/** Exceptions shown at `now`: pending, or approved and unexpired (rules.isExceptionShown). */
export const shownAt = (now: Date) =>
  or(
    eq(e.status, 'pending'),
    and(eq(e.status, 'approved'), or(isNull(e.expiresAt), gt(e.expiresAt, now))),
  ) as SQL;

/**
 * Per tenant: pending exceptions, and exceptions in force (pending, or approved and unexpired) whose review
 * date has passed. Two ranges of finding_exceptions_tenant_review_idx (tenant, status, review date), which
 * holds only pending and approved exceptions: the overdue count reads the overdue ones only.
 */
export async function countExceptions(db: Db, tenantIds: number[], now: Date) {
  const [pending, overdue] = await Promise.all([
    db
      .select({ tenantId: e.tenantId, n: sql<number>`count(*)`.mapWith(Number) })
      .from(e)
      .where(and(inArray(e.tenantId, tenantIds), eq(e.status, 'pending')))
      .groupBy(e.tenantId),
    db
      .select({ tenantId: e.tenantId, n: sql<number>`count(*)`.mapWith(Number) })
      .from(e)
      .where(
        and(
          inArray(e.tenantId, tenantIds),
          inArray(e.status, ['pending', 'approved']),
          lte(e.reviewDueAt, now),
          shownAt(now),
        ),
      )
      .groupBy(e.tenantId),
  ]);
  const byTenant = (rows: { tenantId: number | null; n: number }[]) =>
    new Map(rows.map((row) => [row.tenantId, row.n]));
  return { pending: byTenant(pending), overdue: byTenant(overdue) };
}

/** Per tenant: runs that completed as failed since `since` (operation_runs_tenant_outcome_idx). */
export function countFailedRuns(db: Db, tenantIds: number[], since: Date) {
  return db
    .select({ tenantId: operationRuns.tenantId, failed: sql<number>`count(*)`.mapWith(Number) })
    .from(operationRuns)
    .where(
      and(
        inArray(operationRuns.tenantId, tenantIds),
        eq(operationRuns.outcome, 'failed'),
        gt(operationRuns.completedAt, since),
      ),
    )
    .groupBy(operationRuns.tenantId);
}

/** Each tenant's newest run, one index probe per tenant (operation_runs_tenant_id_idx). */
export function listLatestRuns(db: Db, tenantIds: number[]) {
  const r = operationRuns;
  const latest = db
    .select({
      id: r.id,
      type: r.type,
      status: r.status,
      outcome: r.outcome,
      // created_at is never null, so neither is this.
      at: sql<string>`${iso(sql`coalesce(${r.completedAt}, ${r.startedAt}, ${r.createdAt})`)}`.as('at'),
    })
    .from(r)
    .where(eq(r.tenantId, tenants.id))
    .orderBy(sql`${r.id} desc nulls last`)
    .limit(1)
    .as('latest');
  return db
    .select({
      tenantId: tenants.id,
      id: latest.id,
      type: latest.type,
      status: latest.status,
      outcome: latest.outcome,
      at: latest.at,
    })
    .from(tenants)
    .innerJoinLateral(latest, sql`true`)
    .where(inArray(tenants.id, tenantIds));
}

/** Past this many unfolded delta rows among the tenants read, the overview folds them. */
export const FOLD_AFTER_ROWS = 200;
// Any constant of this feature: one folder at a time across processes; the others skip, never wait.
const FOLD_LOCK_KEY = 727_010;

/**
 * Folds the tenants' counter deltas into one row per (tenant, owner), in one statement, when no other process
 * is folding (pg_try_advisory_xact_lock). Writers only insert, so they never wait on this; rows they commit
 * meanwhile are not seen by the delete and stay for the next fold. A whole statement because drizzle 0.45
 * cannot say `with moved as (delete … returning …) insert … select … from moved`.
 */
export async function foldFindingCounters(db: Db, tenantIds: number[]): Promise<void> {
  if (tenantIds.length === 0) return;
  await db.transaction(async (tx) => {
    const locked = await tx.execute(sql`select pg_try_advisory_xact_lock(${FOLD_LOCK_KEY}) as locked`);
    const [row] = (locked as unknown as { rows: { locked: boolean }[] }).rows;
    if (!row?.locked) return;
    const ids = sql.join(
      tenantIds.map((id) => sql`${id}`),
      sql`, `,
    );
    await tx.execute(sql`with moved as (
        delete from ${c} where ${c.tenantId} in (${ids}) returning *
      )
      insert into ${c} (tenant_id, owner_key, total, open_critical, open_high, open_medium, open_low, open_unassigned)
      select tenant_id, owner_key, sum(total), sum(open_critical), sum(open_high), sum(open_medium), sum(open_low),
        sum(open_unassigned)
      from moved group by tenant_id, owner_key
      having sum(total) <> 0 or sum(open_critical) <> 0 or sum(open_high) <> 0 or sum(open_medium) <> 0
        or sum(open_low) <> 0 or sum(open_unassigned) <> 0`);
  });
}

/**
 * docs/rules.md "Finding responsibility", accountability gap, across tenants: the (tenant, owner) pairs whose
 * owner has findings in the tenant and is not an active member of it, from the counters (one row per pair once
 * folded) rather than from the findings. The membership test is in WHERE, so the planner anti-joins the
 * tenants' active memberships once instead of probing them for every owner. `rows`: the delta rows read.
 */
export function listGapOwnerPairs(db: Db, tenantIds: number[]) {
  return db
    .select({ tenantId: c.tenantId, ownerId: c.ownerKey, rows: sql<number>`count(*)`.mapWith(Number) })
    .from(c)
    .where(
      and(
        inArray(c.tenantId, tenantIds),
        sql`${c.ownerKey} <> 0`,
        sql`not ${activeMemberOf(c.tenantId, c.ownerKey)}`,
      ),
    )
    .groupBy(c.tenantId, c.ownerKey)
    .having(sql`sum(${c.total}) > 0`);
}

/** `(tenant_id, owner_user_id) in (…)` for gapCondition, or undefined when there is no such pair. */
export function gapOwnersCondition(pairs: { tenantId: number; ownerId: number }[]): SQL | undefined {
  if (pairs.length === 0) return undefined;
  const list = sql.join(
    pairs.map((pair) => sql`(${pair.tenantId}::int, ${pair.ownerId}::int)`),
    sql`, `,
  );
  return sql`(${f.tenantId}, ${f.ownerUserId}) in (${list})`;
}

/** Where the workspace findings list looks: the workspace's findings, of the listed tenants unless all. */
export function workspacePlace(workspaceId: number, tenantIds: number[] | null): SQL | undefined {
  return and(eq(f.workspaceId, workspaceId), tenantIds === null ? undefined : inArray(f.tenantId, tenantIds));
}
