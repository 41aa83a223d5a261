import { Button, Paper, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import { parseKey } from '../../ui/options.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { can, type SessionWorkspace, useAdminWorkspace } from '../administration/workspace.ts';
import { ImportResultsButton } from '../imports/import-modal.tsx';
import { type OverviewSort, type SortDirection, useFindingsOverview } from './api.ts';
import { overviewSortLabels } from './labels.ts';
import { overviewColumns } from './overview-columns.tsx';
import { WorkspaceViewsNavigation } from './views-navigation.tsx';

const directions: Record<SortDirection, string> = { asc: 'ascending', desc: 'descending' };

/** No tenant to show: what this person can do about it, by what their workspace role allows. */
function NoTenants({ workspace }: { workspace: SessionWorkspace | undefined }) {
  if (can(workspace, 'workspace.administer') && workspace) {
    return (
      <EmptyState
        headingOrder={2}
        title="No tenants to show yet"
        description="Add the customers you look after in Administration → Tenants: you become the owner of each tenant you add, and its findings, exceptions and runs appear here."
        action={
          <Button component={Link} to={paths.workspaceTenants(workspace.slug)}>
            Add a tenant
          </Button>
        }
      />
    );
  }
  return (
    <EmptyState
      headingOrder={2}
      title="No tenants to show yet"
      description="An owner or manager of the workspace must give you a role on a tenant before its figures appear here."
    />
  );
}

/**
 * `/admin/w/:workspace/overview`, the landing page of `/admin`: one row per tenant the person may view, each
 * figure a link to the list it counts; the headers sort (the server sorts, the URL keeps the order).
 */
export function FindingsOverviewPage() {
  const { slug, workspace } = useAdminWorkspace();
  const [searchParams, setSearchParams] = useSearchParams();
  const sort = parseKey(overviewSortLabels, searchParams.get('sort')) ?? 'name';
  const direction = parseKey(directions, searchParams.get('direction'));
  const overview = useFindingsOverview(slug, sort, direction ?? (sort === 'name' ? 'asc' : 'desc'));
  useDocumentTitle(`Overview · ${workspace?.name ?? slug} · TenantPilot`);

  const onSort = (key: string) => {
    const next = key as OverviewSort;
    const current = overview.data;
    // The same header again flips the order; another starts with its own default (most first, names A–Z).
    const flip = current?.sort === next ? (current.direction === 'asc' ? 'desc' : 'asc') : undefined;
    setSearchParams(flip ? { sort: next, direction: flip } : { sort: next }, { replace: true });
  };

  const header = (
    <PageHeader
      title="Overview"
      description={`Every tenant of ${workspace?.name ?? 'the workspace'} you can see: open findings, who is accountable, exceptions waiting for a decision and failed runs. Each figure opens the list it counts.`}
      actions={
        // docs/rules.md "Imports": a merged Maester file goes to each tenant by directory id, where the role allows.
        workspace?.tenants.some((t) => !t.archived && t.capabilities.includes('findings.import')) ? (
          <ImportResultsButton target={{ workspace: slug }} />
        ) : undefined
      }
    />
  );
  if (overview.isError && overview.data === undefined) {
    return (
      <>
        {header}
        <ErrorState error={overview.error} onRetry={() => overview.refetch()} />
      </>
    );
  }
  const data = overview.data;
  return (
    <>
      {header}
      <WorkspaceViewsNavigation workspace={slug} />
      <Paper withBorder radius="md">
        {data === undefined ? (
          <Loading label="Loading the overview" />
        ) : data.items.length === 0 ? (
          <NoTenants workspace={workspace} />
        ) : (
          <DataTable
            caption={`Tenants, sorted by ${overviewSortLabels[data.sort]} (${directions[data.direction]})`}
            columns={overviewColumns(slug)}
            rows={data.items}
            rowKey={(row) => row.tenant.external_id}
            minWidth={1100}
            sort={{ key: data.sort, direction: data.direction, onSort }}
          />
        )}
      </Paper>
      {data && data.items.length > 0 ? (
        <Text size="xs" c="dimmed" mt="xs">
          {data.items.length} {data.items.length === 1 ? 'tenant' : 'tenants'}. Open findings are new,
          triaged, in progress or reopened; risk-accepted, resolved and closed ones are not counted.
        </Text>
      ) : null}
    </>
  );
}
