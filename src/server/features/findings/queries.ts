import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { newestFirst } from '../../db/order.ts';
import { auditEvents } from '../audit/tables.ts';
import { users } from '../tenancy/tables.ts';
import { iso } from './item-queries.ts';
import { listGapOwnerIds } from './list-queries.ts';
import { openCondition } from './open.ts';
import { findingExceptions, findings } from './tables.ts';

/**
 * Counts of a tenant's open findings per responsibility state (docs/rules.md "Finding responsibility"), in one
 * pass: resolved, closed and risk-accepted findings are not counted (docs/rules.md "Finding lifecycle").
 */
export async function countFindingsByResponsibility(db: Db, tenantId: number) {
  const f = findings;
  const gapOwnerIds = await listGapOwnerIds(db, tenantId);
  const [row] = await db
    .select({
      orphaned_accountability: sql<number>`count(*) filter (where ${f.ownerUserId} is null)`.mapWith(Number),
      owned_unassigned:
        sql<number>`count(*) filter (where ${f.ownerUserId} is not null and ${f.assigneeUserId} is null)`.mapWith(
          Number,
        ),
      assigned:
        sql<number>`count(*) filter (where ${f.ownerUserId} is not null and ${f.assigneeUserId} is not null)`.mapWith(
          Number,
        ),
      // Owners who are not active members, found once (listGapOwnerIds), not probed for every finding.
      accountability_gap: sql<number>`count(*) filter (where ${f.ownerUserId} is null${
        gapOwnerIds.length > 0 ? sql` or ${inArray(f.ownerUserId, gapOwnerIds)}` : sql``
      })`.mapWith(Number),
      total: sql<number>`count(*)`.mapWith(Number),
    })
    .from(f)
    .where(and(eq(f.tenantId, tenantId), openCondition(new Date())));
  return (
    row ?? { orphaned_accountability: 0, owned_unassigned: 0, assigned: 0, accountability_gap: 0, total: 0 }
  );
}

/** Whether the finding exists in this tenant: a finding of another tenant is as absent as a missing one. */
export async function findingIsInTenant(db: Db, tenantId: number, findingId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: findings.id })
    .from(findings)
    .where(and(eq(findings.id, findingId), eq(findings.tenantId, tenantId)))
    .limit(1);
  return row !== undefined;
}

/** The finding's audit events, newest first (audit_events_subject_idx), keyset on id. */
export function listFindingHistoryRows(db: Db, findingId: number, beforeId: number | null, limit: number) {
  return db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      actor_id: users.id,
      actor_name: users.displayName,
      before: auditEvents.before,
      after: auditEvents.after,
      at: iso(auditEvents.createdAt),
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(
      and(
        eq(auditEvents.subjectType, 'finding'),
        eq(auditEvents.subjectId, String(findingId)),
        beforeId === null ? undefined : lt(auditEvents.id, beforeId),
      ),
    )
    .orderBy(newestFirst(auditEvents.id))
    .limit(limit);
}

/** Whether the exception belongs to this finding: one of another finding is as absent as a missing one. */
export async function exceptionIsOfFinding(db: Db, findingId: number, exceptionId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: findingExceptions.id })
    .from(findingExceptions)
    .where(and(eq(findingExceptions.id, exceptionId), eq(findingExceptions.findingId, findingId)))
    .limit(1);
  return row !== undefined;
}

/**
 * Everyone who owns (or is assigned) a finding of the tenant, whatever the finding's status and whether or not
 * they are still an active member: the list's owner and assignee filters offer them by name. A loose index scan
 * (findings_tenant_owner_idx / findings_tenant_assignee_idx): one probe per distinct person.
 */
export async function listFindingPeople(db: Db, tenantId: number, role: 'owner' | 'assignee') {
  const column = sql.raw(role === 'owner' ? 'owner_user_id' : 'assignee_user_id');
  const rows = await queryRows<{ id: number; display_name: string; active_member: boolean }>(
    db,
    sql`with recursive people(id) as (
        (select ${column} from findings where tenant_id = ${tenantId} and ${column} is not null
          order by ${column} limit 1)
        union all
        select (select f.${column} from findings f where f.tenant_id = ${tenantId} and f.${column} > people.id
          order by f.${column} limit 1)
        from people where people.id is not null
      )
      select u.id, u.display_name, exists (
        select 1 from tenant_memberships m where m.tenant_id = ${tenantId} and m.user_id = u.id and u.active
      ) as active_member
      from people join users u on u.id = people.id
      order by lower(u.display_name), u.id`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    display_name: row.display_name,
    active_member: row.active_member === true || String(row.active_member) === 'true',
  }));
}

/** Display names of any users, members or not, active or not: the history names everyone it mentions. */
export async function listUserNames(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, display_name: users.displayName })
    .from(users)
    .where(inArray(users.id, [...ids]));
}
