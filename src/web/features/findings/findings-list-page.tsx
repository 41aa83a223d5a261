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
import { findTenant, useSession } from '../tenancy/api.ts';
import { type FindingFilters, useFindings, useTenantMembers } from './api.ts';
import { findingColumns } from './columns.tsx';
import { FindingFiltersBar } from './finding-filters.tsx';
import { compactFilters, parseFindingFilters } from './url-filters.ts';

export function FindingsListPage() {
  const { tenant = '' } = useParams();
  const session = useSession();
  const tenantName = findTenant(session.data, tenant)?.tenant.name ?? tenant;
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = compactFilters(parseFindingFilters(searchParams));
  const filtered = Object.keys(filters).some((key) => key !== 'sort');
  const findings = useFindings(tenant, filters);
  const members = useTenantMembers(tenant);
  useDocumentTitle(`Findings · ${tenantName} · TenantPilot`);

  const setFilters = (next: FindingFilters) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(compactFilters(next))) params.set(key, String(value));
    setSearchParams(params);
  };

  if (findings.isError && findings.data === undefined) {
    return <ErrorState error={findings.error} onRetry={() => findings.refetch()} />;
  }

  const items = findings.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title="Findings"
        description="Who is accountable for each finding (owner) and who is fixing it now (assignee)."
        breadcrumbs={[{ label: tenantName, to: paths.tenantDashboard(tenant) }, { label: 'Findings' }]}
      />
      <FindingFiltersBar filters={filters} members={members.data?.items ?? []} onChange={setFilters} />
      <Paper withBorder radius="md">
        {findings.isPending ? (
          <Loading label="Loading findings" />
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState
              headingOrder={2}
              title="No findings match these filters"
              description="Try other filters, or clear them to see every finding of this tenant."
              action={<Button onClick={() => setFilters({ sort: filters.sort })}>Clear filters</Button>}
            />
          ) : (
            <EmptyState
              headingOrder={2}
              title="No findings yet"
              description="Findings appear here when a sync or baseline compare detects drift or risk."
            />
          )
        ) : (
          <DataTable
            caption="Findings"
            columns={findingColumns(tenant)}
            rows={items}
            rowKey={(finding) => finding.finding_id}
            minWidth={980}
          />
        )}
      </Paper>
      {findings.isError ? (
        <ErrorState error={findings.error} onRetry={() => findings.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={findings.hasNextPage}
        loading={findings.isFetchingNextPage}
        onLoadMore={() => findings.fetchNextPage()}
        noun="finding"
      />
    </>
  );
}
