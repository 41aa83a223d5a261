import {
  type AnyColumn,
  and,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  not,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/pg-core';
import { type Bound, boundValue, builtOnce, type Instant, limitInText } from '../../db/built-once.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { readFloat8 } from '../../db/float8.ts';
import { newestFirst } from '../../db/order.ts';
import { tenantMemberships } from '../tenancy/tables.ts';
import { type FindingRow, findingsPage, hydrateFindings } from './item-queries.ts';
import { openCondition } from './open.ts';
import type { ResponsibilityState } from './rules.ts';
import type { FindingSort } from './schemas.ts';
import { findings, type Severity, type WorkflowStatus } from './tables.ts';

/** Where the previous page ended, in the sort's own key. */
export type SortKey = { id: number; rank?: number; detected?: string };
/** A sort key as a page takes it: given, or placeholders of a page built once. */
type BoundSortKey = { [K in keyof SortKey]: Bound<NonNullable<SortKey[K]>> };

export interface FindingFilter {
  responsibilityState?: ResponsibilityState | undefined;
  accountabilityGap?: boolean | undefined;
  /** A user id, or null for "nobody". */
  owner?: number | null | undefined;
  assignee?: number | null | undefined;
  severity?: Severity | undefined;
  workflowStatus?: WorkflowFilter | undefined;
  /** docs/rules.md "Imports": the tool that reported the findings. */
  source?: string | undefined;
}

const f = findings;
const severityRank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** The findings columns a sort reads: of the table itself, or of a page of it under another name. */
type SortColumns = Record<'id' | 'severityRank' | 'detectedAt', AnyColumn>;

const mostSevereFirst = (column: AnyColumn) => sql`${column} desc nulls last`;

const latestDetected = {
  order: (t: SortColumns) => [newestFirst(t.detectedAt), newestFirst(t.id)],
  after: (t: SortColumns, k: BoundSortKey) =>
    sql`(${t.detectedAt}, ${t.id}) < (${k.detected ?? ''}::timestamptz, ${k.id})`,
};

/**
 * Each sort is one index: (tenant_id, severity_rank, id) or (tenant_id, detected_at, id), walked forwards or (for
 * `oldest`) backwards. The indexes are DESC NULLS LAST (drizzle's .desc()), and PostgreSQL only walks an index for
 * an ORDER BY that names the same null ordering (or its exact reverse) — plain DESC (NULLS FIRST) makes it sort.
 * docs/rules.md "Finding lifecycle", sorting: `newest` and `detected` were two names of one order (a finding is
 * newest when it was detected latest), so they are one sort now; `newest` stays accepted for old links.
 */
const sorts: Record<
  FindingSort,
  { order: (t: SortColumns) => SQL[]; after: (t: SortColumns, key: BoundSortKey) => SQL }
> = {
  newest: latestDetected,
  detected: latestDetected,
  oldest: {
    order: (t) => [sql`${t.detectedAt} asc nulls first`, sql`${t.id} asc nulls first`],
    after: (t, k) => sql`(${t.detectedAt}, ${t.id}) > (${k.detected ?? ''}::timestamptz, ${k.id})`,
  },
  severity: {
    order: (t) => [mostSevereFirst(t.severityRank), newestFirst(t.id)],
    after: (t, k) => sql`(${t.severityRank}, ${t.id}) < (${k.rank ?? 0}, ${k.id})`,
  },
};

/** The sort's ORDER BY on the findings columns of `name` (hydrateFindings names its page 'p'). */
export const orderOf = (sort: FindingSort, name: string) => sorts[sort].order(alias(f, name));

const personIs = (column: AnyColumn, value: number | null) =>
  value === null ? isNull(column) : eq(column, value);

/**
 * The tenant's finding owners who are not active members of it (inactive, or no membership any more). A
 * loose index scan over findings_tenant_owner_idx: one index probe per distinct owner, never a pass over the
 * tenant's findings. With it, "accountability gap" becomes `owner is null or owner in (…)`, which indexes serve.
 * The one read written as a whole statement: drizzle 0.45 has no WITH RECURSIVE, and a plain DISTINCT would
 * read every finding of the tenant.
 */
export async function listGapOwnerIds(db: Db, tenantId: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`with recursive owners(id) as (
        (select owner_user_id from findings where tenant_id = ${tenantId} and owner_user_id is not null
          order by owner_user_id limit 1)
        union all
        select (select f.owner_user_id from findings f where f.tenant_id = ${tenantId} and f.owner_user_id > owners.id
          order by f.owner_user_id limit 1)
        from owners where owners.id is not null
      )
      select id from owners where id is not null and not exists (
        select 1 from tenant_memberships m join users u on u.id = m.user_id
        where m.tenant_id = ${tenantId} and m.user_id = owners.id and u.active)`,
  );
  return rows.map((row) => Number(row.id));
}

