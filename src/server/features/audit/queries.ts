import { and, eq, gte, isNull, lt, type SQL, sql } from 'drizzle-orm';
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

/**
 * The ids of one page of a workspace's audit log, newest first: events of the workspace (walking
 * audit_events_workspace_idx, or its actor / action variant, from the cursor down), plus account events
 * (workspace_id null: sign-ins, password and own-token changes) of each of its members, each member's
 * walk on audit_events_workspace_actor_idx (workspace_id IS NULL, actor, id) and cut at `limit` too. So a
 * page reads at most (members + 1) × limit index entries, however long the log is.
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
  const m = workspaceMemberships;
  const ofMember = db
    .select({ id: e.id })
    .from(e)
    .where(and(isNull(e.workspaceId), eq(e.actorUserId, m.userId), ...eventConditions(filter, beforeId)))
    .orderBy(newestFirst(e.id))
    .limit(limit)
    .as('account');
  const ofMembers = db
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
  return unionAll(ofWorkspace, ofMembers);
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
