import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../app/http.ts';

export const SEVERITIES = ['low', 'normal', 'high', 'blocking'] as const;
export const HANDOFF_MODES = ['internal_only', 'create_external_ticket', 'link_existing_ticket'] as const;

export type Severity = (typeof SEVERITIES)[number];
export type HandoffMode = (typeof HANDOFF_MODES)[number];
export type HandoffOutcome =
  | 'internal_only'
  | 'external_ticket_created'
  | 'external_ticket_linked'
  | 'external_handoff_failed';
export type ContextType = 'tenant' | 'operation_run';

export interface SupportRequest {
  support_request_id: number;
  internal_reference: string;
  severity: Severity;
  summary: string;
  reproduction_notes: string | null;
  contact_name: string | null;
  contact_email: string | null;
  handoff_mode: HandoffMode;
  /** null while the desk handoff is still in flight. */
  handoff_outcome: HandoffOutcome | null;
  external_ticket_reference: string | null;
  external_ticket_url: string | null;
  failure_summary: string | null;
  primary_context_type: ContextType;
  primary_context_id: number | null;
  submitted_at: string;
  submitted_by: { id: number; display_name: string };
  operation_run?: { id: number; type: string; status: string; outcome: string | null } | null;
}

export interface SupportRequestPage {
  items: SupportRequest[];
  next_cursor: string | null;
}

export interface LatestSummary {
  support_request_id: number;
  internal_reference: string;
  primary_context_type: ContextType;
  primary_context_id: number | null;
  submitted_at: string;
  handoff_mode: HandoffMode;
  handoff_outcome: HandoffOutcome | null;
  external_ticket_reference: string | null;
  external_ticket_url: string | null;
  external_handoff_failure_summary: string | null;
  has_external_link: boolean;
  has_failure: boolean;
  summary?: string;
  severity?: Severity;
}

export interface SupportDesk {
  target_available: boolean;
  provider: string | null;
  display_name: string | null;
}

export interface SupportRequestSubmission {
  severity: Severity;
  summary: string;
  reproduction_notes?: string;
  contact_name?: string;
  contact_email?: string;
  handoff_mode: HandoffMode;
  external_ticket_reference?: string;
  external_ticket_url?: string;
}

export interface HandoffResult {
  support_request_id: number;
  internal_reference: string;
  primary_context_type: ContextType;
  primary_context_id: number | null;
  handoff_mode: HandoffMode;
  handoff_outcome: HandoffOutcome;
  external_ticket_reference: string | null;
  external_ticket_url: string | null;
  failure_summary: string | null;
  latest_summary: LatestSummary;
}

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
    queryFn: ({ signal }) => request<SupportDesk>('/admin/support-desk', { signal }),
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
      request<SupportRequest>(`${tenantBase(tenant)}/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useLatestSupportRequest(context: SupportContext) {
  return useQuery({
    queryKey: supportRequestKeys.latest(context),
    queryFn: ({ signal }) => request<LatestSummary | null>(`${contextBase(context)}/latest`, { signal }),
  });
}

export function useSubmitSupportRequest(context: SupportContext) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (submission: SupportRequestSubmission) =>
      request<HandoffResult>(`${contextBase(context)}/actions/submit`, { method: 'POST', body: submission }),
    // Not awaited: the result shows at once while the card and the list refresh behind it.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: supportRequestKeys.tenant(context.tenant) });
    },
  });
}
