import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WorkspaceTokenPage, WorkspaceTokenQuery } from '../../../server/features/account/schemas.ts';
import type {
  DeskCheckResult,
  DeskSettingsView,
} from '../../../server/features/support-requests/desk-settings-schemas.ts';
import type { WorkspaceOverview } from '../../../server/features/workspace-tenants/schemas.ts';
import { request } from '../../app/http.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type {
  TokenStatus,
  WorkspaceTokenView,
} from '../../../server/features/account/schemas.ts';
export type { DeskCheckResult, DeskSettingsView, WorkspaceOverview };

export type TokenFilters = Pick<WorkspaceTokenQuery, 'status'>;

export const TOKENS_PAGE_SIZE = 50;

const workspaceBase = (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}`;

export const administrationKeys = {
  overview: (workspace: string) => ['workspace-overview', workspace] as const,
  tokens: (workspace: string, filters: TokenFilters) => ['workspace-tokens', workspace, filters] as const,
  allTokens: (workspace: string) => ['workspace-tokens', workspace] as const,
  deskSettings: ['support-desk-settings'] as const,
};

export function useWorkspaceOverview(workspace: string) {
  return useQuery({
    queryKey: administrationKeys.overview(workspace),
    queryFn: ({ signal }) => request<WorkspaceOverview>(workspaceBase(workspace), { signal }),
  });
}

export function useWorkspaceTokens(workspace: string, filters: TokenFilters) {
  return useInfiniteQuery({
    queryKey: administrationKeys.tokens(workspace, filters),
    queryFn: ({ pageParam, signal }) =>
      request<WorkspaceTokenPage>(`${workspaceBase(workspace)}/tokens`, {
        query: { ...filters, limit: TOKENS_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useRevokeWorkspaceToken(workspace: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: number) =>
      request<void>(`${workspaceBase(workspace)}/tokens/${tokenId}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: administrationKeys.allTokens(workspace) }),
  });
}

export function useDeskSettings() {
  return useQuery({
    queryKey: administrationKeys.deskSettings,
    queryFn: ({ signal }) => request<DeskSettingsView>('/admin/support-desk/settings', { signal }),
  });
}

export function useCheckDesk() {
  return useMutation({
    mutationFn: () =>
      request<DeskCheckResult>('/admin/support-desk/actions/check', { method: 'POST', body: {} }),
  });
}
