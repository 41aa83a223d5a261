import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditPage, AuditQuery } from '../../../server/features/audit/schemas.ts';
import { request } from '../../app/http.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type { AuditEventView } from '../../../server/features/audit/schemas.ts';

/** The filters as the API names them; `from`/`to` are instants (`to` exclusive). */
export type AuditFilters = Pick<AuditQuery, 'actor' | 'action' | 'subject_type' | 'tenant' | 'from' | 'to'>;

export const AUDIT_PAGE_SIZE = 50;

const auditPath = (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}/audit`;

export const auditKeys = {
  list: (workspace: string, filters: AuditFilters) => ['audit', workspace, filters] as const,
};

export function useAuditEvents(workspace: string, filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(workspace, filters),
    queryFn: ({ pageParam, signal }) =>
      request<AuditPage>(auditPath(workspace), {
        query: { ...filters, limit: AUDIT_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

/**
 * The CSV export of the same filters: a plain link, so the browser streams the download itself
 * (the server writes it batch by batch, never holding the whole log).
 */
export function auditCsvHref(workspace: string, filters: AuditFilters): string {
  const query = new URLSearchParams({ format: 'csv' });
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  return `${auditPath(workspace)}?${query}`;
}
