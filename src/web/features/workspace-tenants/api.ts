import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ArchivedFilter,
  TenantCreate,
  TenantUpdate,
  WorkspaceTenant,
  WorkspaceTenantListQuery,
  WorkspaceTenantPage,
} from '../../../server/features/workspace-tenants/schemas.ts';
import { request } from '../../app/http.ts';
import { administrationKeys } from '../administration/api.ts';
import { tenancyKeys } from '../tenancy/api.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type {
  ArchivedFilter,
  TenantCreate,
  TenantUpdate,
  WorkspaceTenant,
} from '../../../server/features/workspace-tenants/schemas.ts';

export type TenantFilters = Pick<WorkspaceTenantListQuery, 'q' | 'archived'>;

export const TENANTS_PAGE_SIZE = 50;
/** Pickers read the whole list, a page of 200 at a time, up to this many pages. */
const PICKER_MAX_PAGES = 10;

const tenantsPath = (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}/tenants`;

export const workspaceTenantKeys = {
  all: (workspace: string) => ['workspace-tenants', workspace] as const,
  list: (workspace: string, filters: TenantFilters) =>
    ['workspace-tenants', workspace, 'list', filters] as const,
  every: (workspace: string, archived: ArchivedFilter) =>
    ['workspace-tenants', workspace, 'every', archived] as const,
};

export function useWorkspaceTenants(workspace: string, filters: TenantFilters) {
  return useInfiniteQuery({
    queryKey: workspaceTenantKeys.list(workspace, filters),
    queryFn: ({ pageParam, signal }) =>
      request<WorkspaceTenantPage>(tenantsPath(workspace), {
        query: { ...filters, limit: TENANTS_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

/** Every tenant of the workspace, for pickers (tenant roles, audit filter): a workspace has hundreds, not more. */
export function useEveryWorkspaceTenant(workspace: string, archived: ArchivedFilter = 'false') {
  return useQuery({
    queryKey: workspaceTenantKeys.every(workspace, archived),
    queryFn: async ({ signal }) => {
      const tenants: WorkspaceTenant[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < PICKER_MAX_PAGES; page += 1) {
        const answer: WorkspaceTenantPage = await request<WorkspaceTenantPage>(tenantsPath(workspace), {
          query: { archived, limit: 200, cursor },
          signal,
        });
        tenants.push(...answer.items);
        cursor = answer.next_cursor;
        if (!cursor) break;
      }
      return tenants;
    },
  });
}

/** A tenant change shows in the lists, the overview's counts and the session (switcher, own roles). */
function useInvalidateTenants(workspace: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: workspaceTenantKeys.all(workspace) }),
      queryClient.invalidateQueries({ queryKey: administrationKeys.overview(workspace) }),
      queryClient.invalidateQueries({ queryKey: tenancyKeys.session }),
    ]);
}

export function useCreateTenant(workspace: string) {
  const invalidate = useInvalidateTenants(workspace);
  return useMutation({
    mutationFn: (input: TenantCreate) =>
      request<WorkspaceTenant>(tenantsPath(workspace), { method: 'POST', body: input }),
    onSettled: invalidate,
  });
}

export function useUpdateTenant(workspace: string) {
  const invalidate = useInvalidateTenants(workspace);
  return useMutation({
    mutationFn: ({ tenant, change }: { tenant: string; change: TenantUpdate }) =>
      request<WorkspaceTenant>(`${tenantsPath(workspace)}/${encodeURIComponent(tenant)}`, {
        method: 'PATCH',
        body: change,
      }),
    onSettled: invalidate,
  });
}
