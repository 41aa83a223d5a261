import { invalidFields } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, type Page, toPage } from '../../core/pagination.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import { csvRow, jsonCell } from './csv.ts';
import { type AuditFilter, type AuditRow, findWorkspaceTenantId, listAuditRows } from './queries.ts';
import type { AuditEventView, AuditQuery } from './schemas.ts';

/** Rows fetched per statement while exporting: memory holds one batch, whatever the log's length. */
export const EXPORT_BATCH_SIZE = 500;

function toView(row: AuditRow): AuditEventView {
  return {
    id: Number(row.id),
    at: row.at,
    action: row.action,
    actor:
      row.actorId === null || row.actorName === null
        ? null
        : { id: row.actorId, display_name: row.actorName },
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    tenant:
      row.tenantExternalId === null || row.tenantName === null
        ? null
        : { external_id: row.tenantExternalId, name: row.tenantName },
    before: row.before,
    after: row.after,
    client_address: row.clientAddress,
  };
}

/**
 * The query's filters in the database's terms, or null when they can match nothing (a tenant that is not
 * one of this workspace's: an empty log, as for an actor who never acted).
 */
async function filterOf(scope: WorkspaceScope, query: AuditQuery): Promise<AuditFilter | null> {
  const from = query.from === undefined ? undefined : new Date(query.from);
  const to = query.to === undefined ? undefined : new Date(query.to);
  if (from && to && from >= to) throw invalidFields({ to: 'must be after from' });
  let tenantId: number | undefined;
  if (query.tenant !== undefined) {
    tenantId = await findWorkspaceTenantId(scope.db, scope.workspace.id, query.tenant);
    if (tenantId === undefined) return null;
  }
  return {
    actorUserId: query.actor,
    action: query.action,
    subjectType: query.subject_type,
    tenantId,
    from,
    to,
  };
}

/** docs/rules.md "Administration": the workspace's audit log, newest first, one keyset page. */
export async function listAuditEvents(
  scope: WorkspaceScope,
  query: AuditQuery,
): Promise<Page<AuditEventView>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { id: 'number' });
  const filter = await filterOf(scope, query);
  if (!filter) return { items: [], next_cursor: null };
  const rows = await listAuditRows(scope.db, scope.workspace.id, filter, after?.id ?? null, limit + 1);
  const page = toPage(rows, limit, (last) => encodeCursor({ id: Number(last.id) }));
  return { items: page.items.map(toView), next_cursor: page.next_cursor };
}

export const AUDIT_CSV_HEADER = [
  'id',
  'at',
  'action',
  'actor_id',
  'actor_name',
  'subject_type',
  'subject_id',
  'tenant',
  'tenant_name',
  'client_address',
  'before',
  'after',
] as const;

function csvLine(view: AuditEventView): string {
  return csvRow([
    view.id,
    view.at,
    view.action,
    view.actor?.id ?? null,
    view.actor?.display_name ?? null,
    view.subject_type,
    view.subject_id,
    view.tenant?.external_id ?? null,
    view.tenant?.name ?? null,
    view.client_address,
    jsonCell(view.before),
    jsonCell(view.after),
  ]);
}

/** `tenantpilot-audit-<slug>-<date>.csv`, the slug reduced to characters every file system takes. */
export function auditExportFileName(scope: WorkspaceScope, now = new Date()): string {
  const slug = scope.workspace.slug.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `tenantpilot-audit-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * Every event the filters match, as CSV lines, fetched batch by batch on the keyset and yielded as they
 * come: a consumer that reads slowly holds the next batch back, and memory never holds the whole log.
 * The filters are judged before the first line, so a bad one is still a 422. `limit` and `cursor` do not
 * apply: an export is the whole filtered log.
 */
export async function exportAuditCsv(
  scope: WorkspaceScope,
  query: AuditQuery,
  batchSize = EXPORT_BATCH_SIZE,
): Promise<AsyncGenerator<string>> {
  const filter = await filterOf(scope, query);
  async function* lines(): AsyncGenerator<string> {
    yield csvRow(AUDIT_CSV_HEADER);
    if (!filter) return;
    let beforeId: number | null = null;
    for (;;) {
      const rows = await listAuditRows(scope.db, scope.workspace.id, filter, beforeId, batchSize);
      if (rows.length > 0) yield rows.map((row) => csvLine(toView(row))).join('');
      const last = rows.at(-1);
      if (rows.length < batchSize || !last) return;
      beforeId = Number(last.id);
    }
  }
  return lines();
}
