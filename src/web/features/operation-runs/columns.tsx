import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { Column } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { humanize } from '../../ui/format.ts';
import type { RunView } from './api.ts';
import { RunOutcomeBadge, RunStatusBadge } from './badges.tsx';

/** The run's type, linking to its detail page: the row's way in. */
const typeColumn: Column<RunView> = {
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
const runColumn: Column<RunView> = {
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

const statusColumn: Column<RunView> = {
  key: 'status',
  nowrap: true,
  header: 'Status',
  render: (run) => <RunStatusBadge status={run.status} />,
};

const outcomeColumn: Column<RunView> = {
  key: 'outcome',
  nowrap: true,
  header: 'Outcome',
  render: (run) => <RunOutcomeBadge outcome={run.outcome} />,
};

const summaryColumn: Column<RunView> = {
  key: 'summary',
  header: 'Summary',
  render: (run) => (
    <Text size="sm" lineClamp={2} miw={140} title={run.summary ?? undefined}>
      {run.summary ?? '—'}
    </Text>
  ),
};

const startedColumn: Column<RunView> = {
  key: 'started_at',
  nowrap: true,
  header: 'Started',
  render: (run) => <DateTime value={run.started_at} />,
};

const completedColumn: Column<RunView> = {
  key: 'completed_at',
  nowrap: true,
  header: 'Completed',
  render: (run) => <DateTime value={run.completed_at} />,
};

/** The dashboard's short list. */
export const recentRunColumns: Column<RunView>[] = [
  typeColumn,
  statusColumn,
  outcomeColumn,
  startedColumn,
  completedColumn,
];

/** The operations list. */
export const runColumns: Column<RunView>[] = [
  runColumn,
  statusColumn,
  outcomeColumn,
  summaryColumn,
  startedColumn,
  completedColumn,
];
