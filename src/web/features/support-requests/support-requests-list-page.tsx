import { Paper } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { findTenant, useSession } from '../tenancy/api.ts';
import { useSupportRequests } from './api.ts';
import { supportRequestColumns } from './columns.tsx';

export function SupportRequestsListPage() {
  const { tenant = '' } = useParams();
  const session = useSession();
  const tenantName = findTenant(session.data, tenant)?.tenant.name ?? tenant;
  const requests = useSupportRequests(tenant);
  useDocumentTitle(`Support requests · ${tenantName} · TenantPilot`);

  if (requests.isError && requests.data === undefined) {
    return <ErrorState error={requests.error} onRetry={() => requests.refetch()} />;
  }

  const items = requests.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title="Support requests"
        description="Every request filed for this tenant and its runs, newest first, with what the support desk made of it."
        breadcrumbs={[
          { label: tenantName, to: paths.tenantDashboard(tenant) },
          { label: 'Support requests' },
        ]}
      />
      <Paper withBorder radius="md">
        {requests.isPending ? (
          <Loading label="Loading support requests" />
        ) : items.length === 0 ? (
          <EmptyState
            headingOrder={2}
            title="No support requests yet"
            description="Use “Request support” on the tenant dashboard or on a run to file one."
          />
        ) : (
          <DataTable
            caption="Support requests"
            columns={supportRequestColumns(tenant)}
            rows={items}
            rowKey={(request) => request.support_request_id}
            minWidth={900}
          />
        )}
      </Paper>
      {requests.isError ? (
        <ErrorState error={requests.error} onRetry={() => requests.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={requests.hasNextPage}
        loading={requests.isFetchingNextPage}
        onLoadMore={() => requests.fetchNextPage()}
        noun="request"
      />
    </>
  );
}
