import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SetupBody, SetupResult, SetupTokenView } from '../../../server/features/setup/schemas.ts';
import { rememberCsrfToken, request } from '../../app/http.ts';

export type { SetupBody } from '../../../server/features/setup/schemas.ts';

const setupPath = (token: string) => `/setup/${encodeURIComponent(token)}`;

/** Public: `{valid: true}` while the link works; 410 once setup is done, 404 for a link that never was. */
export function useSetupLink(token: string) {
  return useQuery({
    queryKey: ['setup', token],
    queryFn: ({ signal }) =>
      request<SetupTokenView>(setupPath(token), { signal, redirectOnUnauthenticated: false }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Creates the first workspace and its owner, and signs the owner in: start from a clean cache. */
export function useCompleteSetup(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SetupBody) =>
      request<SetupResult>(setupPath(token), { method: 'POST', body, redirectOnUnauthenticated: false }),
    onSuccess: () => {
      rememberCsrfToken(null);
      queryClient.clear();
    },
  });
}

/** "Contoso Managed Services" → "contoso-managed-services": a suggestion the person can change. */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

export const SLUG_PATTERN = /^[a-z0-9-]{1,63}$/;
