import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { ResponsibilityState } from './rules.ts';
import type { Severity, WorkflowStatus } from './tables.ts';

export type FindingSort = 'newest' | 'oldest' | 'severity' | 'detected';

/** Where the previous page ended, in the sort's own key. */
export type SortKey = { id: number; rank?: number; detected?: string };

export interface FindingFilter {
  responsibilityState?: ResponsibilityState | undefined;
  accountabilityGap?: boolean | undefined;
  /** A user id, or null for "nobody". */
  owner?: number | null | undefined;
  assignee?: number | null | undefined;
  severity?: Severity | undefined;
  workflowStatus?: WorkflowStatus | undefined;
}

const severityRank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/**
 * Each sort is one index: (tenant_id, id), (tenant_id, severity_rank, id), (tenant_id, detected_at, id). The indexes are DESC NULLS LAST (drizzle's .desc()), and PostgreSQL only walks an
 * index for an ORDER BY that names the same null ordering — plain DESC (NULLS FIRST) makes it sort instead.
 */
const sorts: Record<FindingSort, { order: string; after: (key: SortKey) => SQL }> = {
  newest: { order: 'id desc nulls last', after: (k) => sql`f.id < ${k.id}` },
  oldest: { order: 'id asc nulls first', after: (k) => sql`f.id > ${k.id}` },
  severity: {
    order: 'severity_rank desc nulls last, id desc nulls last',
    after: (k) => sql`(f.severity_rank, f.id) < (${k.rank ?? 0}, ${k.id})`,
  },
  detected: {
    order: 'detected_at desc nulls last, id desc nulls last',
    after: (k) => sql`(f.detected_at, f.id) < (${k.detected ?? ''}::timestamptz, ${k.id})`,
  },
};

/** The sort's ORDER BY on the findings columns of `alias`. */
export const orderOf = (sort: FindingSort, alias: string) =>
  sql.raw(sorts[sort].order.replace(/(^|, )/g, `$1${alias}.`));

const personIs = (column: SQL, value: number | null) =>
  value === null ? sql`${column} is null` : sql`${column} = ${value}`;

const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/**
 * The tenant's finding owners who are not active members of it (inactive, or no membership any more). A
 * loose index scan over findings_tenant_owner_idx: one index probe per distinct owner, never a pass over the
 * tenant's findings. With it, "accountability gap" becomes `owner is null or owner in (…)`, which indexes serve.
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

function gapCondition(gap: boolean, gapOwnerIds: number[]): SQL {
  if (gap) {
    return gapOwnerIds.length === 0
      ? sql`f.owner_user_id is null`
      : sql`(f.owner_user_id is null or f.owner_user_id in (${idList(gapOwnerIds)}))`;
  }
  return gapOwnerIds.length === 0
    ? sql`f.owner_user_id is not null`
    : sql`f.owner_user_id is not null and f.owner_user_id not in (${idList(gapOwnerIds)})`;
}

const stateConditions: Record<ResponsibilityState, SQL> = {
  orphaned_accountability: sql`f.owner_user_id is null`,
  owned_unassigned: sql`f.owner_user_id is not null and f.assignee_user_id is null`,
  assigned: sql`f.owner_user_id is not null and f.assignee_user_id is not null`,
};

/** The effective status: risk_accepted while risk_accepted_until is ahead of `now`, else the stored one. */
function workflowCondition(status: WorkflowStatus, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  if (status === 'risk_accepted') {
    return sql`(f.workflow_status = 'risk_accepted' or f.risk_accepted_until > ${at})`;
  }
  return sql`f.workflow_status = ${status} and (f.risk_accepted_until is null or f.risk_accepted_until <= ${at})`;
}

/**
 * PostgreSQL treats `owner = x` as a constant for ordering, but not `owner is null`: naming the (constant) owner
 * first lets "no owner" lists walk the (tenant_id, owner_user_id, <sort>) indexes instead of filtering another.
 */
function ownerlessPrefix(filter: FindingFilter, sort: FindingSort): SQL {
  const ownerless =
    filter.owner === null ||
    (filter.owner === undefined && filter.responsibilityState === 'orphaned_accountability');
  if (!ownerless) return sql``;
  return sort === 'oldest' ? sql`f.owner_user_id desc nulls first, ` : sql`f.owner_user_id asc nulls last, `;
}

export interface ListInput {
  tenantId: number;
  filter: FindingFilter;
  sort: FindingSort;
  after: SortKey | null;
  limit: number;
  now: Date;
  gapOwnerIds: number[];
}

/** One page of the tenant's findings rows (not hydrated), as a subquery for hydrateFindings. */
export function tenantFindingsPage(input: ListInput): SQL {
  const { filter, sort } = input;
  const conditions: SQL[] = [sql`f.tenant_id = ${input.tenantId}`];
  if (filter.owner !== undefined) conditions.push(personIs(sql`f.owner_user_id`, filter.owner));
  if (filter.assignee !== undefined) conditions.push(personIs(sql`f.assignee_user_id`, filter.assignee));
  if (filter.responsibilityState) conditions.push(stateConditions[filter.responsibilityState]);
  if (filter.accountabilityGap !== undefined) {
    conditions.push(gapCondition(filter.accountabilityGap, input.gapOwnerIds));
  }
  if (filter.severity) {
    // The rank repeats the severity so that sort=severity can stay on its own index.
    conditions.push(
      sql`f.severity = ${filter.severity} and f.severity_rank = ${severityRank[filter.severity]}`,
    );
  }
  if (filter.workflowStatus) conditions.push(workflowCondition(filter.workflowStatus, input.now));
  if (input.after) conditions.push(sorts[sort].after(input.after));
  return sql`select f.* from findings f where ${sql.join(conditions, sql` and `)}
    order by ${ownerlessPrefix(filter, sort)}${orderOf(sort, 'f')} limit ${input.limit}`;
}

/**
 * The actor's findings, owned or assigned, in tenants where they are a member, newest first: two index
 * scans (findings_owner_idx, findings_assignee_idx), each cut at the page size, merged.
 */
export function myWorkPage(
  userId: number,
  role: 'owner' | 'assignee' | undefined,
  afterId: number | null,
  limit: number,
): SQL {
  const branch = (column: string) => sql`(select f.id from findings f
      where f.${sql.raw(column)} = ${userId} ${afterId === null ? sql`` : sql`and f.id < ${afterId}`}
        and f.tenant_id in (select m.tenant_id from tenant_memberships m where m.user_id = ${userId})
      order by f.id desc nulls last limit ${limit})`;
  const branches =
    role === 'owner'
      ? branch('owner_user_id')
      : role === 'assignee'
        ? branch('assignee_user_id')
        : sql`${branch('owner_user_id')} union ${branch('assignee_user_id')}`;
  return sql`select f.* from findings f where f.id in (select id from (${branches}) ids)
    order by f.id desc nulls last limit ${limit}`;
}
