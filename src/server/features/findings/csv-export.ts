import type { TenantScope } from '../../core/scopes.ts';
import { csvRow } from '../audit/csv.ts';
import { type ExportRow, listExportRows } from './export-queries.ts';
import { orderOf, type SortKey, tenantFindingsPage } from './list-queries.ts';
import { accountabilityGap, responsibilityState } from './rules.ts';
import type { FindingListFilters, FindingSort } from './schemas.ts';
import { resolveListQuery } from './service.ts';

/** Rows fetched per statement while streaming: large enough to amortise a round trip, small enough to hold. */
export const EXPORT_BATCH_SIZE = 2000;

export const FINDINGS_CSV_HEADER = [
  'finding_id',
  'tenant',
  'title',
  'severity',
  'workflow_status',
  'responsibility_state',
  'accountability_gap',
  'owner',
  'owner_id',
  'assignee',
  'assignee_id',
  'exception_owner',
  'exception_status',
  'detected_at',
] as const;

/**
 * The next batch after `after` (null: the first), in the sort's order: where to look is the caller's. The
 * workspace list passes `(after, limit) => listExportRows(db, placedFindingsPage({…, after, limit}), orderOf(sort, 'p'), now)`.
 */
export type FindingBatch = (after: SortKey | null, limit: number) => Promise<ExportRow[]>;

/** Where a row ends in the sort's own key: the keyset the next batch starts after. */
export function sortKeyOfRow(sort: FindingSort, row: ExportRow): SortKey {
  if (sort === 'severity') return { id: row.id, rank: row.severity_rank };
  return { id: row.id, detected: row.detected_key };
}

function csvLine(row: ExportRow): string {
  const responsibility = { ownerUserId: row.owner_id, assigneeUserId: row.assignee_id };
  return csvRow([
    row.id,
    row.tenant_external_id,
    row.title,
    row.severity,
    row.workflow_status,
    responsibilityState(responsibility),
    accountabilityGap(row.owner_id, row.owner_active_member) ? 'true' : 'false',
    row.owner_name,
    row.owner_id,
    row.assignee_name,
    row.assignee_id,
    row.exception_owner_name,
    row.exception_status,
    row.detected_at,
  ]);
}

/**
 * docs/rules.md "Finding lifecycle", export: a header row, then every finding `batch` yields, one keyset batch at a
 * time. A generator: the next batch is read only when the consumer has taken the last one, so a slow download
 * holds the database back and memory holds one batch, never the result. The workspace findings list streams
 * its own batches through this too.
 */
export async function* findingsCsvLines(
  batch: FindingBatch,
  sort: FindingSort,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<string> {
  yield csvRow(FINDINGS_CSV_HEADER);
  let after: SortKey | null = null;
  for (;;) {
    const rows = await batch(after, batchSize);
    if (rows.length > 0) yield rows.map(csvLine).join('');
    const last = rows.at(-1);
    if (rows.length < batchSize || !last) return;
    after = sortKeyOfRow(sort, last);
  }
}

/** The tenant list's filters and sort as CSV; the filters are judged before the first line (a bad one is still 422). */
export async function exportFindingsCsv(
  scope: TenantScope,
  query: FindingListFilters,
  batchSize = EXPORT_BATCH_SIZE,
): Promise<AsyncGenerator<string>> {
  const { filter, sort, now, gapOwnerIds } = await resolveListQuery(scope, query);
  const batch: FindingBatch = (after, limit) =>
    listExportRows(
      scope.db,
      tenantFindingsPage({ tenantId: scope.tenant.id, filter, sort, after, limit, now, gapOwnerIds }),
      orderOf(sort, 'p'),
      now,
    );
  return findingsCsvLines(batch, sort, batchSize);
}

/** `tenantpilot-findings-<label>-<date>.csv`, the label reduced to characters every file system takes. */
export function findingsExportFileName(label: string, now = new Date()): string {
  const slug = label.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `tenantpilot-findings-${slug}-${now.toISOString().slice(0, 10)}.csv`;
}
