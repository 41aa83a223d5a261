import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ImportResult } from '../../../server/features/imports/schemas.ts';
import { request } from '../../app/http.ts';

// The answer's shape is the server's schema type: a change the UI does not follow fails tsc.
export type { ImportResult } from '../../../server/features/imports/schemas.ts';

/** Where a file goes: one tenant, or a workspace (each part to its tenant by directory id). */
export type ImportTarget = { tenant: string } | { workspace: string };

export const importUrl = (target: ImportTarget) =>
  'tenant' in target
    ? `/admin/t/${encodeURIComponent(target.tenant)}/imports`
    : `/admin/w/${encodeURIComponent(target.workspace)}/imports`;

/** POST the file as it is; afterwards every findings list, dashboard and run list may have changed. */
export function useImportResults(target: ImportTarget) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => request<ImportResult>(importUrl(target), { method: 'POST', file }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
