import {
  type AnyColumn,
  and,
  type Column,
  eq,
  exists,
  inArray,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import { alias, QueryBuilder, type SelectedFields } from 'drizzle-orm/pg-core';
import { boundValue, builtOnce, type Instant, instantSql } from '../../db/built-once.ts';
import type { Db } from '../../db/client.ts';
import { newestFirst } from '../../db/order.ts';
import { tenantMemberships, tenants, users } from '../tenancy/tables.ts';
import { findingExceptions, findings } from './tables.ts';

type IsoText<T> = T extends Column
  ? T['_']['notNull'] extends true
    ? string
    : string | null
  : string | null;

/** Timestamps leave the database as ISO text, so both drivers answer the same thing. */
export const iso = <T extends AnyColumn | SQL>(value: T) =>
  sql<IsoText<T>>`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** Microsecond text of a sort key: a cursor must not lose the precision the database compares with. */
export const isoMicros = <T extends AnyColumn>(column: T) =>
  sql<IsoText<T>>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Pending, or approved with no expiry or one after `now` (rules.isExceptionShown, in SQL). */
export const shownException = (exception: { status: AnyColumn; expiresAt: AnyColumn }, now: Instant) =>
  sql`(${exception.status} = 'pending' or (${exception.status} = 'approved'
    and (${exception.expiresAt} is null or ${exception.expiresAt} > ${instantSql(now)})))`;

const e = findingExceptions;
const eo = alias(users, 'eo');
const er = alias(users, 'er');
const ed = alias(users, 'ed');

/**
 * An exception with its people, each field under a name of its own so that it can be selected from a subquery
 * too: the people's ids are the exception's columns, and two of the three display_name columns are renamed.
 */
const exceptionFields = {
  id: e.id,
  status: e.status,
  request_reason: e.requestReason,
  owner_id: e.ownerUserId,
  owner_name: sql`${eo.displayName}`.mapWith(eo.displayName).as('owner_name'),
  requested_by_id: e.requestedByUserId,
  requested_by_name: sql`${er.displayName}`.mapWith(er.displayName).as('requested_by_name'),
  decided_by_id: e.decidedByUserId,
  decided_by_name: ed.displayName,
  review_due_at: iso(e.reviewDueAt).as('review_due_at'),
  expires_at: iso(e.expiresAt).as('expires_at'),
  requested_at: iso(e.createdAt).as('requested_at'),
  decided_at: iso(e.decidedAt).as('decided_at'),
  decision_note: e.decisionNote,
};

function selectExceptions(db: Db) {
  return db
    .select(exceptionFields)
    .from(e)
    .innerJoin(eo, eq(eo.id, e.ownerUserId))
    .innerJoin(er, eq(er.id, e.requestedByUserId))
    .leftJoin(ed, eq(ed.id, e.decidedByUserId))
    .$dynamic();
}

/**
 * A finding's exceptions, newest first and at most `limit`, as one JSON array of objects under
 * exceptionFields' names (the shape of an ExceptionRow): the detail reads them in the finding's own
 * statement instead of a second one.
 */
function exceptionHistory(db: Db, findingId: AnyColumn, limit: number) {
  const newest = selectExceptions(db)
    .where(eq(e.findingId, findingId))
    .orderBy(newestFirst(e.id))
    .limit(limit)
    .as('h');
  const fields = newest as unknown as Record<keyof typeof exceptionFields, SQLWrapper>;
  const item = sql.join(
    Object.keys(exceptionFields).map(
      (name) => sql`${name}::text, ${fields[name as keyof typeof exceptionFields]}`,
    ),
    sql`, `,
  );
  const objects = sql`json_agg(json_build_object(${item}) order by ${newest.id} desc)`;
  return sql<ExceptionRow[]>`(select coalesce(${objects}, '[]'::json) from ${newest})`;
}

/** A page of findings rows, for hydrateFindings: `findingsPage().where(…).orderBy(…).limit(…)`. */
export const findingsPage = () => new QueryBuilder().select().from(findings).$dynamic();
export type FindingsPage = ReturnType<typeof findingsPage>;

/** The page's name in hydrateFindings: orderOf(sort, 'p') orders its rows. */
const PAGE = 'p';

/**
 * Everything a finding item shows, for the rows of `page` only, in `order`: people, the owner's active
 * membership, the tenant, and the current exception (pending, or approved and unexpired) via a lateral join.
 */
export function hydrateFindings<Extra extends SelectedFields = Record<never, never>>(
  db: Db,
  page: FindingsPage,
  order: SQL[],
  now: Instant,
  extra?: (page: { id: AnyColumn }) => Extra,
) {
  const p = page.as(PAGE);
  const owner = alias(users, 'o');
  const assignee = alias(users, 'a');
  const current = selectExceptions(db)
    .where(and(eq(e.findingId, p.id), shownException(e, now)))
    .orderBy(newestFirst(e.id))
    .limit(1)
    .as('x');
  const ownerIsActiveMember = db
    .select({ one: sql`1` })
    .from(tenantMemberships)
    .innerJoin(users, eq(users.id, tenantMemberships.userId))
    .where(
      and(
        eq(tenantMemberships.tenantId, p.tenantId),
        eq(tenantMemberships.userId, p.ownerUserId),
        eq(users.active, true),
      ),
    );
  return db
    .select({
      id: p.id,
      tenant_external_id: tenants.externalId,
      tenant_name: tenants.name,
      title: p.title,
      severity: p.severity,
      severity_rank: p.severityRank,
      workflow_status: p.workflowStatus,
      detected_at: iso(p.detectedAt),
      detected_key: isoMicros(p.detectedAt),
      source: p.source,
      check_id: p.checkId,
      description: p.description,
      evidence: p.evidence,
      help_url: p.helpUrl,
      last_seen_at: iso(p.lastSeenAt),
      /** Epoch ms of findings.risk_accepted_until; Infinity for an approval without expiry. */
      risk_accepted_until_ms: sql<number | null>`(extract(epoch from ${p.riskAcceptedUntil}) * 1000)::float8`,
      owner_id: owner.id,
      owner_name: owner.displayName,
      owner_active_member: exists(ownerIsActiveMember).mapWith(Boolean),
      assignee_id: assignee.id,
      assignee_name: assignee.displayName,
      /** The current exception, or null when the lateral join found none. */
      x: current._.selectedFields,
      ...(extra?.(p) ?? ({} as Extra)),
    })
    .from(p)
    .innerJoin(tenants, eq(tenants.id, p.tenantId))
    .leftJoin(owner, eq(owner.id, p.ownerUserId))
    .leftJoin(assignee, eq(assignee.id, p.assigneeUserId))
    .leftJoinLateral(current, sql`true`)
    .orderBy(...order);
}

export type FindingRow = Awaited<ReturnType<typeof hydrateFindings>>[number];

/** One finding of a tenant, hydrated (access has already proven it exists in the tenant). */
export async function getFindingRow(db: Db, tenantId: number, findingId: number, now: Date) {
  const page = findingsPage().where(and(eq(findings.id, findingId), eq(findings.tenantId, tenantId)));
  const [row] = await hydrateFindings(db, page, [], now);
  if (!row) throw new Error(`finding ${findingId} vanished after access was resolved`);
  return row;
}

export type ExceptionRow = Awaited<ReturnType<typeof selectExceptions>>[number];

/**
 * One finding of a tenant for its detail, hydrated, with its newest `exceptionLimit` exceptions, in one
 * statement (access has already proven it exists in the tenant).
 */
export async function getFindingDetailRow(
  db: Db,
  tenantId: number,
  findingId: number,
  now: Date,
  exceptionLimit: number,
) {
  // Built once per database (builtOnce): the detail is a hot read, and its statement the largest one built.
  const statement = builtOnce(db, `tp_finding_detail_${exceptionLimit}`, (name) => {
    const page = findingsPage().where(
      and(eq(findings.id, sql.placeholder('finding')), eq(findings.tenantId, sql.placeholder('tenant'))),
    );
    return hydrateFindings(db, page, [], sql.placeholder('now'), (p) => ({
      exceptions: exceptionHistory(db, p.id, exceptionLimit).as('exceptions'),
    })).prepare(name);
  });
  const [row] = await statement.execute({ finding: findingId, tenant: tenantId, now: boundValue(now) });
  if (!row) throw new Error(`finding ${findingId} vanished after access was resolved`);
  return row;
}

/** Exceptions by id, with their people, in one statement (a page of the workspace approval queue). */
export function listExceptionRowsByIds(db: Db, exceptionIds: number[]) {
  return selectExceptions(db).where(inArray(e.id, exceptionIds));
}

export async function getExceptionRow(db: Db, exceptionId: number) {
  const [row] = await selectExceptions(db).where(eq(e.id, exceptionId));
  if (!row) throw new Error(`exception ${exceptionId} vanished`);
  return row;
}
