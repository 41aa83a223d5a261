import { Anchor, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { Column } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { RunOutcomeBadge } from '../operation-runs/badges.tsx';
import type { OverviewRow, OverviewSort } from './api.ts';

/** A count that opens the list it counts; a zero is plain text (there is nothing to open). */
function Figure({ count, to, label }: { count: number; to: string; label: string }) {
  if (count === 0) {
    return (
      <Text size="sm" c="dimmed" component="span" aria-label={`No ${label}`}>
        0
      </Text>
    );
  }
  return (
    <Anchor component={Link} to={to} size="sm" fw={600} aria-label={`${count} ${label}`}>
      {count.toLocaleString('en')}
    </Anchor>
  );
}

type FigureColumn = {
  key: OverviewSort;
  header: string;
  count: (row: OverviewRow) => number;
  to: (row: OverviewRow, workspace: string) => string;
  label: (row: OverviewRow) => string;
};

const findingsOf = (row: OverviewRow, filters?: Record<string, string>) =>
  paths.tenantFindings(row.tenant.external_id, filters);

const figures: FigureColumn[] = [
  ...(['critical', 'high', 'medium', 'low'] as const).map(
    (severity): FigureColumn => ({
      key: severity,
      header: `${severity[0]?.toUpperCase()}${severity.slice(1)}`,
      count: (row) => row.open_findings[severity],
      to: (row) => findingsOf(row, { severity }),
      label: (row) => `open ${severity} findings in ${row.tenant.name}`,
    }),
  ),
  {
    key: 'open',
    header: 'Open',
    count: (row) => row.open_findings.total,
    to: (row) => findingsOf(row),
    label: (row) => `open findings in ${row.tenant.name}`,
  },
  {
    key: 'accountability_gap',
    header: 'Accountability gaps',
    count: (row) => row.accountability_gap,
    to: (row) => findingsOf(row, { accountability_gap: 'true' }),
    label: (row) => `open findings with an accountability gap in ${row.tenant.name}`,
  },
  {
    key: 'unassigned',
    header: 'Unassigned',
    count: (row) => row.unassigned,
    to: (row) => findingsOf(row, { assignee: 'none' }),
    label: (row) => `open findings without an assignee in ${row.tenant.name}`,
  },
  {
    key: 'pending_exceptions',
    header: 'Pending exceptions',
    count: (row) => row.pending_exceptions,
    to: (row, workspace) => paths.workspaceExceptions(workspace, { tenant: row.tenant.external_id }),
    label: (row) => `pending exceptions in ${row.tenant.name}`,
  },
  {
    key: 'overdue_reviews',
    header: 'Overdue reviews',
    count: (row) => row.overdue_reviews,
    to: (row, workspace) =>
      paths.workspaceExceptions(workspace, { tenant: row.tenant.external_id, review: 'overdue' }),
    label: (row) => `exceptions overdue for review in ${row.tenant.name}`,
  },
  {
    key: 'failed_runs',
    header: 'Failed runs (7 days)',
    count: (row) => row.failed_runs,
    to: (row) => paths.tenantOperations(row.tenant.external_id, { outcome: 'failed' }),
    label: (row) => `runs failed in the last 7 days in ${row.tenant.name}`,
  },
];

/** The overview's columns: the tenant, each figure as a link to what it counts, and the latest run. */
export function overviewColumns(workspace: string): Column<OverviewRow>[] {
  return [
    {
      key: 'name',
      header: 'Tenant',
      sortable: true,
      nowrap: true,
      render: (row) => (
        <Anchor component={Link} to={paths.tenantDashboard(row.tenant.external_id)} fw={500} size="sm">
          {row.tenant.name}
        </Anchor>
      ),
    },
    ...figures.map(
      (figure): Column<OverviewRow> => ({
        key: figure.key,
        header: figure.header,
        sortable: true,
        align: 'right',
        render: (row) => (
          <Figure count={figure.count(row)} to={figure.to(row, workspace)} label={figure.label(row)} />
        ),
      }),
    ),
    {
      key: 'latest_run',
      header: 'Latest run',
      sortable: true,
      nowrap: true,
      render: (row) =>
        row.latest_run ? (
          <Stack gap={2} align="flex-start">
            <Anchor component={Link} to={paths.operationRun(row.latest_run.id)} size="sm">
              {row.latest_run.type} #{row.latest_run.id}
            </Anchor>
            {row.latest_run.outcome ? <RunOutcomeBadge outcome={row.latest_run.outcome} /> : null}
            <Text size="xs" c="dimmed">
              <DateTime value={row.latest_run.at} />
            </Text>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed" fs="italic" component="span">
            No runs yet
          </Text>
        ),
    },
  ];
}
