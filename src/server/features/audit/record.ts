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
 * An event as one record of a JSON recordset (`jsonb_to_recordset(…) as <alias>(AUDIT_RECORD_COLUMNS)`), for
 * a statement that writes many changes, each with its own event: auditSelectionFromRecord reads it back.
 */
export function auditRecordOf(event: AuditEvent) {
  const row = auditRowOf(event);
  return {
    audit_workspace_id: row.workspaceId,
    audit_tenant_id: row.tenantId,
    audit_actor_user_id: row.actorUserId,
    audit_action: row.action,
    audit_subject_type: row.subjectType,
    audit_subject_id: row.subjectId,
    audit_before: row.before,
    audit_after: row.after,
    audit_client_address: row.clientAddress,
  };
}

/** The column list of auditRecordOf's records, as a recordset's definition needs it. */
export const AUDIT_RECORD_COLUMNS = sql.raw(
  'audit_workspace_id integer, audit_tenant_id integer, audit_actor_user_id integer, audit_action text, ' +
    'audit_subject_type text, audit_subject_id text, audit_before jsonb, audit_after jsonb, audit_client_address text',
);

/**
 * The events passed as auditRecordOf's records, read from the recordset named `alias`, as a select list in
 * the table's column order, for `insert … select`: each event is written only when the change it records
 * happened, in the change's own statement.
 */
export function auditSelectionFromRecord(
  alias: string,
): Record<keyof typeof auditEvents.$inferSelect, SQL.Aliased> {
  const field = (name: string) => sql`${sql.identifier(alias)}.${sql.identifier(name)}`;
  return {
    id: sql`nextval(pg_get_serial_sequence('audit_events', 'id'))`.as('id'),
    workspaceId: field('audit_workspace_id').as('workspace_id'),
    tenantId: field('audit_tenant_id').as('tenant_id'),
    actorUserId: field('audit_actor_user_id').as('actor_user_id'),
    action: field('audit_action').as('action'),
    subjectType: field('audit_subject_type').as('subject_type'),
    subjectId: field('audit_subject_id').as('subject_id'),
    before: field('audit_before').as('before'),
    after: field('audit_after').as('after'),
    clientAddress: field('audit_client_address').as('client_address'),
    createdAt: sql`now()`.as('created_at'),
  };
}