/**
 * `gapOwners` matches the findings whose owner is not an active member of their tenant (undefined: there are
 * none): `owner in (…)` for one tenant, `(tenant, owner) in (…)` across a workspace's tenants.
 */
function gapCondition(gap: boolean, gapOwners: SQL | undefined): SQL | undefined {
  if (gap) return gapOwners === undefined ? isNull(f.ownerUserId) : or(isNull(f.ownerUserId), gapOwners);
  return gapOwners === undefined ? isNotNull(f.ownerUserId) : and(isNotNull(f.ownerUserId), not(gapOwners));
}

const stateConditions: Record<ResponsibilityState, SQL | undefined> = {
  orphaned_accountability: isNull(f.ownerUserId),
  owned_unassigned: and(isNotNull(f.ownerUserId), isNull(f.assigneeUserId)),
  assigned: and(isNotNull(f.ownerUserId), isNotNull(f.assigneeUserId)),
};

/** A workflow_status filter value: one effective status, every open one (the default), or any. */
export type WorkflowFilter = WorkflowStatus | 'open' | 'any';

/**
 * docs/rules.md "Finding lifecycle": the filter judges the effective status (open.ts): risk_accepted while
 * risk_accepted_until is ahead of `now`; a stored risk_accepted without that reads as reopened.
 */
function workflowCondition(status: WorkflowFilter, now: Instant): SQL | undefined {
  if (status === 'any') return undefined;
  if (status === 'open') return openCondition(now);
  if (status === 'risk_accepted') return gt(f.riskAcceptedUntil, now);
  const notAccepted = or(isNull(f.riskAcceptedUntil), lte(f.riskAcceptedUntil, now));
  if (status === 'reopened')
    return and(inArray(f.workflowStatus, ['reopened', 'risk_accepted']), notAccepted);
  return and(eq(f.workflowStatus, status), notAccepted);
}

/**
 * PostgreSQL treats `owner = x` as a constant for ordering, but not `owner is null`: naming the (constant) owner
 * first lets "no owner" lists walk the (tenant_id, owner_user_id, <sort>) indexes instead of filtering another.
 */
function ownerlessPrefix(filter: FindingFilter, sort: FindingSort): SQL[] {
  const ownerless =
    filter.owner === null ||
    (filter.owner === undefined && filter.responsibilityState === 'orphaned_accountability');
  if (!ownerless) return [];
  return [sort === 'oldest' ? sql`${f.ownerUserId} desc nulls first` : sql`${f.ownerUserId} asc nulls last`];
}

export interface ListInput {
  tenantId: Bound<number>;
  filter: FindingFilter;
  sort: FindingSort;
  after: BoundSortKey | null;
  limit: Bound<number>;
  now: Instant;
  gapOwnerIds: number[];
}

/** One page of the tenant's findings rows (not hydrated), as a subquery for hydrateFindings. */
export function tenantFindingsPage(input: ListInput) {
  const { tenantId, gapOwnerIds, ...rest } = input;
  return placedFindingsPage({
    ...rest,
    place: eq(f.tenantId, tenantId),
    gapOwners: gapOwnerIds.length === 0 ? undefined : inArray(f.ownerUserId, gapOwnerIds),
  });
}

