import { Button } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, Navigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { type SessionView, useSession } from './api.ts';

type Workspace = SessionView['workspaces'][number];

/** The workspace to land in: the first where the person sees an active tenant, else one with an archived one. */
function landingWorkspace(session: SessionView) {
  return (
    session.workspaces.find((workspace) => workspace.tenants.some((tenant) => !tenant.archived)) ??
    session.workspaces.find((workspace) => workspace.tenants.length > 0)
  );
}

/** The workspace where the person can do the most about having no tenant: administer, then grant, then view. */
function bestWorkspace(session: SessionView): Workspace | undefined {
  const by = (capability: Workspace['capabilities'][number]) =>
    session.workspaces.find((workspace) => workspace.capabilities.includes(capability));
  return by('workspace.administer') ?? by('workspace.grant_access') ?? session.workspaces[0];
}

/** No tenant role anywhere: what this person can do about it, by what their workspace role allows. */
function NoTenants({ workspace }: { workspace: Workspace | undefined }) {
  if (workspace?.capabilities.includes('workspace.administer')) {
    return (
      <EmptyState
        headingOrder={2}
        title={`Add the first tenant to ${workspace.name}`}
        description="Tenants are the customers you look after. Add one in Administration → Tenants: you become its owner and see its dashboard, operation runs and findings here. Then invite your colleagues and give them roles on it."
        action={
          <>
            <Button component={Link} to={paths.workspaceTenants(workspace.slug)}>
              Add tenants
            </Button>
            <Button component={Link} to={paths.workspacePeople(workspace.slug)} variant="default">
              Invite people
            </Button>
          </>
        }
      />
    );
  }
  if (workspace?.capabilities.includes('workspace.grant_access')) {
    return (
      <EmptyState
        headingOrder={2}
        title="You have no tenant roles yet"
        description={`As a manager of ${workspace.name} you give people roles on its tenants in Administration → People. A role on a tenant for yourself comes from another manager or an owner.`}
        action={
          <Button component={Link} to={paths.workspacePeople(workspace.slug)}>
            Grant access
          </Button>
        }
      />
    );
  }
  return (
    <EmptyState
      headingOrder={2}
      title="You have no tenants yet"
      description="An owner or manager of your workspace must give you a role on a tenant before its dashboard, operation runs and findings appear here."
      action={
        workspace ? (
          <Button component={Link} to={paths.workspace(workspace.slug)} variant="default">
            See your workspace
          </Button>
        ) : undefined
      }
    />
  );
}

/** `/admin`: the overview of the person's (first) workspace with tenants, else what to do about having none. */
export function AdminHomePage() {
  useDocumentTitle('TenantPilot');
  const session = useSession();
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  if (!session.data) return <Loading />;

  // docs/rules.md "Workspace views": the landing page is the workspace overview of every tenant in reach.
  const workspace = landingWorkspace(session.data);
  if (workspace) return <Navigate replace to={paths.workspaceFindingsOverview(workspace.slug)} />;
  return (
    <>
      <PageHeader title={`Welcome, ${session.data.user.display_name}`} />
      <NoTenants workspace={bestWorkspace(session.data)} />
    </>
  );
}
