import type { WorkspaceScope } from '../../core/scopes.ts';
import { type FindingBatch, findingsCsvLines } from '../findings/csv-export.ts';
import { listExportRows } from '../findings/export-queries.ts';
import { orderOf, placedFindingsPage } from '../findings/list-queries.ts';
import type { WorkspaceFindingListQuery } from './schemas.ts';
import { resolveWorkspaceList } from './service.ts';

/**
 * docs/rules.md "Workspace views": the workspace findings list as CSV, through the tenant list's export
 * (findingsCsvLines: keyset batches, one at a time, formulas defused), with its own place and gap owners. The
 * query is judged before the first line, so a bad one is still a 422.
 */
export async function exportWorkspaceFindingsCsv(
  scope: WorkspaceScope,
  query: WorkspaceFindingListQuery,
): Promise<AsyncGenerator<string>> {
  const { filter, sort, place, gapOwners, now } = await resolveWorkspaceList(scope, query);
  const batch: FindingBatch = async (after, limit) =>
    place === null
      ? []
      : listExportRows(
          scope.db,
          placedFindingsPage({ place, gapOwners, filter, sort, after, limit, now }),
          orderOf(sort, 'p'),
          now,
        );
  return findingsCsvLines(batch, sort);
}
