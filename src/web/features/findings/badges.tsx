import { Badge, type MantineColor } from '@mantine/core';
import { DotBadge } from '../../ui/status-badge.tsx';
import type { ExceptionStatus, ResponsibilityState, Severity, WorkflowStatus } from './api.ts';
import { responsibilityLabels, severityLabels, workflowStatusLabels } from './labels.ts';

const responsibilityColors: Record<ResponsibilityState, MantineColor> = {
  orphaned_accountability: 'red',
  owned_unassigned: 'yellow',
  assigned: 'green',
};

const severityColors: Record<Severity, MantineColor> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'gray',
};

const workflowColors: Record<WorkflowStatus, MantineColor> = {
  new: 'blue',
  triaged: 'cyan',
  in_progress: 'indigo',
  reopened: 'orange',
  resolved: 'green',
  closed: 'gray',
  risk_accepted: 'grape',
};

const exceptionColors: Record<ExceptionStatus, MantineColor> = {
  pending: 'yellow',
  approved: 'green',
  rejected: 'red',
  expired: 'gray',
  revoked: 'gray',
};

/** `compact` for table cells, where a row carries several badges side by side. */
interface BadgeSize {
  compact?: boolean;
}

export function ResponsibilityBadge({ state, compact }: { state: ResponsibilityState } & BadgeSize) {
  return (
    <DotBadge color={responsibilityColors[state]} label={responsibilityLabels[state]} compact={compact} />
  );
}

export function SeverityBadge({ severity, compact }: { severity: Severity } & BadgeSize) {
  return <DotBadge color={severityColors[severity]} label={severityLabels[severity]} compact={compact} />;
}

export function WorkflowBadge({ status, compact }: { status: WorkflowStatus } & BadgeSize) {
  return <DotBadge color={workflowColors[status]} label={workflowStatusLabels[status]} compact={compact} />;
}

export function ExceptionStatusBadge({ status }: { status: ExceptionStatus }) {
  return <DotBadge color={exceptionColors[status]} label={`Exception ${status}`} />;
}

/** No owner, or an owner who is no longer an active member: nobody can be held to the outcome. */
export function GapMarker({ compact }: BadgeSize) {
  return (
    <Badge
      variant="outline"
      color="red"
      c="red.9"
      radius="sm"
      tt="none"
      fw={600}
      size={compact ? 'sm' : 'md'}
      miw="max-content"
      leftSection={<span aria-hidden="true">⚠</span>}
    >
      Accountability gap
    </Badge>
  );
}

export function ReviewOverdueBadge() {
  return (
    <Badge variant="filled" color="red.8" radius="sm" tt="none" fw={600} size="md" miw="max-content">
      Review overdue
    </Badge>
  );
}
