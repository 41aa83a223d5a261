import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as PasswordRules from '../../../server/core/password-rules.ts';
import type {
  CreatedToken,
  MeUpdate,
  MeView,
  NewToken,
  PasswordChange,
  TokenPage,
  TokenView,
} from '../../../server/features/account/schemas.ts';
import type {
  AcceptInvitationBody,
  AcceptInvitationResult,
  InvitationView,
} from '../../../server/features/people/schemas.ts';
import { rememberCsrfToken, request } from '../../app/http.ts';
import { tenancyKeys } from '../tenancy/api.ts';

// The contract's shapes are the server's schema types: a change the UI does not follow fails tsc.
export type {
  CreatedToken,
  MeView,
  MyWorkspace,
  TokenView,
} from '../../../server/features/account/schemas.ts';
export type { InvitationView } from '../../../server/features/people/schemas.ts';

/**
 * The password rule, told before anyone types (docs/rules.md "Administration"). Typed by the server's
 * constant, so tsc fails here if the rule's length changes there.
 */
export const MIN_PASSWORD_LENGTH: typeof PasswordRules.MIN_PASSWORD_LENGTH = 12;
export const PASSWORD_RULE = `At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of a few unrelated words is long enough and easy to remember.`;

/** The first problem the browser can see in a new password and its confirmation; the server judges too. */
export function newPasswordProblems(password: string, confirmation: string) {
  return {
    password:
      [...password].length < MIN_PASSWORD_LENGTH
        ? `Use at least ${MIN_PASSWORD_LENGTH} characters (this has ${[...password].length}).`
        : password.trim() === ''
          ? 'The password cannot be only spaces.'
          : undefined,
    confirmation: confirmation !== password ? 'The two passwords are not the same.' : undefined,
  };
}

export const TOKENS_PAGE_SIZE = 25;

export const accountKeys = {
  me: ['account', 'me'] as const,
  tokens: ['account', 'tokens'] as const,
  invitation: (token: string) => ['invitation', token] as const,
};

export function useMe() {
  return useQuery({
    queryKey: accountKeys.me,
    queryFn: ({ signal }) => request<MeView>('/admin/me', { signal }),
  });
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: MeUpdate) => request<MeView>('/admin/me', { method: 'PATCH', body: change }),
    onSuccess: (me) => {
      queryClient.setQueryData(accountKeys.me, me);
      // The header shows the name from the session.
      return queryClient.invalidateQueries({ queryKey: tenancyKeys.session });
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (change: PasswordChange) =>
      request<void>('/admin/me/password', { method: 'POST', body: change }),
  });
}

export function useMyTokens() {
  return useInfiniteQuery({
    queryKey: accountKeys.tokens,
    queryFn: ({ pageParam, signal }) =>
      request<TokenPage>('/admin/me/tokens', {
        query: { limit: TOKENS_PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewToken) =>
      request<CreatedToken>('/admin/me/tokens', { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: TokenView) => request<void>(`/admin/me/tokens/${token.id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.tokens }),
  });
}

const invitationPath = (token: string) => `/invitations/${encodeURIComponent(token)}`;

/** Public: who was invited to which workspace; 404 unknown, 410 used or expired. */
export function useInvitation(token: string) {
  return useQuery({
    queryKey: accountKeys.invitation(token),
    queryFn: ({ signal }) =>
      request<InvitationView>(invitationPath(token), { signal, redirectOnUnauthenticated: false }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Sets the password and signs the person in: a new session, so everything cached before goes. */
export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AcceptInvitationBody) =>
      request<AcceptInvitationResult>(invitationPath(token), {
        method: 'POST',
        body,
        redirectOnUnauthenticated: false,
      }),
    onSuccess: () => {
      rememberCsrfToken(null);
      queryClient.clear();
    },
  });
}
