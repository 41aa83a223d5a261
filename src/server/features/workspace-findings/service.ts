import { eq } from 'drizzle-orm';
import { tenantCapabilitiesOf } from '../../core/capabilities.ts';
import { toPage } from '../../core/pagination.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import { hydrateFindings } from '../findings/item-queries.ts';
import { fetchedRowsFor, orderOf, placedFindingsPage } from '../findings/list-queries.ts';
import { readFindingListQuery } from '../findings/service.ts';
import { findings } from '../findings/tables.ts';
import { tenantRef, toFindingItem } from '../findings/views.ts';
import {
  type CounterSum,
  countAcceptedOpenFindings,
  countExceptions,
  countFailedRuns,
  FOLD_AFTER_ROWS,
  foldFindingCounters,
  gapOwnersCondition,
  listGapOwnerPairs,
  listLatestRuns,
  listTenantsWithRole,
  sumFindingCounters,
  type VisibleTenant,
  workspacePlace,
} from './queries.ts';
import { defaultDirection, openFigures, sortOverview } from './rules.ts';
import type { OverviewQuery, OverviewRow, WorkspaceFindingListQuery } from './schemas.ts';

const FAILED_RUNS_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * docs/rules.md "Workspace views": the tenants whose rows the views show — a role on them, not archived — and
 * whether they are all of the workspace's tenants (then a list need not name them).
 */
async function tenantsInView(scope: WorkspaceScope) {
  const all = await listTenantsWithRole(scope.db, scope.workspace.id, scope.actor.userId);
  const viewable = all.filter((tenant): tenant is VisibleTenant => tenant.role !== null && !tenant.archived);
  return { viewable, all: viewable.length === all.length };
}

export async function viewableTenants(scope: WorkspaceScope): Promise<VisibleTenant[]> {
  return (await tenantsInView(scope)).viewable;
}

const ref = (tenant: VisibleTenant) => ({ external_id: tenant.externalId, name: tenant.name });

function groupBy<T extends { tenantId: number | null }>(rows: T[]) {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    if (row.tenantId === null) continue;
    map.set(row.tenantId, [...(map.get(row.tenantId) ?? []), row]);
  }
  return map;
}

/**
 * The tenants' counters per (tenant, owner). Delta rows beyond one per (tenant, owner) are the changes since the
 * last fold: past FOLD_AFTER_ROWS of them the reader folds them (the sums read stay right either way).
 */
async function readCounters(scope: WorkspaceScope, tenantIds: number[]): Promise<CounterSum[]> {
  const counted = await sumFindingCounters(scope.db, tenantIds);
  await foldWhenPiledUp(scope, tenantIds, counted);
  return counted;
}

/** Folds the tenants' counters when the groups just read had more than FOLD_AFTER_ROWS unfolded delta rows. */
async function foldWhenPiledUp(scope: WorkspaceScope, tenantIds: number[], groups: { rows: number }[]) {
  if (groups.reduce((sum, group) => sum + group.rows - 1, 0) > FOLD_AFTER_ROWS) {
    await foldFindingCounters(scope.db, tenantIds);
  }
}

/** The (tenant, owner) pairs that are accountability gaps in these tenants (the list's gap filter reads them). */
async function gapOwnerPairs(scope: WorkspaceScope, tenantIds: number[]) {
  if (tenantIds.length === 0) return [];
  const pairs = await listGapOwnerPairs(scope.db, tenantIds);
  await foldWhenPiledUp(scope, tenantIds, pairs);
  return pairs;
}

/**
 * One row per viewable tenant: open findings by severity, gaps and unassigned from the counters (minus the
 * findings risk-accepted now), exceptions and failed runs judged at `now`, the latest run.
 */
