import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { request } from '../../app/http.ts';

export const RUN_STATUSES = ['queued', 'running', 'completed'] as const;
export const RUN_OUTCOMES = ['succeeded', 'partially_succeeded', 'failed'] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export interface WorkspaceRef {
  id: number;
  slug: string;
  name: string;
}

export interface TenantRef {
  id: number;
  external_id: string;
  name: string;
}

export interface Run {
  id: number;
  type: string;
  status: RunStatus;
  outcome: RunOutcome | null;
  summary: string | null;
  started_at: string | null;
  completed_at: string | null;
  workspace: WorkspaceRef;
  tenant: TenantRef | null;
}

export interface RunDetail extends Run {
  capabilities: string[];
}

export interface RunPage {
  items: Run[];
  next_cursor: string | null;
}

export interface RunFilters {
  status?: RunStatus;
  outcome?: RunOutcome;
}

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
      request<RunDetail>(`/admin/operations/${encodeURIComponent(run ?? '')}`, { signal }),
    enabled: run !== undefined,
  });
}

export function parseStatus(value: string | null): RunStatus | undefined {
  return RUN_STATUSES.find((status) => status === value);
}

export function parseOutcome(value: string | null): RunOutcome | undefined {
  return RUN_OUTCOMES.find((outcome) => outcome === value);
}