/** A tenant list page's input with its values given (what a request has). */
export interface GivenListInput extends ListInput {
  tenantId: number;
  after: SortKey | null;
  limit: number;
  now: Date;
}

/** A page of the tenant's findings list: its rows, and when the page may next read differently by the clock. */
export interface TenantListPage {
  rows: FindingRow[];
  /**
   * Epoch ms at which the earliest acceptance of the tenant ends after `now` (null: none will), for a page that
   * a process may keep (list-cache.ts); undefined for a page built for the request, which is not kept.
   */
  nextAcceptanceEnd: number | null | undefined;
}

/**
 * A page of the tenant's findings list, hydrated: fetched in one of a few counts (fetchedRowsFor), then cut to
 * `limit`. Filtered by workflow status alone (the list as it opens, its status choices, its sorts and next
 * pages), the statement is built once per shape (builtOnce) and run with the request's values, as the hottest
 * read is worth, and says when the tenant's next acceptance ends; any other filter builds the statement for the
 * request.
 */
export async function tenantListRows(db: Db, input: GivenListInput): Promise<TenantListPage> {
  const statusAlone = Object.entries(input.filter).every(
    ([key, value]) => key === 'workflowStatus' || value === undefined,
  );
  const fetched = fetchedRowsFor(input.limit);
  if (statusAlone && input.gapOwnerIds.length === 0) {
    const rows = await builtListRows(db, input, fetched);
    const [first] = rows;
    // An empty page carries no row to say it (its findings may all be accepted for now): it is not kept.
    const nextAcceptanceEnd = first === undefined ? undefined : readFloat8(first.next_acceptance_end_ms);
    return { rows: rows.slice(0, input.limit), nextAcceptanceEnd };
  }
  const rows = await hydrateFindings(
    db,
    tenantFindingsPage({ ...input, limit: fetched }),
    orderOf(input.sort, 'p'),
    input.now,
  );
  return { rows: rows.slice(0, input.limit), nextAcceptanceEnd: undefined };
}

function builtListRows(db: Db, input: GivenListInput, fetched: number) {
  const { sort, after } = input;
  const status = input.filter.workflowStatus;
  const name = `tp_findings_list_${sort}_${status ?? 'any'}_${after ? 'after' : 'first'}_${fetched}`;
  const statement = builtOnce(db, name, (statementName) => {
    const value = sql.placeholder;
    const page = tenantFindingsPage({
      tenantId: value('tenant'),
      filter: { workflowStatus: status },
      sort,
      after: after
        ? { id: value('after_id'), rank: value('after_rank'), detected: value('after_detected') }
        : null,
      limit: fetched,
      now: value('now'),
      gapOwnerIds: [],
    });
    // An index probe (findings_tenant_accepted_counts_idx), run once for the statement: it names no page column.
    const nextAcceptanceEnd = sql<
      number | string | null
    >`(select (extract(epoch from min(${f.riskAcceptedUntil})) * 1000)::float8
      from ${f} where ${f.tenantId} = ${value('tenant')} and ${f.riskAcceptedUntil} > ${value('now')}::timestamptz)`;
    return hydrateFindings(db, page, orderOf(sort, 'p'), value('now'), () => ({
      next_acceptance_end_ms: nextAcceptanceEnd,
    })).prepare(statementName);
  });
  return statement.execute({
    tenant: input.tenantId,
    now: boundValue(input.now),
    after_id: after?.id ?? null,
    after_rank: after?.rank ?? 0,
    after_detected: after?.detected ?? '',
  });
}

/**
 * The rows a page of findings fetches for a request's `limit` (which counts the row that tells whether another
 * page follows): the smallest of a few counts that holds it, the web UI's page and the API's default page two
 * of them. The count is written into the statement's text (placedFindingsPage), so every count is another
 * statement each connection keeps; the few keep them bounded whatever limits requests ask for. The caller
 * cuts the page from what comes back.
 */
