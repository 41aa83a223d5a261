import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  LatestSummaryOrNull,
  LinkTicketBody,
  SupportDeskView,
  SupportRequestDetail,
  SupportRequestHandoffResult,
  SupportRequestHandoffSubmission,
  SupportRequestListQuery,
  SupportRequestPage,
} from '../../../server/features/support-requests/schemas.ts';
import { request } from '../../app/http.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type {
  AttemptKind,
  AttemptOutcome,
  ContextType,
  HandoffMode,
  HandoffOutcome,
  LatestSupportRequestHandoffSummary,
  LinkTicketBody,
  Severity,
  SupportDeskView,
  SupportRequestAttempt,
  SupportRequestDetail,
  SupportRequestHandoffResult,
  SupportRequestHandoffSubmission,
  SupportRequestView,
} from '../../../server/features/support-requests/schemas.ts';

/** The list's filters (docs/rules.md "Support requests"): outcome, context or one run, severity. */
export type SupportRequestFilters = Pick<SupportRequestListQuery, 'outcome' | 'context' | 'run' | 'severity'>;

/** Where a request is filed from: the tenant itself, or one of its runs. */
export type SupportContext =
  | { type: 'tenant'; tenant: string }
  | { type: 'operation_run'; tenant: string; run: number };

export const SUPPORT_REQUESTS_PAGE_SIZE = 25;

export const supportRequestKeys = {
  /** Everything of one tenant: a submit from either context refreshes all of it. */
  tenant: (tenant: string) => ['support-requests', tenant] as const,
  list: (tenant: string, filters: SupportRequestFilters = {}) =>
    ['support-requests', tenant, 'list', filters] as const,
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

export function useSupportRequests(tenant: string, filters: SupportRequestFilters = {}) {
  return useInfiniteQuery({
    queryKey: supportRequestKeys.list(tenant, filters),
    queryFn: ({ pageParam, signal }) =>
      request<SupportRequestPage>(tenantBase(tenant), {
        query: { ...filters, limit: SUPPORT_REQUESTS_PAGE_SIZE, cursor: pageParam },
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
      request<SupportRequestDetail>(`${tenantBase(tenant)}/${encodeURIComponent(id)}`, { signal }),
  });
}

/**
 * A follow-through action on one request (docs/rules.md "Support requests"): its answer is the request as it now
 * is, put straight into the detail; the lists and latest cards refresh behind it. A refusal (409: someone
 * else acted first) refetches the detail, so the page shows the truth.
 */
function useFollowThrough<Body>(tenant: string, id: string, action: 'link' | 'hand-off-again') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body) =>
      request<SupportRequestDetail>(`${tenantBase(tenant)}/${encodeURIComponent(id)}/actions/${action}`, {
        method: 'POST',
        ...(body === undefined ? {} : { body }),
      }),
    onSuccess: (detail) => {
      queryClient.setQueryData(supportRequestKeys.detail(tenant, id), detail);
      void queryClient.invalidateQueries({ queryKey: supportRequestKeys.tenant(tenant) });
    },
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: supportRequestKeys.detail(tenant, id) });
    },
  });
}

export const useLinkTicket = (tenant: string, id: string) =>
  useFollowThrough<LinkTicketBody>(tenant, id, 'link');
export const useHandOffAgain = (tenant: string, id: string) =>
  useFollowThrough<undefined>(tenant, id, 'hand-off-again');

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
