import { Button, Paper } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useParams, useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { type RunFilters as Filters, useRuns } from './api.ts';
import { runColumns } from './columns.tsx';
import { parseRunFilters, RunFilters } from './run-filters.tsx';

interface RunsListPageProps {
  /** The tenant's display name when the caller knows it (from the session). */
  tenantName?: string;
}

export function RunsListPage({ tenantName }: RunsListPageProps) {
  const { tenant = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = parseRunFilters(searchParams);
  const filtered = Boolean(filters.status || filters.outcome);
  const runs = useRuns(tenant, filters);
  useDocumentTitle(`Operations · ${tenantName ?? tenant} · TenantPilot`);

  const setFilters = (next: Filters) => {
    const params = new URLSearchParams();
    if (next.status) params.set('status', next.status);
    if (next.outcome) params.set('outcome', next.outcome);
    setSearchParams(params);
  };

  if (runs.isError && runs.data === undefined) {
    return <ErrorState error={runs.error} onRetry={() => runs.refetch()} />;
  }

  const items = runs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title="Operation runs"
        description="Sync, backup and compare runs against this tenant, newest first."
        breadcrumbs={[
          { label: tenantName ?? tenant, to: paths.tenantDashboard(tenant) },
          { label: 'Operations' },
        ]}
      />
      <RunFilters filters={filters} onChange={setFilters} />
      <Paper withBorder radius="md">
        {runs.isPending ? (
          <Loading label="Loading operation runs" />
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState
              headingOrder={2}
              title="No operation runs match these filters"
              description="Try another status or outcome, or clear the filters to see every run."
              action={<Button onClick={() => setFilters({})}>Clear filters</Button>}
            />
          ) : (
            <EmptyState
              headingOrder={2}
              title="No operation runs yet"
              description="Runs appear here once a sync, backup or compare starts for this tenant."
            />
          )
        ) : (
          <DataTable
            caption="Operation runs"
            columns={runColumns}
            rows={items}
            rowKey={(run) => run.id}
            minWidth={900}
          />
        )}
      </Paper>
      {runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => runs.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={runs.hasNextPage}
        loading={runs.isFetchingNextPage}
        onLoadMore={() => runs.fetchNextPage()}
        noun="run"
      />
    </>
  );
}