export async function getFindingsOverview(scope: WorkspaceScope, query: OverviewQuery) {
  const { db } = scope;
  const now = new Date();
  const visible = await viewableTenants(scope);
  const ids = visible.map((tenant) => tenant.id);
  const sort = query.sort ?? 'name';
  const direction = query.direction ?? defaultDirection(sort);
  const base = {
    workspace: { slug: scope.workspace.slug, name: scope.workspace.name },
    sort,
    direction,
    as_of: now.toISOString(),
  };
  if (ids.length === 0) return { ...base, items: [] };
  const [counted, accepted, exceptions, failed, latest] = await Promise.all([
    readCounters(scope, ids),
    countAcceptedOpenFindings(db, ids, now),
    countExceptions(db, ids, now),
    countFailedRuns(db, ids, new Date(now.getTime() - FAILED_RUNS_DAYS * DAY_MS)),
    listLatestRuns(db, ids),
  ]);
  const countedBy = groupBy(counted);
  const acceptedBy = groupBy(accepted);
  const failedBy = new Map(failed.map((row) => [row.tenantId, row.failed]));
  const latestBy = new Map(latest.map(({ tenantId, ...run }) => [tenantId, run]));
  const rows: OverviewRow[] = visible.map((tenant) => {
    const figures = openFigures(countedBy.get(tenant.id) ?? [], acceptedBy.get(tenant.id) ?? []);
    return {
      tenant: ref(tenant),
      open_findings: {
        critical: figures.critical,
        high: figures.high,
        medium: figures.medium,
        low: figures.low,
        total: figures.total,
      },
      accountability_gap: figures.accountability_gap,
      unassigned: figures.unassigned,
      pending_exceptions: exceptions.pending.get(tenant.id) ?? 0,
      overdue_reviews: exceptions.overdue.get(tenant.id) ?? 0,
      failed_runs: failedBy.get(tenant.id) ?? 0,
      latest_run: latestBy.get(tenant.id) ?? null,
    };
  });
  return { ...base, items: sortOverview(rows, sort, direction) };
}

/**
 * Where a workspace list looks for this actor: one tenant when the query names one they may view (an unknown
 * or unviewable one names no findings), else every viewable tenant — filtered by tenant only when the actor
 * does not view all of the workspace's tenants.
 */
async function placeOf(scope: WorkspaceScope, tenant: string | undefined) {
  const { viewable: visible, all } = await tenantsInView(scope);
  if (tenant !== undefined) {
    const named = visible.filter((candidate) => candidate.externalId === tenant);
    return {
      tenantIds: named.map((one) => one.id),
      place: named[0] ? eq(findings.tenantId, named[0].id) : null,
    };
  }
  const tenantIds = visible.map((one) => one.id);
  return {
    tenantIds,
    place: tenantIds.length === 0 ? null : workspacePlace(scope.workspace.id, all ? null : tenantIds),
  };
}

/**
 * A workspace findings list query, read as the tenant list reads its own (readFindingListQuery) plus where it
 * looks and which owners are gaps there; `place` null: nothing to look at.
 */
export async function resolveWorkspaceList(scope: WorkspaceScope, query: WorkspaceFindingListQuery) {
  const read = readFindingListQuery(query, scope.actor);
  const { tenantIds, place } = await placeOf(scope, query.tenant);
  const gapOwners =
    place === null || read.gap === undefined
      ? undefined
      : gapOwnersCondition(await gapOwnerPairs(scope, tenantIds));
  return { ...read, place, gapOwners, now: new Date() };
}

/** One page of the workspace findings list: the tenant list's filters and sorts, plus `tenant`. */
export async function listWorkspaceFindings(scope: WorkspaceScope, query: WorkspaceFindingListQuery) {
  const { sort, limit, after, filter, cursorOf, place, gapOwners, now } = await resolveWorkspaceList(
    scope,
    query,
  );
  if (place === null) return { items: [], next_cursor: null };
  const fetched = fetchedRowsFor(limit + 1);
  const page = placedFindingsPage({ place, gapOwners, filter, sort, after, limit: fetched, now });
  const rows = await hydrateFindings(scope.db, page, orderOf(sort, 'p'), now);
  const { items, next_cursor } = toPage(rows, limit, cursorOf);
  return {
    items: items.map((row) => ({ ...toFindingItem(row, now), tenant: tenantRef(row) })),
    next_cursor,
  };
}

/** The tenants where the actor's role decides exceptions: the approval queue's. */
export async function decidingTenants(scope: WorkspaceScope) {
  const visible = await viewableTenants(scope);
  return visible.filter((tenant) => tenantCapabilitiesOf[tenant.role].includes('finding_exceptions.decide'));
}
