import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BulkChangeBody,
  BulkChangeResult,
  DecisionResult,
  ExceptionDecision,
  ExceptionRequestBody,
  ExceptionRequestResult,
  FindingCount,
  FindingDetailSurface,
  FindingListQuery,
  FindingListSurface,
  FindingPeople,
  HistoryPage,
  MyWorkPage,
  MyWorkRole,
  ResponsibilityResult,
  ResponsibilityUpdate,
  StatusChange,
  StatusChangeResult,
} from '../../../server/features/findings/schemas.ts';
import type { MemberPage } from '../../../server/features/tenancy/schemas.ts';

export type { MemberView as Member } from '../../../server/features/tenancy/schemas.ts';

import { request } from '../../app/http.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type {
  BulkChangeBody,
  BulkChangeResult,
  ChangeClassification,
  ExceptionDecision,
  ExceptionRequestResult,
  ExceptionStatus,
  ExceptionView,
  FindingDetailSurface,
  FindingItem,
  FindingPerson,
  FindingSort,
  HistoryEvent,
  MyWorkItem,
  MyWorkRole,
  ResponsibilityResult,
  ResponsibilityState,
  ResponsibilityUpdate,
  Severity,
  UserRef,
  WorkflowStatus,
  WorkflowStatusFilter,
} from '../../../server/features/findings/schemas.ts';

/** The list's filters as the API names them; `owner`/`assignee` are a user id, `me` or `none`. */
export type FindingFilters = Omit<FindingListQuery, 'limit' | 'cursor' | 'format'>;

export const FINDINGS_PAGE_SIZE = 25;

const tenantBase = (tenant: string) => `/admin/t/${encodeURIComponent(tenant)}`;
const findingBase = (tenant: string, finding: string | number) =>
  `${tenantBase(tenant)}/findings/${encodeURIComponent(String(finding))}`;

export const findingKeys = {
  all: ['findings'] as const,
  list: (tenant: string, filters: FindingFilters) => ['findings', 'list', tenant, filters] as const,
  detail: (tenant: string, finding: string) => ['findings', 'detail', tenant, finding] as const,
  history: (tenant: string, finding: string) => ['findings', 'history', tenant, finding] as const,
  myWork: (role: MyWorkRole | undefined) => ['findings', 'my-work', role ?? 'any'] as const,
  members: (tenant: string) => ['tenant-members', tenant] as const,
  people: (tenant: string) => ['findings', 'people', tenant] as const,
};

/** The list's CSV download: the same filters and sort, every matching finding (the server streams it). */
export function findingsCsvUrl(tenant: string, filters: FindingFilters): string {
  const params = new URLSearchParams({ format: 'csv' });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  return `${tenantBase(tenant)}/findings?${params}`;
}

/** How many findings the filters match (up to the 10,000 a bulk change takes): "select all N matching". */
export function useFindingCount(tenant: string, filters: FindingFilters, enabled: boolean) {
  return useQuery({
    queryKey: ['findings', 'count', tenant, filters] as const,
    queryFn: ({ signal }) =>
      request<FindingCount>(`${tenantBase(tenant)}/findings/count`, { query: { ...filters }, signal }),
    enabled,
  });
}

/** Everyone who owns or is assigned a finding of the tenant, former members too: the list's person filters. */
export function useFindingPeople(tenant: string) {
  return useQuery({
    queryKey: findingKeys.people(tenant),
    queryFn: ({ signal }) => request<FindingPeople>(`${tenantBase(tenant)}/findings/people`, { signal }),
  });
}

export function useFindings(tenant: string, filters: FindingFilters) {
  return useInfiniteQuery({
    queryKey: findingKeys.list(tenant, filters),
    queryFn: ({ pageParam, signal }) =>
      request<FindingListSurface>(`${tenantBase(tenant)}/findings`, {
        query: { ...filters, limit: FINDINGS_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useFinding(tenant: string, finding: string) {
  return useQuery({
    queryKey: findingKeys.detail(tenant, finding),
    queryFn: ({ signal }) => request<FindingDetailSurface>(findingBase(tenant, finding), { signal }),
  });
}

export function useFindingHistory(tenant: string, finding: string) {
  return useInfiniteQuery({
    queryKey: findingKeys.history(tenant, finding),
    queryFn: ({ pageParam, signal }) =>
      request<HistoryPage>(`${findingBase(tenant, finding)}/history`, {
        query: { limit: 20, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useMyWork(role: MyWorkRole | undefined) {
  return useInfiniteQuery({
    queryKey: findingKeys.myWork(role),
    queryFn: ({ pageParam, signal }) =>
      request<MyWorkPage>('/admin/my-work', {
        query: { role, limit: FINDINGS_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

/** Active members for the pickers: one page of 200 covers a tenant's staff; the picker searches it. */
export function useTenantMembers(tenant: string, enabled = true) {
  return useQuery({
    queryKey: findingKeys.members(tenant),
    queryFn: ({ signal }) =>
      request<MemberPage>(`${tenantBase(tenant)}/members`, { query: { limit: 200 }, signal }),
    enabled,
  });
}

/** Every finding read (lists, detail, history, my work) may change after a write: refetch them all. */
function useInvalidateFindings() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: findingKeys.all });
}

export function useUpdateResponsibility(tenant: string, finding: string) {
  const invalidate = useInvalidateFindings();
  return useMutation({
    mutationFn: (change: ResponsibilityUpdate) =>
      request<ResponsibilityResult>(`${findingBase(tenant, finding)}/responsibility`, {
        method: 'POST',
        body: change,
      }),
    onSuccess: invalidate,
  });
}

export function useRequestException(tenant: string, finding: string) {
  const invalidate = useInvalidateFindings();
  return useMutation({
    mutationFn: (input: ExceptionRequestBody) =>
      request<ExceptionRequestResult>(`${findingBase(tenant, finding)}/exception-request`, {
        method: 'POST',
        body: input,
      }),
    onSuccess: invalidate,
  });
}

export function useDecideException(tenant: string, finding: string) {
  const invalidate = useInvalidateFindings();
  return useMutation({
    mutationFn: ({
      exception,
      decision,
      note,
    }: {
      exception: number;
      decision: ExceptionDecision;
      note: string;
    }) =>
      request<DecisionResult>(`${findingBase(tenant, finding)}/exceptions/${exception}/actions/${decision}`, {
        method: 'POST',
        body: note.trim() === '' ? {} : { note },
      }),
    onSuccess: invalidate,
  });
}

export function useChangeStatus(tenant: string, finding: string) {
  const invalidate = useInvalidateFindings();
  return useMutation({
    mutationFn: (change: StatusChange) =>
      request<StatusChangeResult>(`${findingBase(tenant, finding)}/status`, { method: 'POST', body: change }),
    onSuccess: invalidate,
  });
}

export function useBulkChange(tenant: string) {
  const invalidate = useInvalidateFindings();
  return useMutation({
    mutationFn: (body: BulkChangeBody) =>
      request<BulkChangeResult>(`${tenantBase(tenant)}/findings/actions/bulk`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}
