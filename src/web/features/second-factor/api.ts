import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  WorkspaceSecurity,
  WorkspaceSecurityUpdate,
} from '../../../server/features/second-factor/schemas.ts';
import { request } from '../../app/http.ts';
import { tenancyKeys } from '../tenancy/api.ts';

export type { WorkspaceSecurity } from '../../../server/features/second-factor/schemas.ts';

const securityPath = (workspace: string) => `/admin/w/${encodeURIComponent(workspace)}/security`;
const securityKey = (workspace: string) => ['workspace', workspace, 'security'] as const;

export function useWorkspaceSecurity(workspace: string) {
  return useQuery({
    queryKey: securityKey(workspace),
    queryFn: ({ signal }) => request<WorkspaceSecurity>(securityPath(workspace), { signal }),
  });
}

export function useUpdateWorkspaceSecurity(workspace: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: WorkspaceSecurityUpdate) =>
      request<WorkspaceSecurity>(securityPath(workspace), { method: 'PATCH', body: change }),
    onSuccess: (security) => {
      queryClient.setQueryData(securityKey(workspace), security);
      // The session says which workspaces require it.
      return queryClient.invalidateQueries({ queryKey: tenancyKeys.session });
    },
    // A refusal (409: your own authenticator first) may mean the page is stale: read it again.
    onError: () => queryClient.invalidateQueries({ queryKey: securityKey(workspace) }),
  });
}
