import type { MantineColor } from '@mantine/core';
import { DotBadge, PendingBadge } from '../../ui/status-badge.tsx';
import type { RunOutcome, RunStatus } from './api.ts';
import { runOutcomeLabels, runStatusLabels } from './labels.ts';

// Colour only reinforces the text; the label always says the state.
const statusColors: Record<RunStatus, MantineColor> = {
  queued: 'gray',
  running: 'blue',
  completed: 'indigo',
};

const outcomeColors: Record<RunOutcome, MantineColor> = {
  succeeded: 'green',
  partially_succeeded: 'orange',
  failed: 'red',
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <DotBadge color={statusColors[status]} label={runStatusLabels[status]} />;
}

export function RunOutcomeBadge({ outcome }: { outcome: RunOutcome | null }) {
  if (outcome === null) return <PendingBadge label="No outcome yet" />;
  return <DotBadge color={outcomeColors[outcome]} label={runOutcomeLabels[outcome]} />;
}
