import { Button, Paper } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { can, type SessionWorkspace } from '../administration/workspace.ts';
import { WorkspaceErrorState, WorkspacePage } from '../administration/workspace-page.tsx';
import { type TenantFilters, useWorkspaceTenants, type WorkspaceTenant } from './api.ts';
import { ArchiveModal } from './archive-modal.tsx';
import { type TenantAction, tenantColumns } from './columns.tsx';
import { parseTenantFilters, TenantFiltersBar } from './tenant-filters.tsx';
import { TenantFormModal } from './tenant-form-modal.tsx';

function emptyState(filters: TenantFilters, administer: boolean, onAdd: () => void, onClear: () => void) {
  if (filters.q) {
    return (
      <EmptyState
        headingOrder={2}
        title="No tenant matches this search"
        description="Search looks in names and external ids."
        action={<Button onClick={onClear}>Clear search</Button>}
      />
    );
  }
  if (filters.archived === 'true') {
    return (
      <EmptyState headingOrder={2} title="No archived tenants" description="Archived tenants appear here." />
    );
  }
  return (
    <EmptyState
      headingOrder={2}
      title="No tenants yet"
      description={
        administer
          ? 'Add the first customer tenant: you become its owner and can then give colleagues roles on it.'
          : 'A workspace owner adds the customer tenants.'
      }
      action={administer ? <Button onClick={onAdd}>Add tenant</Button> : undefined}
    />
  );
}

function Tenants({ workspace }: { workspace: SessionWorkspace }) {
  const slug = workspace.slug;
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = parseTenantFilters(searchParams);
  const tenants = useWorkspaceTenants(slug, filters);
  const administer = can(workspace, 'workspace.administer');
  const [modal, setModal] = useState<TenantAction | 'add' | null>(null);
  const [selected, setSelected] = useState<WorkspaceTenant | null>(null);
  const [archiving, setArchiving] = useState(true);
  useDocumentTitle(`Tenants · ${workspace.name} · TenantPilot`);

  const setFilters = (next: TenantFilters) => {
    const params = new URLSearchParams();
    if (next.q) params.set('q', next.q);
    if (next.archived) params.set('archived', next.archived);
    setSearchParams(params, { replace: true });
  };
  const open = (tenant: WorkspaceTenant | null, action: TenantAction | 'add') => {
    setSelected(tenant);
    if (action === 'archive' || action === 'restore') setArchiving(action === 'archive');
    setModal(action);
  };

  if (tenants.isError && tenants.data === undefined) {
    return <WorkspaceErrorState slug={slug} error={tenants.error} onRetry={() => tenants.refetch()} />;
  }
  const items = tenants.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title="Tenants"
        description="The customer tenants this workspace looks after. Every member sees their names; a tenant’s data needs a role on it."
        breadcrumbs={[{ label: 'Administration', to: paths.workspace(slug) }, { label: 'Tenants' }]}
        actions={administer ? <Button onClick={() => open(null, 'add')}>Add tenant</Button> : undefined}
      />
      <TenantFiltersBar filters={filters} onChange={setFilters} />
      <Paper withBorder radius="md">
        {tenants.isPending ? (
          <Loading label="Loading tenants" />
        ) : items.length === 0 ? (
          emptyState(
            filters,
            administer,
            () => open(null, 'add'),
            () => setFilters({ ...filters, q: undefined }),
          )
        ) : (
          <DataTable
            caption="Tenants"
            columns={tenantColumns(administer ? open : null)}
            rows={items}
            rowKey={(tenant) => tenant.id}
            minWidth={1000}
          />
        )}
      </Paper>
      {tenants.isError ? (
        <ErrorState error={tenants.error} onRetry={() => tenants.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={tenants.hasNextPage}
        loading={tenants.isFetchingNextPage}
        onLoadMore={() => tenants.fetchNextPage()}
        noun="tenant"
      />
      <TenantFormModal
        workspace={slug}
        tenant={modal === 'add' ? null : selected}
        opened={modal === 'add' || modal === 'edit'}
        onClose={() => setModal(null)}
      />
      <ArchiveModal
        workspace={slug}
        tenant={selected}
        archive={archiving}
        opened={modal === 'archive' || modal === 'restore'}
        onClose={() => setModal(null)}
      />
    </>
  );
}

export function WorkspaceTenantsPage() {
  return (
    <WorkspacePage capability="workspace.view">
      {(workspace) => <Tenants workspace={workspace} />}
    </WorkspacePage>
  );
}
