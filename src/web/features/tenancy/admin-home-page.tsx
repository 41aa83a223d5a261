import { useDocumentTitle } from '@mantine/hooks';
import { Navigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { firstTenant, useSession } from './api.ts';

/** `/admin`: straight to the first tenant the user may see, else their workspace, else an explanation. */
export function AdminHomePage() {
  useDocumentTitle('TenantPilot');
  const session = useSession();
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  if (!session.data) return <Loading />;

  const tenant = firstTenant(session.data);
  if (tenant) return <Navigate replace to={paths.tenantDashboard(tenant.external_id)} />;
  // No tenant role yet: the workspace's administration says why, and lets owners add tenants and people.
  const workspace = session.data.workspaces[0];
  if (workspace) return <Navigate replace to={paths.workspace(workspace.slug)} />;
  return (
    <>
      <PageHeader title={`Welcome, ${session.data.user.display_name}`} />
      <EmptyState
        headingOrder={2}
        title="You have no tenants yet"
        description="An owner of your workspace must grant you access to a tenant before its dashboard, operation runs and findings appear here."
      />
    </>
  );
}
