import { useParams } from 'react-router';
import type { SessionView, SessionWorkspace } from '../../../server/features/tenancy/schemas.ts';
import { useSession } from '../tenancy/api.ts';
import type { WorkspaceCapability } from './labels.ts';

export type { SessionWorkspace };

/** The session's workspace with this slug; undefined when the signed-in person is not an active member. */
export function findWorkspace(
  session: SessionView | undefined,
  slug: string | undefined,
): SessionWorkspace | undefined {
  if (!session || !slug) return undefined;
  return session.workspaces.find((workspace) => workspace.slug === slug);
}

/** What the server says the person may do in the workspace: the UI hides the rest, the server decides. */
export function can(workspace: SessionWorkspace | undefined, capability: WorkspaceCapability): boolean {
  return workspace?.capabilities.includes(capability) ?? false;
}

/** The workspace of an administration page (`/admin/w/:workspace/…`), from the URL and the session. */
export function useAdminWorkspace() {
  const { workspace: slug = '' } = useParams();
  const session = useSession();
  return { slug, session, workspace: findWorkspace(session.data, slug) };
}
