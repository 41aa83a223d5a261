import { Text } from '@mantine/core';
import type { Column } from '../../ui/data-table.tsx';
import { DataTable } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { DotBadge, PendingBadge } from '../../ui/status-badge.tsx';
import type { AttemptOutcome, SupportRequestAttempt } from './api.ts';
import { ExternalTicketLink } from './handoff-result.tsx';
import { attemptKindLabels, attemptOutcomeLabels } from './labels.ts';

const outcomeColors: Record<AttemptOutcome, string> = {
  created: 'green',
  found: 'green',
  linked: 'indigo',
  failed: 'orange',
};

function AttemptOutcomeBadge({ outcome }: { outcome: AttemptOutcome | null }) {
  if (outcome === null) return <PendingBadge label="In flight" />;
  return <DotBadge color={outcomeColors[outcome]} label={attemptOutcomeLabels[outcome]} compact />;
}

/** The ticket an attempt made, found or linked, or why it failed. */
function AttemptDetail({ attempt }: { attempt: SupportRequestAttempt }) {
  if (attempt.external_ticket_url) {
    return (
      <ExternalTicketLink url={attempt.external_ticket_url}>
        {attempt.external_ticket_reference}
      </ExternalTicketLink>
    );
  }
  const text =
    attempt.external_ticket_reference ??
    attempt.summary ??
    (attempt.outcome === null ? 'Waiting for the desk' : '—');
  return (
    <Text size="sm" miw={180} style={{ overflowWrap: 'anywhere' }}>
      {text}
    </Text>
  );
}

const columns: Column<SupportRequestAttempt>[] = [
  {
    key: 'when',
    header: 'When',
    nowrap: true,
    render: (attempt) => <DateTime value={attempt.started_at} />,
  },
  {
    key: 'what',
    header: 'Attempt',
    render: (attempt) => (
      <>
        <Text size="sm" fw={500}>
          {attemptKindLabels[attempt.kind]}
        </Text>
        <Text size="xs" c="dimmed">
          by {attempt.actor.display_name}
        </Text>
      </>
    ),
  },
  {
    key: 'outcome',
    header: 'Outcome',
    nowrap: true,
    render: (attempt) => <AttemptOutcomeBadge outcome={attempt.outcome} />,
  },
  {
    key: 'detail',
    header: 'Ticket or reason',
    render: (attempt) => <AttemptDetail attempt={attempt} />,
  },
];

/** Every handoff attempt of a request, oldest first (docs/rules.md "Support requests", follow-through). */
export function AttemptsTable({ attempts }: { attempts: SupportRequestAttempt[] }) {
  if (attempts.length === 0) {
    return (
      <Text size="sm" c="dimmed" p="md">
        No desk handoff yet: this request was recorded without calling the desk.
      </Text>
    );
  }
  return (
    <DataTable
      caption="Handoff attempts"
      columns={columns}
      rows={attempts}
      rowKey={(attempt) => attempt.attempt_id}
      minWidth={640}
    />
  );
}
