import { Button, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../app/http.ts';
import { paths } from '../../app/paths.ts';
import {
  NotFoundState,
  SECOND_FACTOR_ENROLMENT_REQUIRED,
  SecondFactorRequiredState,
} from '../../ui/access-states.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import type { WorkspaceCapability } from './labels.ts';
import { can, type SessionWorkspace, useAdminWorkspace } from './workspace.ts';

export const WORKSPACE_FORBIDDEN_MESSAGE =
  'Forbidden — your role in this workspace does not allow this page. A workspace owner can change your role.';

/** A member without the capability: the page exists for them, their role stops them (403, not 404). */
export function WorkspaceForbidden({ slug }: { slug: string }) {
  useDocumentTitle('Forbidden · TenantPilot');
  return (
    <Stack align="flex-start" gap="md" py="xl" maw={560}>
      <Title order={1}>Forbidden</Title>
      <Text>{WORKSPACE_FORBIDDEN_MESSAGE}</Text>
      <Button component={Link} to={paths.workspace(slug)} variant="light">
        Go to the workspace overview
      </Button>
    </Stack>
  );
}

/** A request's failure at page level, in the administration's words for a 403. */
export function WorkspaceErrorState({
  slug,
  error,
  onRetry,
}: {
  slug: string;
  error: unknown;
  onRetry?: () => void;
}) {
  if (isApiError(error, 403) && error.code === SECOND_FACTOR_ENROLMENT_REQUIRED) {
    return <SecondFactorRequiredState />;
  }
  if (isApiError(error, 403)) return <WorkspaceForbidden slug={slug} />;
  return <ErrorState error={error} onRetry={onRetry} />;
}

interface WorkspacePageProps {
  /** The capability the page needs; members without it see why instead of the page. */
  capability: WorkspaceCapability;
  children: (workspace: SessionWorkspace) => ReactNode;
}

/**
 * Every administration page starts here: the workspace from the URL, checked against the session, so a
 * non-member gets the one not-found page and a member without the role gets the forbidden page. The
 * server answers the same (404 before 403) for every request the page makes.
 */
export function WorkspacePage({ capability, children }: WorkspacePageProps) {
  const { slug, session, workspace } = useAdminWorkspace();
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  if (!session.data) return <Loading label="Loading your session" />;
  if (!workspace) return <NotFoundState />;
  // docs/rules.md "Second factor": the server answers every request here 403 until they enrol.
  if (workspace.require_second_factor && !session.data.second_factor_satisfied) {
    return <SecondFactorRequiredState workspaceName={workspace.name} />;
  }
  if (!can(workspace, capability)) return <WorkspaceForbidden slug={slug} />;
  return <>{children(workspace)}</>;
}
