import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  LatestSummaryOrNull,
  SupportDeskView,
  SupportRequestHandoffResult,
  SupportRequestHandoffSubmission,
  SupportRequestPage,
  SupportRequestView,
} from '../../../server/features/support-requests/schemas.ts';
import { request } from '../../app/http.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type {
  HandoffMode,
  HandoffOutcome,
  LatestSupportRequestHandoffSummary,
  Severity,
  SupportDeskView,
  SupportRequestHandoffResult,
  SupportRequestHandoffSubmission,
  SupportRequestView,
} from '../../../server/features/support-requests/schemas.ts';

/** Where a request is filed from: the tenant itself, or one of its runs. */
export type SupportContext =
  | { type: 'tenant'; tenant: string }
  | { type: 'operation_run'; tenant: string; run: number };

export const SUPPORT_REQUESTS_PAGE_SIZE = 25;

export const supportRequestKeys = {
  /** Everything of one tenant: a submit from either context refreshes all of it. */
  tenant: (tenant: string) => ['support-requests', tenant] as const,
  list: (tenant: string) => ['support-requests', tenant, 'list'] as const,
  detail: (tenant: string, id: string) => ['support-requests', tenant, 'detail', id] as const,
  latest: (context: SupportContext) =>
    context.type === 'tenant'
      ? (['support-requests', context.tenant, 'latest', 'tenant'] as const)
      : (['support-requests', context.tenant, 'latest', 'run', context.run] as const),
  desk: ['support-desk'] as const,
};

const tenantBase = (tenant: string) => `/admin/t/${encodeURIComponent(tenant)}/support-requests`;

function contextBase(context: SupportContext): string {
  return context.type === 'tenant'
    ? tenantBase(context.tenant)
    : `/admin/operations/${encodeURIComponent(String(context.run))}/support-requests`;
}

export function useSupportDesk() {
  return useQuery({
    queryKey: supportRequestKeys.desk,
    queryFn: ({ signal }) => request<SupportDeskView>('/admin/support-desk', { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useSupportRequests(tenant: string) {
  return useInfiniteQuery({
    queryKey: supportRequestKeys.list(tenant),
    queryFn: ({ pageParam, signal }) =>
      request<SupportRequestPage>(tenantBase(tenant), {
        query: { limit: SUPPORT_REQUESTS_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useSupportRequest(tenant: string, id: string) {
  return useQuery({
    queryKey: supportRequestKeys.detail(tenant, id),
    queryFn: ({ signal }) =>
      request<SupportRequestView>(`${tenantBase(tenant)}/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useLatestSupportRequest(context: SupportContext) {
  return useQuery({
    queryKey: supportRequestKeys.latest(context),
    queryFn: ({ signal }) => request<LatestSummaryOrNull>(`${contextBase(context)}/latest`, { signal }),
  });
}

export function useSubmitSupportRequest(context: SupportContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (submission: SupportRequestHandoffSubmission) =>
      request<SupportRequestHandoffResult>(`${contextBase(context)}/actions/submit`, {
        method: 'POST',
        body: submission,
      }),
    // Not awaited: the result shows at once while the card and the list refresh behind it.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: supportRequestKeys.tenant(context.tenant) });
    },
  });
}
