import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { isApiError, rememberCsrfToken, request } from '../../app/http.ts';
import { paths } from '../../app/paths.ts';
import type { Run, WorkspaceRef } from '../operation-runs/api.ts';

export type Role = 'owner' | 'manager' | 'operator' | 'readonly';
export type Capability =
  | 'tenant.view'
  | 'support_requests.create'
  | 'finding_exceptions.request'
  | 'findings.assign'
  | 'finding_exceptions.decide';

export interface SessionUser {
  id: number;
  email: string;
  display_name: string;
}

export interface SessionTenant {
  id: number;
  external_id: string;
  name: string;
  role: Role;
  capabilities: Capability[];
}

export interface SessionWorkspace {
  id: number;
  slug: string;
  name: string;
  role: Role;
  tenants: SessionTenant[];
}

export interface Session {
  user: SessionUser;
  csrf_token: string;
  workspaces: SessionWorkspace[];
}

export interface SignInInput {
  email: string;
  password: string;
}

export interface FindingCounts {
  orphaned_accountability: number;
  owned_unassigned: number;
  assigned: number;
  total: number;
}

export interface TenantDashboard {
  tenant: { id: number; external_id: string; name: string };
  workspace: WorkspaceRef;
  role: Role;
  capabilities: Capability[];
  recent_runs: Run[];
  finding_counts: FindingCounts;
}

export const tenancyKeys = {
  session: ['session'] as const,
  dashboard: (tenant: string) => ['tenant-dashboard', tenant] as const,
};

async function fetchSession(): Promise<Session> {
  const session = await request<Session>('/api/session');
  rememberCsrfToken(session.csrf_token);
  return session;
}

export function useSession() {
  return useQuery({ queryKey: tenancyKeys.session, queryFn: fetchSession, staleTime: 60_000 });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignInInput) =>
      request<{ user: SessionUser }>('/api/session', {
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
    queryFn: ({ signal }) => request<TenantDashboard>(`/admin/t/${encodeURIComponent(tenant)}`, { signal }),
  });
}

/** Where a tenant sits in the signed-in user's session, or undefined when they cannot see it. */
export function findTenant(
  session: Session | undefined,
  externalId: string | undefined,
): { workspace: SessionWorkspace; tenant: SessionTenant } | undefined {
  if (!session || !externalId) return undefined;
  for (const workspace of session.workspaces) {
    const tenant = workspace.tenants.find((candidate) => candidate.external_id === externalId);
    if (tenant) return { workspace, tenant };
  }
  return undefined;
}

export function firstTenant(session: Session | undefined): SessionTenant | undefined {
  return session?.workspaces.find((workspace) => workspace.tenants.length > 0)?.tenants[0];
}
