import { Button, Group, Paper, Select } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useSearchParams } from 'react-router';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { useAdminWorkspace } from '../administration/workspace.ts';
import type { FindingFilters } from '../findings/api.ts';
import { acrossTenantsColumns } from '../findings/columns.tsx';
import { FindingFiltersBar } from '../findings/finding-filters.tsx';
import { compactFilters, parseFindingFilters } from '../findings/url-filters.ts';
import {
  useWorkspaceFindings,
  type WorkspaceFindingFilters,
  type WorkspaceFindingItem,
  workspaceFindingsCsvUrl,
} from './api.ts';
import { WorkspaceViewsNavigation } from './views-navigation.tsx';

const TENANT = /^[a-z0-9-]{1,63}$/;

/**
 * `/admin/w/:workspace/findings`: the findings of every tenant the person may view, with the tenant list's
 * filters (from the URL, so linkable) plus a tenant.
 */
export function WorkspaceFindingsPage() {
  const { slug, workspace } = useAdminWorkspace();
  const [searchParams, setSearchParams] = useSearchParams();
  const tenantParam = searchParams.get('tenant');
  const tenant = tenantParam && TENANT.test(tenantParam) ? tenantParam : undefined;
  const filters: WorkspaceFindingFilters = { ...compactFilters(parseFindingFilters(searchParams)), tenant };
  const findings = useWorkspaceFindings(slug, compactFilters(filters) as WorkspaceFindingFilters);
  useDocumentTitle(`Findings · ${workspace?.name ?? slug} · TenantPilot`);
  const tenants = (workspace?.tenants ?? []).filter((one) => !one.archived);
  const filtered = Object.entries(filters).some(([key, value]) => key !== 'sort' && value);

  const setFilters = (next: WorkspaceFindingFilters) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) params.set(key, String(value));
    setSearchParams(params);
  };
  const setListFilters = (next: FindingFilters) => setFilters({ ...next, tenant });

  const header = (
    <PageHeader
      title="Findings across tenants"
      description="Every tenant you can see, in one list: the same filters and sorts as a tenant's findings, plus the tenant."
      actions={
        <Button component="a" href={workspaceFindingsCsvUrl(slug, filters)} variant="default">
          Export CSV
        </Button>
      }
    />
  );
  if (findings.isError && findings.data === undefined) {
    return (
      <>
        {header}
        <ErrorState error={findings.error} onRetry={() => findings.refetch()} />
      </>
    );
  }
  const items: WorkspaceFindingItem[] = findings.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      {header}
      <WorkspaceViewsNavigation workspace={slug} />
      <Group mb="sm">
        <Select
          label="Tenant"
          placeholder="Every tenant"
          data={tenants.map((one) => ({ value: one.external_id, label: one.name }))}
          value={tenant ?? null}
          onChange={(value) => setFilters({ ...filters, tenant: value ?? undefined })}
          clearable
          searchable
          w={260}
        />
      </Group>
      <FindingFiltersBar filters={filters} members={[]} onChange={setListFilters} />
      <Paper withBorder radius="md">
        {findings.isPending ? (
          <Loading label="Loading findings" />
        ) : items.length === 0 ? (
          <EmptyState
            headingOrder={2}
            title={filtered ? 'No findings match these filters' : 'No open findings'}
            description={
              filtered
                ? 'Try other filters, or clear them to see the open findings of every tenant you can see.'
                : 'Findings appear here when a run or an import reports drift or risk in one of your tenants.'
            }
            action={
              filtered ? (
                <Button onClick={() => setFilters({ sort: filters.sort })}>Clear filters</Button>
              ) : undefined
            }
          />
        ) : (
          <DataTable
            caption="Findings across tenants"
            columns={acrossTenantsColumns<WorkspaceFindingItem>()}
            rows={items}
            rowKey={(finding) => finding.finding_id}
            minWidth={1000}
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
