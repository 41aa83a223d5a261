import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { Column } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { humanize } from '../../ui/format.ts';
import { OutcomeBadge, StatusBadge } from '../../ui/status-badge.tsx';
import type { Run } from './api.ts';

/** The run's type, linking to its detail page: the row's way in. */
const typeColumn: Column<Run> = {
  key: 'type',
  nowrap: true,
  header: 'Type',
  render: (run) => (
    <Anchor
      component={Link}
      to={paths.operationRun(run.id)}
      fw={500}
      aria-label={`${humanize(run.type)}, run ${run.id}`}
    >
      {humanize(run.type)}
    </Anchor>
  ),
};

/** The list's first column: the type as the row's link, the run number beneath it. */
const runColumn: Column<Run> = {
  key: 'run',
  header: 'Run',
  nowrap: true,
  render: (run) => (
    <>
      {typeColumn.render(run)}
      <Text size="xs" c="dimmed">
        #{run.id}
      </Text>
    </>
  ),
};

const statusColumn: Column<Run> = {
  key: 'status',
  nowrap: true,
  header: 'Status',
  render: (run) => <StatusBadge status={run.status} />,
};

const outcomeColumn: Column<Run> = {
  key: 'outcome',
  nowrap: true,
  header: 'Outcome',
  render: (run) => <OutcomeBadge outcome={run.outcome} />,
};

const summaryColumn: Column<Run> = {
  key: 'summary',
  header: 'Summary',
  render: (run) => (
    <Text size="sm" lineClamp={2} miw={140} title={run.summary ?? undefined}>
      {run.summary ?? '—'}
    </Text>
  ),
};

const startedColumn: Column<Run> = {
  key: 'started_at',
  nowrap: true,
  header: 'Started',
  render: (run) => <DateTime value={run.started_at} />,
};

const completedColumn: Column<Run> = {
  key: 'completed_at',
  nowrap: true,
  header: 'Completed',
  render: (run) => <DateTime value={run.completed_at} />,
};

/** The dashboard's short list. */
export const recentRunColumns: Column<Run>[] = [
  typeColumn,
  statusColumn,
  outcomeColumn,
  startedColumn,
  completedColumn,
];

/** The operations list. */
export const runColumns: Column<Run>[] = [
  runColumn,
  statusColumn,
  outcomeColumn,
  summaryColumn,
  startedColumn,
  completedColumn,
];
