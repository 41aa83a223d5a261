import { Anchor, Badge, Group, Paper, Stack, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DataTable } from '../../ui/data-table.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { humanize } from '../../ui/format.ts';
import { Loading } from '../../ui/loading.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { ImportResultsButton } from '../imports/import-modal.tsx';
import { recentRunColumns } from '../operation-runs/columns.tsx';
import { SupportRequestsSection } from '../support-requests/support-requests-section.tsx';
import { findTenant, useSession, useTenantDashboard } from './api.ts';
import { FindingCounts } from './finding-counts.tsx';

export function TenantDashboardPage() {
  const { tenant = '' } = useParams();
  const dashboard = useTenantDashboard(tenant);
  // An archived tenant is read-only: the server refuses an import (409), so the page does not offer one.
  const archived = findTenant(useSession().data, tenant)?.tenant.archived === true;
  const data = dashboard.data;
  useDocumentTitle(data ? `${data.tenant.name} · TenantPilot` : 'Dashboard · TenantPilot');

  if (dashboard.isError) return <ErrorState error={dashboard.error} onRetry={() => dashboard.refetch()} />;
  if (!data) return <Loading label="Loading tenant dashboard" />;

  return (
    <>
      <PageHeader
        title={data.tenant.name}
        description={`Workspace: ${data.workspace.name}`}
        actions={
          <Group gap="sm">
            <Badge variant="outline" color="gray" c="gray.8" size="lg" radius="sm" tt="none">
              Your role: {humanize(data.role)}
            </Badge>
            {data.capabilities.includes('findings.import') && !archived ? (
              <ImportResultsButton target={{ tenant: data.tenant.external_id }} />
            ) : null}
          </Group>
        }
      />
      <SupportRequestsSection
        context={{ type: 'tenant', tenant: data.tenant.external_id }}
        capabilities={data.capabilities}
        mb="xl"
      />
      <Stack gap="xl">
        <Stack gap="sm" component="section" aria-labelledby="findings-heading">
          <Title order={2} fz="h4" id="findings-heading">
            Findings by responsibility
          </Title>
          <FindingCounts counts={data.finding_counts} />
        </Stack>

        <Stack gap="sm" component="section" aria-labelledby="recent-runs-heading">
          <Group justify="space-between" align="baseline">
            <Title order={2} fz="h4" id="recent-runs-heading">
              Recent operation runs
            </Title>
            <Anchor component={Link} to={paths.tenantOperations(data.tenant.external_id)} size="sm">
              View all operation runs
            </Anchor>
          </Group>
          <Paper withBorder radius="md">
            {data.recent_runs.length === 0 ? (
              <EmptyState
                title="No operation runs yet"
                description="Runs appear here once a sync, backup or compare starts for this tenant."
              />
            ) : (
              <DataTable
                caption="Recent operation runs"
                columns={recentRunColumns}
                rows={data.recent_runs}
                rowKey={(run) => run.id}
              />
            )}
          </Paper>
        </Stack>
      </Stack>
    </>
  );
}
