import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../app/http.ts';

export const RESPONSIBILITY_STATES = ['orphaned_accountability', 'owned_unassigned', 'assigned'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const WORKFLOW_STATUSES = [
  'new',
  'triaged',
  'in_progress',
  'reopened',
  'resolved',
  'closed',
  'risk_accepted',
] as const;
export const SORTS = ['newest', 'oldest', 'severity', 'detected'] as const;
export const MY_WORK_ROLES = ['owner', 'assignee'] as const;

export type ResponsibilityState = (typeof RESPONSIBILITY_STATES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];
export type FindingSort = (typeof SORTS)[number];
export type MyWorkRole = (typeof MY_WORK_ROLES)[number];
export type ExceptionStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'revoked';
export type ChangeClassification =
  | 'owner_only'
  | 'assignee_only'
  | 'owner_and_assignee'
  | 'clear_owner'
  | 'clear_assignee';

export interface UserRef {
  id: number;
  display_name: string;
}

export interface ExceptionView {
  id: number;
  status: ExceptionStatus;
  owner: UserRef;
  requested_by: UserRef;
  request_reason: string;
  review_due_at: string;
  expires_at: string | null;
  requested_at: string;
  decided_by: UserRef | null;
  decided_at: string | null;
  review_overdue: boolean;
}

export interface FindingItem {
  finding_id: number;
  title: string;
  severity: Severity;
  workflow_status: WorkflowStatus;
  detected_at: string | null;
  owner: UserRef | null;
  assignee: UserRef | null;
  responsibility_state: ResponsibilityState;
  accountability_gap: boolean;
  exception_owner: UserRef | null;
  exception: ExceptionView | null;
}

export interface FindingDetail extends FindingItem {
  tenant: { external_id: string; name: string };
  exceptions: ExceptionView[];
  capabilities: string[];
}

export interface MyWorkItem extends FindingItem {
  tenant: { external_id: string; name: string };
  my_roles: MyWorkRole[];
}

export interface Page<Item> {
  items: Item[];
  next_cursor: string | null;
}

export interface HistoryEvent {
  id: number;
  action: string;
  actor: UserRef | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: string;
}

export interface Member {
  id: number;
  display_name: string;
  email: string;
  role: string;
}

/** The list's filters as the API names them; `owner`/`assignee` are a user id, `me` or `none`. */
export interface FindingFilters {
  responsibility_state?: ResponsibilityState;
  accountability_gap?: 'true' | 'false';
  owner?: string;
  assignee?: string;
  severity?: Severity;
  workflow_status?: WorkflowStatus;
  sort?: FindingSort;
}

export interface ResponsibilityChange {
  owner_user_id?: number | null;
  assignee_user_id?: number | null;
}

export interface ResponsibilityResult {
  change_classification: ChangeClassification;
  responsibility: FindingItem;
}

export interface ExceptionRequestInput {
  owner_user_id: number;
  request_reason: string;
  review_due_at: string;
  expires_at?: string | null;
}

export interface ExceptionRequestResult {
  finding_owner_preserved: true;
  exception_owner: UserRef;
  exception: ExceptionView;
  responsibility: FindingItem;
}

export type ExceptionDecision = 'approve' | 'reject' | 'revoke';

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
};

export function useFindings(tenant: string, filters: FindingFilters) {
  return useInfiniteQuery({
    queryKey: findingKeys.list(tenant, filters),
    queryFn: ({ pageParam, signal }) =>
      request<Page<FindingItem>>(`${tenantBase(tenant)}/findings`, {
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
    queryFn: ({ signal }) => request<FindingDetail>(findingBase(tenant, finding), { signal }),
  });
}

export function useFindingHistory(tenant: string, finding: string) {
  return useInfiniteQuery({
    queryKey: findingKeys.history(tenant, finding),
    queryFn: ({ pageParam, signal }) =>
      request<Page<HistoryEvent>>(`${findingBase(tenant, finding)}/history`, {
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
      request<Page<MyWorkItem>>('/admin/my-work', {
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
      request<Page<Member>>(`${tenantBase(tenant)}/members`, { query: { limit: 200 }, signal }),
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
    mutationFn: (change: ResponsibilityChange) =>
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
    mutationFn: (input: ExceptionRequestInput) =>
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
    mutationFn: ({ exception, decision }: { exception: number; decision: ExceptionDecision }) =>
      request<{ exception: ExceptionView; responsibility: FindingItem }>(
        `${findingBase(tenant, finding)}/exceptions/${exception}/actions/${decision}`,
        { method: 'POST', body: {} },
      ),
    onSuccess: invalidate,
  });
}
