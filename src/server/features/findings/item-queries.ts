import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import type { ExceptionStatus, Severity, WorkflowStatus } from './tables.ts';

/** Timestamps leave the database as ISO text, so both drivers answer the same thing. */
export const iso = (column: SQL) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** Microsecond text of a sort key: a cursor must not lose the precision the database compares with. */
export const isoMicros = (column: SQL) =>
  sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface ExceptionRow {
  id: number;
  status: ExceptionStatus;
  owner_id: number;
  owner_name: string;
  requested_by_id: number;
  requested_by_name: string;
  request_reason: string;
  review_due_at: string;
  expires_at: string | null;
  requested_at: string;
  decided_by_id: number | null;
  decided_by_name: string | null;
  decided_at: string | null;
}

export interface FindingRow {
  id: number;
  tenant_external_id: string;
  tenant_name: string;
  title: string;
  severity: Severity;
  severity_rank: number;
  workflow_status: WorkflowStatus;
  detected_at: string;
  detected_key: string;
  /** Epoch ms of findings.risk_accepted_until; Infinity for an approval without expiry. */
  risk_accepted_until_ms: number | null;
  owner_id: number | null;
  owner_name: string | null;
  owner_active_member: boolean;
  assignee_id: number | null;
  assignee_name: string | null;
  /** The current exception: pending, or approved and unexpired. */
  x: ExceptionRow | null;
}

function exceptionSelect(alias: string) {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  return sql`${col('id')}, ${col('status')}, ${col('request_reason')},
    eo.id as owner_id, eo.display_name as owner_name,
    er.id as requested_by_id, er.display_name as requested_by_name,
    ed.id as decided_by_id, ed.display_name as decided_by_name,
    ${iso(col('review_due_at'))} as review_due_at, ${iso(col('expires_at'))} as expires_at,
    ${iso(col('created_at'))} as requested_at, ${iso(col('decided_at'))} as decided_at`;
}

const exceptionPeople = (alias: string) =>
  sql.raw(`
  join users eo on eo.id = ${alias}.owner_user_id
  join users er on er.id = ${alias}.requested_by_user_id
  left join users ed on ed.id = ${alias}.decided_by_user_id`);

/** Pending, or approved with no expiry or one after `now` (rules.isExceptionShown, in SQL). */
export const shownException = (alias: string, now: Date) =>
  sql`(${sql.raw(alias)}.status = 'pending' or (${sql.raw(alias)}.status = 'approved'
    and (${sql.raw(alias)}.expires_at is null or ${sql.raw(alias)}.expires_at > ${now.toISOString()}::timestamptz)))`;

/**
 * Everything a finding item shows, for the rows of `page` only (a subquery yielding findings rows in page
 * order): people, the owner's active membership, the tenant, and the current exception via a lateral join.
 */
export function hydrateFindings(db: Db, page: SQL, order: SQL, now: Date) {
  return queryRows<FindingRow>(
    db,
    sql`select p.id, t.external_id as tenant_external_id, t.name as tenant_name, p.title, p.severity,
      p.severity_rank, p.workflow_status, ${iso(sql`p.detected_at`)} as detected_at,
      ${isoMicros(sql`p.detected_at`)} as detected_key,
      (extract(epoch from p.risk_accepted_until) * 1000)::float8 as risk_accepted_until_ms,
      o.id as owner_id, o.display_name as owner_name,
      exists (select 1 from tenant_memberships m join users u on u.id = m.user_id
        where m.tenant_id = p.tenant_id and m.user_id = p.owner_user_id and u.active) as owner_active_member,
      a.id as assignee_id, a.display_name as assignee_name,
      case when x.id is null then null else row_to_json(x) end as x
    from (${page}) p
    join tenants t on t.id = p.tenant_id
    left join users o on o.id = p.owner_user_id
    left join users a on a.id = p.assignee_user_id
    left join lateral (
      select ${exceptionSelect('e')} from finding_exceptions e ${exceptionPeople('e')}
      where e.finding_id = p.id and ${shownException('e', now)}
      order by e.id desc nulls last limit 1
    ) x on true
    order by ${order}`,
  );
}

/** One finding of a tenant, hydrated (access has already proven it exists in the tenant). */
export async function getFindingRow(db: Db, tenantId: number, findingId: number, now: Date) {
  const [row] = await hydrateFindings(
    db,
    sql`select * from findings where id = ${findingId} and tenant_id = ${tenantId}`,
    sql`p.id`,
    now,
  );
  if (!row) throw new Error(`finding ${findingId} vanished after access was resolved`);
  return row;
}

export function listExceptionRows(db: Db, findingId: number, limit: number) {
  return queryRows<ExceptionRow>(
    db,
    sql`select ${exceptionSelect('e')} from finding_exceptions e ${exceptionPeople('e')}
      where e.finding_id = ${findingId} order by e.id desc nulls last limit ${limit}`,
  );
}

export async function getExceptionRow(db: Db, exceptionId: number) {
  const [row] = await queryRows<ExceptionRow>(
    db,
    sql`select ${exceptionSelect('e')} from finding_exceptions e ${exceptionPeople('e')}
      where e.id = ${exceptionId}`,
  );
  if (!row) throw new Error(`exception ${exceptionId} vanished`);
  return row;
}
