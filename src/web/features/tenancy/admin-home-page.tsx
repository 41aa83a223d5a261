import { useDocumentTitle } from '@mantine/hooks';
import { Navigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { firstTenant, useSession } from './api.ts';

/** `/admin`: straight to the first tenant the user may see, or an explanation when there is none. */
export function AdminHomePage() {
  useDocumentTitle('TenantPilot');
  const session = useSession();
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  if (!session.data) return <Loading />;

  const tenant = firstTenant(session.data);
  if (tenant) return <Navigate replace to={paths.tenantDashboard(tenant.external_id)} />;
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
