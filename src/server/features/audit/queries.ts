import { type AnyColumn, and, eq, gte, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { newestFirst } from '../../db/order.ts';
import { iso } from '../findings/item-queries.ts';
import { tenants, users, workspaceMemberships } from '../tenancy/tables.ts';
import { auditEvents } from './tables.ts';

/** What a page of the audit log is narrowed to; every field already checked by the route's schema. */
export interface AuditFilter {
  actorUserId?: number | undefined;
  /** An exact action, or (ending in `.`) a prefix of whole words. */
  action?: string | undefined;
  subjectType?: string | undefined;
  /** The tenant's id, already found inside the workspace. */
  tenantId?: number | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

const e = auditEvents;

/** The filter's conditions on audit_events (the scope's own condition comes from the caller). */
function eventConditions(filter: AuditFilter, beforeId: number | null): (SQL | undefined)[] {
  const prefix = filter.action?.endsWith('.') ? filter.action : undefined;
  return [
    beforeId === null ? undefined : lt(e.id, beforeId),
    filter.actorUserId === undefined ? undefined : eq(e.actorUserId, filter.actorUserId),
    filter.action === undefined
      ? undefined
      : prefix
        ? // starts_with, not LIKE (whose `_` is a wildcard) nor a range (collation-dependent).
          sql`starts_with(${e.action}, ${prefix})`
        : eq(e.action, filter.action),
    filter.subjectType === undefined ? undefined : eq(e.subjectType, filter.subjectType),
    filter.tenantId === undefined ? undefined : eq(e.tenantId, filter.tenantId),
    filter.from === undefined ? undefined : gte(e.createdAt, filter.from),
    filter.to === undefined ? undefined : lt(e.createdAt, filter.to),
  ];
}

/** Ascending, as the index's leading columns are built (DESC NULLS LAST is only the id's). */
const indexOrder = (column: AnyColumn) => sql`${column} asc nulls last`;

/**
 * Account events (workspace_id null) of the workspace's members, newest first, `limit` at most. PostgreSQL
 * does not treat `workspace_id IS NULL` as fixing an index's first column, so a plain `id DESC` made it
 * read all of a member's account events and sort them; each walk below names its index's own order.
 * - An exact action (and no actor): one walk of audit_events_workspace_action_idx at (NULL, action),
 *   keeping members' events; an action no account event has costs nothing.
 * - Otherwise, per member (LATERAL), a walk of audit_events_workspace_actor_idx at (NULL, member), cut at
 *   `limit`: at most members × limit entries, however long their histories.
 */
function accountEventIds(
  db: Db,
  workspaceId: number,
  filter: AuditFilter,
  beforeId: number | null,
  limit: number,
) {
  const m = workspaceMemberships;
  const conditions = eventConditions(filter, beforeId);
  const exactAction = filter.action !== undefined && !filter.action.endsWith('.');
  if (exactAction && filter.actorUserId === undefined) {
    const members = db.select({ userId: m.userId }).from(m).where(eq(m.workspaceId, workspaceId));
    return db
      .select({ id: e.id })
      .from(e)
      .$dynamic()
      .where(and(isNull(e.workspaceId), inArray(e.actorUserId, members), ...conditions))
      .orderBy(indexOrder(e.workspaceId), indexOrder(e.action), newestFirst(e.id))
      .limit(limit);
  }
  const ofMember = db
    .select({ id: e.id })
    .from(e)
    .where(and(isNull(e.workspaceId), eq(e.actorUserId, m.userId), ...conditions))
    .orderBy(indexOrder(e.workspaceId), indexOrder(e.actorUserId), newestFirst(e.id))
    .limit(limit)
    .as('account');
  return db
    .select({ id: ofMember.id })
    .from(m)
    .$dynamic()
    .crossJoinLateral(ofMember)
    .where(
      and(
        eq(m.workspaceId, workspaceId),
        filter.actorUserId === undefined ? undefined : eq(m.userId, filter.actorUserId),
      ),
    );
}

/**
 * The ids of one page of a workspace's audit log, newest first: the workspace's own events (a walk of
 * audit_events_workspace_idx, or its actor or action variant, or the tenant index, from the cursor down,
 * `limit` rows) and its members' account events (accountEventIds). No page reads a whole table.
 */
function pageIds(db: Db, workspaceId: number, filter: AuditFilter, beforeId: number | null, limit: number) {
  const ofWorkspace = db
    .select({ id: e.id })
    .from(e)
    .$dynamic() // a page of its own inside the union: drizzle's static types allow no limit there
    .where(and(eq(e.workspaceId, workspaceId), ...eventConditions(filter, beforeId)))
    .orderBy(newestFirst(e.id))
    .limit(limit);
  if (filter.tenantId !== undefined) return ofWorkspace; // account events belong to no tenant
  return unionAll(ofWorkspace, accountEventIds(db, workspaceId, filter, beforeId, limit));
}

/**
 * One page of a workspace's audit log (`limit` rows), newest first, with the actor's name (whoever they
 * are now: a former member or an inactive user keeps their name) and the tenant's.
 */
export function listAuditRows(
  db: Db,
  workspaceId: number,
  filter: AuditFilter,
  beforeId: number | null,
  limit: number,
) {
  const ids = db.$with('page_ids').as(pageIds(db, workspaceId, filter, beforeId, limit));
  return db
    .with(ids)
    .select({
      id: e.id,
      at: iso(e.createdAt),
      action: e.action,
      actorId: users.id,
      actorName: users.displayName,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      tenantExternalId: tenants.externalId,
      tenantName: tenants.name,
      before: e.before,
      after: e.after,
      clientAddress: e.clientAddress,
    })
    .from(ids)
    .innerJoin(e, eq(e.id, ids.id))
    .leftJoin(users, eq(users.id, e.actorUserId))
    .leftJoin(tenants, eq(tenants.id, e.tenantId))
    .orderBy(newestFirst(e.id))
    .limit(limit);
}
export type AuditRow = Awaited<ReturnType<typeof listAuditRows>>[number];

/** The id of a tenant of this workspace by its external id, or undefined. */
export async function findWorkspaceTenantId(
  db: Db,
  workspaceId: number,
  externalId: string,
): Promise<number | undefined> {
  const [row] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.workspaceId, workspaceId), eq(tenants.externalId, externalId)))
    .limit(1);
  return row?.id;
}
