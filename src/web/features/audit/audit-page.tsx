import { Button, Paper } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { LoadMore } from '../../ui/load-more.tsx';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import type { SessionWorkspace } from '../administration/workspace.ts';
import { WorkspaceErrorState, WorkspacePage } from '../administration/workspace-page.tsx';
import { useEveryPerson } from '../people/api.ts';
import { useEveryWorkspaceTenant } from '../workspace-tenants/api.ts';
import { auditCsvHref, useAuditEvents } from './api.ts';
import { AuditFiltersBar } from './audit-filters.tsx';
import { auditColumns } from './columns.tsx';
import { type AuditUrlFilters, parseAuditFilters, toApiFilters, toSearchParams } from './url-filters.ts';

function AuditLog({ workspace }: { workspace: SessionWorkspace }) {
  const slug = workspace.slug;
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = parseAuditFilters(searchParams);
  const apiFilters = toApiFilters(filters);
  const events = useAuditEvents(slug, apiFilters);
  const people = useEveryPerson(slug);
  const tenants = useEveryWorkspaceTenant(slug, 'all');
  useDocumentTitle(`Audit log · ${workspace.name} · TenantPilot`);

  const setFilters = (next: AuditUrlFilters) => setSearchParams(toSearchParams(next), { replace: true });
  const filtered = Object.values(filters).some(Boolean);

  if (events.isError && events.data === undefined && !filtered) {
    return <WorkspaceErrorState slug={slug} error={events.error} onRetry={() => events.refetch()} />;
  }
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in this workspace and its members’ sign-ins, newest first: who, what, before and after, and from which address."
        breadcrumbs={[{ label: 'Administration', to: paths.workspace(slug) }, { label: 'Audit log' }]}
        actions={
          <Button component="a" href={auditCsvHref(slug, apiFilters)} download variant="default">
            Export CSV
          </Button>
        }
      />
      <AuditFiltersBar
        filters={filters}
        onChange={setFilters}
        people={people.data ?? []}
        tenants={tenants.data ?? []}
      />
      <Paper withBorder radius="md">
        {events.isPending ? (
          <Loading label="Loading the audit log" />
        ) : events.isError && items.length === 0 ? (
          <ErrorState error={events.error} onRetry={() => events.refetch()} pageLevel={false} />
        ) : items.length === 0 ? (
          filtered ? (
            <EmptyState
              headingOrder={2}
              title="No events match these filters"
              action={<Button onClick={() => setFilters({})}>Clear filters</Button>}
            />
          ) : (
            <EmptyState
              headingOrder={2}
              title="No events yet"
              description="Changes appear here as people make them."
            />
          )
        ) : (
          <DataTable
            caption="Audit events, newest first"
            columns={auditColumns}
            rows={items}
            rowKey={(event) => event.id}
            minWidth={900}
          />
        )}
      </Paper>
      {events.isError && items.length > 0 ? (
        <ErrorState error={events.error} onRetry={() => events.fetchNextPage()} pageLevel={false} />
      ) : null}
      <LoadMore
        count={items.length}
        hasMore={events.hasNextPage}
        loading={events.isFetchingNextPage}
        onLoadMore={() => events.fetchNextPage()}
        noun="event"
      />
    </>
  );
}

export function WorkspaceAuditPage() {
  return (
    <WorkspacePage capability="workspace.administer">
      {(workspace) => <AuditLog workspace={workspace} />}
    </WorkspacePage>
  );
}
