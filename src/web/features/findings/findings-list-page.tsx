import { Button, Paper } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DataTable, type TableSort } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { findTenant, useSession } from '../tenancy/api.ts';
import {
  type FindingFilters,
  findingsCsvUrl,
  useFindingCount,
  useFindingPeople,
  useFindings,
  useTenantMembers,
} from './api.ts';
import { BulkModal, type BulkTarget } from './bulk-modal.tsx';
import { findingColumns } from './columns.tsx';
import { FindingFiltersBar } from './finding-filters.tsx';
import { SelectionBar } from './selection-bar.tsx';
import { compactFilters, parseFindingFilters } from './url-filters.ts';

/** docs/rules.md "Finding lifecycle", sorting: the Detected header flips newest/oldest; Severity is most severe first. */
function tableSort(filters: FindingFilters, onChange: (sort: FindingFilters['sort']) => void): TableSort {
  const sort = filters.sort ?? 'newest';
  return {
    key: sort === 'severity' ? 'severity' : 'detected',
    direction: sort === 'oldest' ? 'asc' : 'desc',
    onSort: (key) => {
      if (key === 'severity') onChange('severity');
      else onChange(sort === 'newest' || sort === 'detected' ? 'oldest' : undefined);
    },
  };
}

export function FindingsListPage() {
  const { tenant = '' } = useParams();
  const session = useSession();
  const tenantName = findTenant(session.data, tenant)?.tenant.name ?? tenant;
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = compactFilters(parseFindingFilters(searchParams));
  const filtered = Object.keys(filters).some((key) => key !== 'sort');
  const findings = useFindings(tenant, filters);
  const members = useTenantMembers(tenant);
  const people = useFindingPeople(tenant);
  const capabilities = findTenant(session.data, tenant)?.tenant.capabilities ?? [];
  const canAssign = capabilities.includes('findings.assign');
  const canTriage = capabilities.includes('findings.triage');
  const canChange = canAssign || canTriage;
  // The selection belongs to one set of filters: another filter starts a new one.
  const filterKey = JSON.stringify(filters);
  const [selection, setSelection] = useState<{ key: string; ids: Set<number>; all: boolean }>({
    key: filterKey,
    ids: new Set(),
    all: false,
  });
  const current =
    selection.key === filterKey ? selection : { key: filterKey, ids: new Set<number>(), all: false };
  const [bulkTarget, setBulkTarget] = useState<BulkTarget | null>(null);
  const [bulkOpened, setBulkOpened] = useState(false);
  const items = findings.data?.pages.flatMap((page) => page.items) ?? [];
  const pageSelected = items.length > 0 && items.every((item) => current.ids.has(item.finding_id));
  const matching = useFindingCount(tenant, filters, canChange && (pageSelected || current.all));
  useDocumentTitle(`Findings · ${tenantName} · TenantPilot`);

  const setFilters = (next: FindingFilters) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(compactFilters(next))) params.set(key, String(value));
    setSearchParams(params);
  };
  const select = (ids: Set<number>, all = false) => setSelection({ key: filterKey, ids, all });
  const toggle = (id: number) => {
    const ids = new Set(current.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    select(ids);
  };
  const openBulk = () => {
    setBulkTarget(
      current.all
        ? { kind: 'filter', filters, count: matching.data?.count ?? 0 }
        : { kind: 'ids', ids: [...current.ids] },
    );
    setBulkOpened(true);
  };

  if (findings.isError && findings.data === undefined) {
    return <ErrorState error={findings.error} onRetry={() => findings.refetch()} />;
  }

  return (
    <>
      <PageHeader
        title="Findings"
        description="Who is accountable for each finding (owner) and who is fixing it now (assignee)."
        breadcrumbs={[{ label: tenantName, to: paths.tenantDashboard(tenant) }, { label: 'Findings' }]}
        actions={
          <Button component="a" href={findingsCsvUrl(tenant, filters)} download variant="default">
            Export CSV
          </Button>
        }
      />
      <FindingFiltersBar
        filters={filters}
        members={members.data?.items ?? []}
        people={people.data}
        onChange={setFilters}
      />
      {canChange && items.length > 0 ? (
        <SelectionBar
          selectedCount={current.ids.size}
          allMatching={current.all}
          matching={matching.data}
          pageCount={items.length}
          pageSelected={pageSelected}
          onTogglePage={() =>
            select(pageSelected ? new Set() : new Set(items.map((item) => item.finding_id)))
          }
          onSelectAllMatching={() => select(current.ids, true)}
          onClear={() => select(new Set())}
          onChange={openBulk}
        />
      ) : null}
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
              title="No open findings"
              description="Resolved, closed and risk-accepted findings are not listed here: choose “Any status” under Status to see them."
            />
          )
        ) : (
          <DataTable
            caption="Findings"
            columns={findingColumns(
              tenant,
              canChange ? { isSelected: (id) => current.all || current.ids.has(id), toggle } : undefined,
            )}
            rows={items}
            rowKey={(finding) => finding.finding_id}
            minWidth={960}
            sort={tableSort(filters, (sort) => setFilters({ ...filters, sort }))}
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
      {bulkTarget ? (
        <BulkModal
          tenant={tenant}
          target={bulkTarget}
          members={members.data?.items ?? []}
          canAssign={canAssign}
          canTriage={canTriage}
          opened={bulkOpened}
          onClose={() => setBulkOpened(false)}
          onDone={() => select(new Set())}
        />
      ) : null}
    </>
  );
}
