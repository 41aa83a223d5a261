import { Anchor, DataList, Group, Paper, Stack, Text } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useParams } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DateTime } from '../../ui/date-time.tsx';
import { Field, Prose } from '../../ui/detail-list.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { formatDuration, humanize } from '../../ui/format.ts';
import { Loading } from '../../ui/loading.tsx';
import { type Crumb, PageHeader } from '../../ui/page-header.tsx';
import { SupportRequestsSection } from '../support-requests/support-requests-section.tsx';
import { type RunDetailView, useRun } from './api.ts';
import { RunOutcomeBadge, RunStatusBadge } from './badges.tsx';

function breadcrumbsOf(run: RunDetailView): Crumb[] {
  const self = { label: `Run #${run.id}` };
  if (!run.tenant) return [{ label: run.workspace.name }, self];
  return [
    { label: run.tenant.name, to: paths.tenantDashboard(run.tenant.external_id) },
    { label: 'Operations', to: paths.tenantOperations(run.tenant.external_id) },
    self,
  ];
}

export function RunDetailPage() {
  const { run: runId } = useParams();
  const query = useRun(runId);
  const run = query.data;
  useDocumentTitle(
    run ? `Run #${run.id} · ${humanize(run.type)} · TenantPilot` : 'Operation run · TenantPilot',
  );

  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!run) return <Loading label="Loading operation run" />;

  const duration = formatDuration(run.started_at, run.completed_at);
  return (
    <>
      <PageHeader
        title={`${humanize(run.type)} · Run #${run.id}`}
        description={run.tenant ? `${run.tenant.name} · ${run.workspace.name}` : run.workspace.name}
        breadcrumbs={breadcrumbsOf(run)}
      />
      <Stack gap="lg">
        <Paper withBorder radius="md" p="lg">
          <DataList withDivider labelWidth={160} size="sm">
            <Field label="Type">{humanize(run.type)}</Field>
            <Field label="Status">
              <RunStatusBadge status={run.status} />
            </Field>
            <Field label="Outcome">
              <RunOutcomeBadge outcome={run.outcome} />
            </Field>
            <Field label="Summary">
              <Prose value={run.summary} />
            </Field>
            <Field label="Started">
              <DateTime value={run.started_at} />
            </Field>
            <Field label="Completed">
              <Group gap="xs">
                <DateTime value={run.completed_at} />
                {duration ? (
                  <Text size="sm" c="dimmed">
                    ({duration})
                  </Text>
                ) : null}
              </Group>
            </Field>
            <Field label="Tenant">
              {run.tenant ? (
                <Anchor component={Link} to={paths.tenantDashboard(run.tenant.external_id)} size="sm">
                  {run.tenant.name}
                </Anchor>
              ) : (
                'Workspace-level run'
              )}
            </Field>
            <Field label="Workspace">{run.workspace.name}</Field>
          </DataList>
        </Paper>
        {run.tenant ? (
          <SupportRequestsSection
            context={{ type: 'operation_run', tenant: run.tenant.external_id, run: run.id }}
            capabilities={run.capabilities}
          />
        ) : null}
      </Stack>
    </>
  );
}
