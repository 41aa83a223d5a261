import { Button, Paper } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { useParams, useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { findTenant, useSession } from '../tenancy/api.ts';
import { type SupportContext, type SupportRequestFilters, useSupportRequests } from './api.ts';
import { supportRequestColumns } from './columns.tsx';
import { RequestSupportModal } from './request-support-modal.tsx';
import {
  filtersToParams,
  isFiltered,
  parseSupportRequestFilters,
  SupportRequestFiltersBar,
} from './support-request-filters.tsx';

export function SupportRequestsListPage() {
  const { tenant = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = parseSupportRequestFilters(searchParams);
  const session = useSession();
  const found = findTenant(session.data, tenant);
  const tenantName = found?.tenant.name ?? tenant;
  // The server decides; the button shows only where it would take the request.
  const canCreate =
    found?.tenant.capabilities.includes('support_requests.create') === true && !found.tenant.archived;
  const requests = useSupportRequests(tenant, filters);
  const [opened, modal] = useDisclosure(false);
  useDocumentTitle(`Support requests · ${tenantName} · TenantPilot`);

  const setFilters = (next: SupportRequestFilters) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filtersToParams(next))) if (value) params.set(key, value);
    setSearchParams(params);
  };
  // Filed from a list filtered to one run, a request is about that run.
  const context: SupportContext =
    filters.run === undefined
      ? { type: 'tenant', tenant }
      : { type: 'operation_run', tenant, run: filters.run };

  if (requests.isError && requests.data === undefined) {
    return <ErrorState error={requests.error} onRetry={() => requests.refetch()} />;
  }

  const items = requests.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title={filters.run === undefined ? 'Support requests' : `Support requests about run #${filters.run}`}
        description="Every request filed for this tenant and its runs, newest first, with what the support desk made of it."
        breadcrumbs={[
          { label: tenantName, to: paths.tenantDashboard(tenant) },
          ...(filters.run === undefined
            ? []
            : [{ label: `Run #${filters.run}`, to: paths.operationRun(filters.run) }]),
          { label: 'Support requests' },
        ]}
        actions={canCreate ? <Button onClick={modal.open}>Request support</Button> : undefined}
      />
      <SupportRequestFiltersBar filters={filters} onChange={setFilters} />
      <Paper withBorder radius="md">
        {requests.isPending ? (
          <Loading label="Loading support requests" />
        ) : items.length === 0 ? (
          isFiltered(filters) ? (
            <EmptyState
              headingOrder={2}
              title="No support requests match these filters"
              description="Try another outcome, context or severity, or clear the filters to see every request."
              action={<Button onClick={() => setFilters({})}>Clear filters</Button>}
            />
          ) : (
            <EmptyState
              headingOrder={2}
              title="No support requests yet"
              description={
                canCreate
                  ? 'Use “Request support” to file one; it is recorded here first, then handed to the desk.'
                  : 'Requests filed for this tenant and its runs show up here.'
              }
            />
          )
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
      {canCreate ? <RequestSupportModal context={context} opened={opened} onClose={modal.close} /> : null}
    </>
  );
}
