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
import { parseKey } from '../../ui/options.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { SearchStatusFilters } from '../administration/search-status-filters.tsx';
import { can, type SessionWorkspace } from '../administration/workspace.ts';
import { WorkspaceErrorState, WorkspacePage } from '../administration/workspace-page.tsx';
import { useSession } from '../tenancy/api.ts';
import { useEveryWorkspaceTenant } from '../workspace-tenants/api.ts';
import { type PeopleFilters, usePeople } from './api.ts';
import { peopleColumns, type TenantNames } from './columns.tsx';
import { InviteModal } from './invite-modal.tsx';
import { activeFilterLabels } from './labels.ts';

export function parsePeopleFilters(params: URLSearchParams): PeopleFilters {
  const q = params.get('q')?.trim().slice(0, 100);
  const active = parseKey(activeFilterLabels, params.get('active'));
  return { q: q || undefined, active: active === 'all' ? undefined : active };
}

function PeopleFiltersBar({
  filters,
  onChange,
}: {
  filters: PeopleFilters;
  onChange: (filters: PeopleFilters) => void;
}) {
  return (
    <SearchStatusFilters
      searchPlaceholder="Name or e-mail"
      q={filters.q}
      onSearch={(q) => onChange({ ...filters, q })}
      statusLabels={activeFilterLabels}
      status={filters.active}
      defaultStatus="all"
      onStatus={(active) => onChange({ ...filters, active })}
    />
  );
}

function People({ workspace }: { workspace: SessionWorkspace }) {
  const slug = workspace.slug;
  const session = useSession();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = parsePeopleFilters(searchParams);
  const people = usePeople(slug, filters);
  const tenants = useEveryWorkspaceTenant(slug, 'all');
  const administer = can(workspace, 'workspace.administer');
  const [inviting, setInviting] = useState(false);
  useDocumentTitle(`People · ${workspace.name} · TenantPilot`);

  const setFilters = (next: PeopleFilters) => {
    const params = new URLSearchParams();
    if (next.q) params.set('q', next.q);
    if (next.active) params.set('active', next.active);
    setSearchParams(params, { replace: true });
  };

  if (people.isError && people.data === undefined) {
    return <WorkspaceErrorState slug={slug} error={people.error} onRetry={() => people.refetch()} />;
  }
  const items = people.data?.pages.flatMap((page) => page.items) ?? [];
  const names: TenantNames = new Map((tenants.data ?? []).map((tenant) => [tenant.external_id, tenant.name]));
  const filtered = Boolean(filters.q || filters.active);
  return (
    <>
      <PageHeader
        title="People"
        description="Everyone in this workspace: their workspace role, their roles on each tenant, and whether they can sign in."
        breadcrumbs={[{ label: 'Administration', to: paths.workspace(slug) }, { label: 'People' }]}
        actions={administer ? <Button onClick={() => setInviting(true)}>Invite someone</Button> : undefined}
      />
      <PeopleFiltersBar filters={filters} onChange={setFilters} />
      <Paper withBorder radius="md">
        {people.isPending ? (
          <Loading label="Loading people" />
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState
              headingOrder={2}
              title="Nobody matches these filters"
              description="Search looks in names and e-mail addresses."
              action={<Button onClick={() => setFilters({})}>Clear filters</Button>}
            />
          ) : (
            <EmptyState headingOrder={2} title="Nobody here yet" />
          )
        ) : (
          <DataTable
            caption="People"
            columns={peopleColumns(slug, names, session.data?.user.id ?? 0)}
            rows={items}
            rowKey={(person) => person.user_id}
            minWidth={900}
          />
        )}
      </Paper>
      {people.isError ? (
        <ErrorState error={people.error} onRetry={() => people.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={people.hasNextPage}
        loading={people.isFetchingNextPage}
        onLoadMore={() => people.fetchNextPage()}
        noun="member"
      />
      {administer ? (
        <InviteModal
          workspace={slug}
          workspaceName={workspace.name}
          opened={inviting}
          onClose={() => setInviting(false)}
        />
      ) : null}
    </>
  );
}

export function WorkspacePeoplePage() {
  return (
    <WorkspacePage capability="workspace.view">
      {(workspace) => <People workspace={workspace} />}
    </WorkspacePage>
  );
}
