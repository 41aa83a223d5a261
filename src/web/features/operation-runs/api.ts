import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type {
  RunDetailView,
  RunListQuery,
  RunPage,
} from '../../../server/features/operation-runs/schemas.ts';
import { request } from '../../app/http.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type {
  RunDetailView,
  RunOutcome,
  RunStatus,
  RunView,
} from '../../../server/features/operation-runs/schemas.ts';

export type RunFilters = Pick<RunListQuery, 'status' | 'outcome'>;

export const RUNS_PAGE_SIZE = 25;

export const runKeys = {
  list: (tenant: string, filters: RunFilters) => ['operation-runs', tenant, filters] as const,
  detail: (run: string) => ['operation-run', run] as const,
};

export function useRuns(tenant: string, filters: RunFilters) {
  return useInfiniteQuery({
    queryKey: runKeys.list(tenant, filters),
    queryFn: ({ pageParam, signal }) =>
      request<RunPage>(`/admin/t/${encodeURIComponent(tenant)}/operations`, {
        query: { ...filters, limit: RUNS_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useRun(run: string | undefined) {
  return useQuery({
    queryKey: runKeys.detail(run ?? ''),
    queryFn: ({ signal }) =>
      request<RunDetailView>(`/admin/operations/${encodeURIComponent(run ?? '')}`, { signal }),
    enabled: run !== undefined,
  });
}
