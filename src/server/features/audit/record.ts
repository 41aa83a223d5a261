import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditEvents } from './tables.ts';

export interface AuditEvent {
  /** Null for administration from the command line, which has no signed-in actor. */
  actorUserId: number | null;
  workspaceId?: number | null;
  tenantId?: number | null;
  /** `<subject>.<verb in the past>`, e.g. `support_request.submitted`, `finding.responsibility_changed`. */
  action: string;
  subjectType: string;
  subjectId: number | string;
  before?: unknown;
  after?: unknown;
  /** The client's address; null for the command line. */
  clientAddress?: string | null;
}

/** Who acted, where, and from which address: the part of an audit event every scoped change shares. */
export function actedIn(scope: {
  actor: { userId: number };
  clientAddress: string;
  workspace: { id: number };
  tenant?: { id: number } | null;
}) {
  return {
    actorUserId: scope.actor.userId,
    workspaceId: scope.workspace.id,
    tenantId: scope.tenant?.id ?? null,
    clientAddress: scope.clientAddress,
  };
}

/** The row an event is stored as, for a statement that writes it beside its change (a CTE). */
export const auditRowOf = (event: AuditEvent) => ({
  actorUserId: event.actorUserId,
  workspaceId: event.workspaceId ?? null,
  tenantId: event.tenantId ?? null,
  action: event.action,
  subjectType: event.subjectType,
  subjectId: String(event.subjectId),
  before: event.before ?? null,
  after: event.after ?? null,
  clientAddress: event.clientAddress ?? null,
});

/** The one audit writer. Call it with the transaction that makes the change, so both commit or neither. */
export async function recordAuditEvent(db: Db, event: AuditEvent): Promise<void> {
  await db.insert(auditEvents).values(auditRowOf(event));
}

/** Many events in one statement per thousand (a bulk change audits each finding it changed), same transaction rule. */
export async function recordAuditEvents(db: Db, events: readonly AuditEvent[]): Promise<void> {
  const CHUNK = 1000; // 11 columns a row: well under PostgreSQL's 65,535 bind parameters
  for (let start = 0; start < events.length; start += CHUNK) {
    await db.insert(auditEvents).values(events.slice(start, start + CHUNK).map(auditRowOf));
  }
}

/**
 * The event as a select list in the table's column order, for `insert … select … from <a CTE>`: the event
 * is written only when the change it records happened, in the change's own statement.
 */
export function auditSelectionOf(
  event: AuditEvent,
): Record<keyof typeof auditEvents.$inferSelect, SQL.Aliased> {
  const row = auditRowOf(event);
  const json = (value: unknown) => (value === null ? sql`null::jsonb` : sql`${JSON.stringify(value)}::jsonb`);
  return {
    id: sql`nextval(pg_get_serial_sequence('audit_events', 'id'))`.as('id'),
    workspaceId: sql`${row.workspaceId}::integer`.as('workspace_id'),
    tenantId: sql`${row.tenantId}::integer`.as('tenant_id'),
    actorUserId: sql`${row.actorUserId}::integer`.as('actor_user_id'),
    action: sql`${row.action}::text`.as('action'),
    subjectType: sql`${row.subjectType}::text`.as('subject_type'),
    subjectId: sql`${row.subjectId}::text`.as('subject_id'),
    before: json(row.before).as('before'),
    after: json(row.after).as('after'),
    clientAddress: sql`${row.clientAddress}::text`.as('client_address'),
    createdAt: sql`now()`.as('created_at'),
  };
}
