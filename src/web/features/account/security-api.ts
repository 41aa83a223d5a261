import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionInfo, SessionPage, SessionsEnded } from '../../../server/features/account/schemas.ts';
import type {
  EnrolmentStart,
  RecoveryCodes,
  SecondFactorProof,
  SecondFactorStatus,
} from '../../../server/features/second-factor/schemas.ts';
import { request } from '../../app/http.ts';
import { tenancyKeys } from '../tenancy/api.ts';

// The second factor and "Your sessions" (docs/rules.md "Second factor", "Sessions"): the server's types.
export type { SessionInfo } from '../../../server/features/account/schemas.ts';
export type {
  EnrolmentStart,
  RecoveryCodes,
  SecondFactorProof,
  SecondFactorStatus,
} from '../../../server/features/second-factor/schemas.ts';

export const SESSIONS_PAGE_SIZE = 25;

export const securityKeys = {
  secondFactor: ['account', 'second-factor'] as const,
  sessions: ['account', 'sessions'] as const,
};

export function useSecondFactor() {
  return useQuery({
    queryKey: securityKeys.secondFactor,
    queryFn: ({ signal }) => request<SecondFactorStatus>('/admin/me/second-factor', { signal }),
  });
}

/** What changes when the second factor does: its status, and the session (workspaces that required it). */
function useSecondFactorChanged() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: securityKeys.secondFactor }),
      queryClient.invalidateQueries({ queryKey: tenancyKeys.session }),
    ]);
}

export function useStartEnrolment() {
  return useMutation({
    mutationFn: () => request<EnrolmentStart>('/admin/me/second-factor/enrolment', { method: 'POST' }),
  });
}

export function useConfirmEnrolment() {
  const changed = useSecondFactorChanged();
  return useMutation({
    mutationFn: (totpCode: string) =>
      request<RecoveryCodes>('/admin/me/second-factor/enrolment/confirm', {
        method: 'POST',
        body: { totp_code: totpCode },
      }),
    onSuccess: changed,
  });
}

export function useDisableSecondFactor() {
  const changed = useSecondFactorChanged();
  return useMutation({
    mutationFn: (proof: SecondFactorProof) =>
      request<void>('/admin/me/second-factor/actions/disable', { method: 'POST', body: proof }),
    onSuccess: changed,
  });
}

export function useRegenerateRecoveryCodes() {
  const changed = useSecondFactorChanged();
  return useMutation({
    mutationFn: (proof: SecondFactorProof) =>
      request<RecoveryCodes>('/admin/me/second-factor/recovery-codes', { method: 'POST', body: proof }),
    onSuccess: changed,
  });
}

export function useMySessions() {
  return useInfiniteQuery({
    queryKey: securityKeys.sessions,
    queryFn: ({ pageParam, signal }) =>
      request<SessionPage>('/admin/me/sessions', {
        query: { limit: SESSIONS_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useEndSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (session: SessionInfo) =>
      request<void>(`/admin/me/sessions/${session.id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: securityKeys.sessions }),
  });
}

export function useEndOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => request<SessionsEnded>('/admin/me/sessions/actions/end-others', { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: securityKeys.sessions }),
  });
}

const memberSessionsPath = (workspace: string, userId: number) =>
  `/admin/w/${encodeURIComponent(workspace)}/people/${userId}`;

/** A member's sessions, for a workspace's owners (the person page). */
export function useMemberSessions(workspace: string, userId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['people', workspace, userId, 'sessions'],
    queryFn: ({ signal }) =>
      request<SessionPage>(`${memberSessionsPath(workspace, userId)}/sessions`, {
        query: { limit: 200 },
        signal,
      }),
    enabled,
  });
}

export function useEndMemberSessions(workspace: string, userId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      request<SessionsEnded>(`${memberSessionsPath(workspace, userId)}/actions/end-sessions`, {
        method: 'POST',
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['people', workspace, userId, 'sessions'] }),
  });
}
