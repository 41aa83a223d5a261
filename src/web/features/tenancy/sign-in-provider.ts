import { useQuery } from '@tanstack/react-query';
import type { ProviderView } from '../../../server/features/oidc/schemas.ts';
import { isApiError, request } from '../../app/http.ts';

export type { ProviderView };

/** Where a browser starts signing in through the provider; back to `next` (a path of this site) afterwards. */
export function providerSignInUrl(next?: string | null): string {
  return next ? `/auth/oidc/start?${new URLSearchParams({ next })}` : '/auth/oidc/start';
}

/** Accepting an invitation by signing in through the provider: the invitation names who signs in. */
export function providerInvitationUrl(token: string): string {
  return `/auth/oidc/start?${new URLSearchParams({ invitation: token })}`;
}

/** The installation's identity provider, or null when none is set up (GET /auth/oidc answers 404). */
async function fetchProvider(): Promise<ProviderView | null> {
  try {
    return await request<ProviderView>('/auth/oidc', { redirectOnUnauthenticated: false, csrf: false });
  } catch (error) {
    if (isApiError(error, 404)) return null;
    throw error;
  }
}

export function useSignInProvider() {
  return useQuery({ queryKey: ['sign-in-provider'], queryFn: fetchProvider, staleTime: 5 * 60_000 });
}
