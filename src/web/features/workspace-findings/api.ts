import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type {
  ApprovalQueuePage,
  ApprovalQueueQuery,
  OverviewSort,
  SearchResults,
  SortDirection,
  WorkspaceFindingListQuery,
  WorkspaceFindingPage,
  WorkspaceFindingsOverview,
} from '../../../server/features/workspace-findings/schemas.ts';
import { request } from '../../app/http.ts';

// The server's schema types: a change the UI does not follow fails tsc.
export type {
  ApprovalQueueItem,
  OverviewRow,
  OverviewSort,
  SearchResults,
  SortDirection,
  WorkspaceFindingItem,
  WorkspaceFindingsOverview,
} from '../../../server/features/workspace-findings/schemas.ts';

export type WorkspaceFindingFilters = Omit<WorkspaceFindingListQuery, 'limit' | 'cursor' | 'format'>;
export type QueueFilters = Omit<ApprovalQueueQuery, 'limit' | 'cursor'>;

const PAGE_SIZE = 25;
const base = (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}`;

export const workspaceFindingKeys = {
  all: ['workspace-findings'] as const,
  overview: (workspace: string, sort: OverviewSort, direction: SortDirection) =>
    ['workspace-findings', 'overview', workspace, sort, direction] as const,
  list: (workspace: string, filters: WorkspaceFindingFilters) =>
    ['workspace-findings', 'list', workspace, filters] as const,
  queue: (workspace: string, filters: QueueFilters) =>
    ['workspace-findings', 'queue', workspace, filters] as const,
  search: (workspace: string, q: string) => ['workspace-findings', 'search', workspace, q] as const,
};

export function useFindingsOverview(workspace: string, sort: OverviewSort, direction: SortDirection) {
  return useQuery({
    queryKey: workspaceFindingKeys.overview(workspace, sort, direction),
    queryFn: ({ signal }) =>
      request<WorkspaceFindingsOverview>(`${base(workspace)}/overview`, {
        query: { sort, direction },
        signal,
      }),
    // A new order keeps the table on screen until the sorted one arrives.
    placeholderData: keepPreviousData,
  });
}

export function useWorkspaceFindings(workspace: string, filters: WorkspaceFindingFilters) {
  return useInfiniteQuery({
    queryKey: workspaceFindingKeys.list(workspace, filters),
    queryFn: ({ pageParam, signal }) =>
      request<WorkspaceFindingPage>(`${base(workspace)}/findings`, {
        query: { ...filters, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useApprovalQueue(workspace: string, filters: QueueFilters) {
  return useInfiniteQuery({
    queryKey: workspaceFindingKeys.queue(workspace, filters),
    queryFn: ({ pageParam, signal }) =>
      request<ApprovalQueuePage>(`${base(workspace)}/exceptions`, {
        query: { ...filters, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useWorkspaceSearch(workspace: string, q: string) {
  return useQuery({
    queryKey: workspaceFindingKeys.search(workspace, q),
    queryFn: ({ signal }) => request<SearchResults>(`${base(workspace)}/search`, { query: { q }, signal }),
    enabled: q.trim() !== '',
  });
}

/** The CSV export of the workspace findings list with these filters (a download: the browser navigates to it). */
export function workspaceFindingsCsvUrl(workspace: string, filters: WorkspaceFindingFilters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, String(value));
  query.set('format', 'csv');
  return `${base(workspace)}/findings?${query}`;
}
