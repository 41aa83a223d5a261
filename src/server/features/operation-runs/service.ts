import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { RunScope, TenantScope } from '../../core/scopes.ts';
import { getRunRow, listTenantRuns, type RunFilter, type RunRow } from './queries.ts';

export function toRunView(row: RunRow) {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    outcome: row.outcome,
    summary: row.summary,
    started_at: row.startedAt?.toISOString() ?? null,
    completed_at: row.completedAt?.toISOString() ?? null,
    workspace: { id: row.workspaceId, slug: row.workspaceSlug, name: row.workspaceName },
    tenant:
      row.tenantId === null || row.tenantExternalId === null || row.tenantName === null
        ? null
        : { id: row.tenantId, external_id: row.tenantExternalId, name: row.tenantName },
  };
}

export async function getRun(scope: RunScope) {
  return { ...toRunView(await getRunRow(scope.db, scope.runId)), capabilities: [...scope.capabilities] };
}

export async function listRuns(scope: TenantScope, query: RunFilter & { limit?: number; cursor?: string }) {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { id: 'number' });
  const rows = await listTenantRuns(scope.db, scope.tenant.id, query, after?.id ?? null, limit + 1);
  const page = toPage(rows, limit, (last) => encodeCursor({ id: last.id }));
  return { items: page.items.map(toRunView), next_cursor: page.next_cursor };
}

export async function listRecentRuns(scope: TenantScope, limit: number) {
  const rows = await listTenantRuns(scope.db, scope.tenant.id, {}, null, limit);
  return rows.map(toRunView);
}
