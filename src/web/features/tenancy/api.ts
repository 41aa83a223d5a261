import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { DashboardView } from '../../../server/features/tenancy/dashboard-schema.ts';
import type {
  SessionTenant,
  SessionView,
  SessionWorkspace,
  SignInBody,
  SignInResult,
} from '../../../server/features/tenancy/schemas.ts';
import { isApiError, rememberCsrfToken, request } from '../../app/http.ts';
import { paths } from '../../app/paths.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type { FindingCounts } from '../../../server/features/tenancy/dashboard-schema.ts';
export type {
  SessionView,
  TenantCapability,
} from '../../../server/features/tenancy/schemas.ts';

export const tenancyKeys = {
  session: ['session'] as const,
  dashboard: (tenant: string) => ['tenant-dashboard', tenant] as const,
};

async function fetchSession(): Promise<SessionView> {
  const session = await request<SessionView>('/api/session');
  rememberCsrfToken(session.csrf_token);
  return session;
}

export function useSession() {
  return useQuery({ queryKey: tenancyKeys.session, queryFn: fetchSession, staleTime: 60_000 });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignInBody) =>
      request<SignInResult>('/api/session', {
        method: 'POST',
        body: input,
        redirectOnUnauthenticated: false,
        csrf: false,
      }),
    onSuccess: () => {
      // A new session means a new CSRF token and possibly another user's data: start clean.
      rememberCsrfToken(null);
      queryClient.clear();
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const leave = () => {
    // Leave the signed-in pages first, so nothing refetches the session and bounces back with ?next=.
    navigate(paths.signIn(), { replace: true });
    rememberCsrfToken(null);
    queryClient.clear();
    notifications.show({ message: 'You are signed out.', color: 'gray' });
  };
  return useMutation({
    mutationFn: () => request<void>('/api/session', { method: 'DELETE', redirectOnUnauthenticated: false }),
    onSuccess: leave,
    onError: (error) => {
      if (isApiError(error, 401)) return leave();
      notifications.show({ title: 'Could not sign out', message: error.message, color: 'red' });
    },
  });
}

export function useTenantDashboard(tenant: string) {
  return useQuery({
    queryKey: tenancyKeys.dashboard(tenant),
    queryFn: ({ signal }) => request<DashboardView>(`/admin/t/${encodeURIComponent(tenant)}`, { signal }),
  });
}

/** Where a tenant sits in the signed-in user's session, or undefined when they cannot see it. */
export function findTenant(
  session: SessionView | undefined,
  externalId: string | undefined,
): { workspace: SessionWorkspace; tenant: SessionTenant } | undefined {
  if (!session || !externalId) return undefined;
  for (const workspace of session.workspaces) {
    const tenant = workspace.tenants.find((candidate) => candidate.external_id === externalId);
    if (tenant) return { workspace, tenant };
  }
  return undefined;
}

export function firstTenant(session: SessionView | undefined): SessionTenant | undefined {
  return session?.workspaces.find((workspace) => workspace.tenants.length > 0)?.tenants[0];
}