const FETCHED_ROWS = [26, 51, 101, 201] as const;
export function fetchedRowsFor(limit: number): number {
  const fetched = FETCHED_ROWS.find((rows) => rows >= limit);
  // The list schemas cap `limit` at 200: a larger page here is a caller's mistake, not another statement.
  if (fetched === undefined) throw new Error(`no page of findings fetches ${limit} rows`);
  return fetched;
}

/**
 * Every filter and sort of the tenant list, wherever it looks: `place` says where (one tenant, or a workspace's
 * tenants for the workspace findings list), `gapOwners` which owners are gaps there (see gapCondition).
 */
export interface PlacedListInput extends Omit<ListInput, 'tenantId' | 'gapOwnerIds'> {
  place: SQL | undefined;
  gapOwners: SQL | undefined;
}

/** One page of findings rows in `place` (not hydrated), as a subquery for hydrateFindings. */
export function placedFindingsPage(input: PlacedListInput) {
  const { filter, sort } = input;
  const conditions: (SQL | undefined)[] = [input.place];
  if (filter.owner !== undefined) conditions.push(personIs(f.ownerUserId, filter.owner));
  if (filter.assignee !== undefined) conditions.push(personIs(f.assigneeUserId, filter.assignee));
  if (filter.responsibilityState) conditions.push(stateConditions[filter.responsibilityState]);
  if (filter.accountabilityGap !== undefined) {
    conditions.push(gapCondition(filter.accountabilityGap, input.gapOwners));
  }
  if (filter.severity) {
    // The rank repeats the severity so that sort=severity can stay on its own index.
    conditions.push(eq(f.severity, filter.severity), eq(f.severityRank, severityRank[filter.severity]));
  }
  if (filter.workflowStatus) conditions.push(workflowCondition(filter.workflowStatus, input.now));
  if (filter.source !== undefined) conditions.push(eq(f.source, filter.source));
  if (input.after) conditions.push(sorts[sort].after(f, input.after));
  // A count in the text, not a value: see limitInText (exports and bulk changes take a constant count).
  const limit = typeof input.limit === 'number' ? limitInText(input.limit) : input.limit;
  return findingsPage()
    .where(and(...conditions))
    .orderBy(...ownerlessPrefix(filter, sort), ...sorts[sort].order(f))
    .limit(limit);
}

/**
 * The actor's open findings, owned or assigned, in tenants where they are a member, newest first: two index
 * scans (findings_owner_idx, findings_assignee_idx), each cut at the page size, merged.
 */
export function myWorkPage(
  userId: number,
  role: 'owner' | 'assignee' | undefined,
  afterId: number | null,
  limit: number,
  now: Date,
) {
  const qb = new QueryBuilder();
  const memberTenants = qb
    .select({ tenantId: tenantMemberships.tenantId })
    .from(tenantMemberships)
    .where(eq(tenantMemberships.userId, userId));
  const branch = (person: typeof f.ownerUserId | typeof f.assigneeUserId) =>
    qb
      .select({ id: f.id })
      .from(f)
      .where(
        and(
          eq(person, userId),
          // docs/rules.md "Finding lifecycle": My work is open findings only.
          openCondition(now),
          afterId === null ? undefined : lt(f.id, afterId),
          inArray(f.tenantId, memberTenants),
        ),
      )
      .orderBy(newestFirst(f.id))
      .limit(limit);
  const ids = (
    role === 'owner'
      ? branch(f.ownerUserId)
      : role === 'assignee'
        ? branch(f.assigneeUserId)
        : branch(f.ownerUserId).union(branch(f.assigneeUserId))
  ).as('ids');
  return findingsPage()
    .where(inArray(f.id, qb.select({ id: ids.id }).from(ids)))
    .orderBy(newestFirst(f.id))
    .limit(limit);
}
