import { DataList, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { type Column, DataTable } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { Field, Prose } from '../../ui/detail-list.tsx';
import { useSession } from '../tenancy/api.ts';
import type { ExceptionView, FindingDetailSurface } from './api.ts';
import { ExceptionStatusBadge, ReviewOverdueBadge } from './badges.tsx';
import { DecisionModal, ExceptionDecisions, type PendingDecision } from './exception-decisions.tsx';

function ReviewDue({ exception }: { exception: ExceptionView }) {
  return (
    <Group gap="xs">
      <DateTime value={exception.review_due_at} />
      {exception.review_overdue ? <ReviewOverdueBadge /> : null}
    </Group>
  );
}

interface CurrentExceptionProps {
  finding: FindingDetailSurface;
  userId: number | undefined;
  onDecide: (pending: PendingDecision) => void;
}

function CurrentException({ finding, userId, onDecide }: CurrentExceptionProps) {
  const exception = finding.exception;
  if (!exception) {
    return (
      <Text size="sm" c="dimmed">
        No pending or active exception.
        {finding.exceptions.length > 0 ? ' The exceptions below were rejected, revoked or have expired.' : ''}
      </Text>
    );
  }
  return (
    <Stack gap="md">
      <DataList withDivider labelWidth={160} size="sm">
        <Field label="Status">
          <ExceptionStatusBadge status={exception.status} />
        </Field>
        <Field label="Exception owner">{exception.owner.display_name}</Field>
        <Field label="Requested by">
          {exception.requested_by.display_name}, <DateTime value={exception.requested_at} />
        </Field>
        <Field label="Reason">
          <Prose value={exception.request_reason} />
        </Field>
        <Field label="Review due">
          <ReviewDue exception={exception} />
        </Field>
        <Field label="Expires">
          {exception.expires_at ? <DateTime value={exception.expires_at} /> : 'No expiry'}
        </Field>
        {exception.decided_by ? (
          <Field label="Decided by">
            {exception.decided_by.display_name}, <DateTime value={exception.decided_at} />
          </Field>
        ) : null}
        {exception.decision_note ? (
          <Field label="Decision note">
            <Prose value={exception.decision_note} />
          </Field>
        ) : null}
      </DataList>
      {finding.capabilities.includes('finding_exceptions.decide') ? (
        <ExceptionDecisions exception={exception} userId={userId} onDecide={onDecide} />
      ) : null}
    </Stack>
  );
}

/** A person and when they acted, on two lines so the table stays narrow. */
function Who({ user, at }: { user: { display_name: string } | null; at: string | null }) {
  if (!user) return <Text size="sm">—</Text>;
  return (
    <Stack gap={0}>
      <Text size="sm">{user.display_name}</Text>
      <Text size="xs" c="dimmed">
        <DateTime value={at} />
      </Text>
    </Stack>
  );
}

const exceptionColumns: Column<ExceptionView>[] = [
  {
    key: 'status',
    header: 'Status',
    nowrap: true,
    render: (e) => <ExceptionStatusBadge status={e.status} />,
  },
  { key: 'owner', header: 'Exception owner', render: (e) => e.owner.display_name },
  { key: 'requested', header: 'Requested', render: (e) => <Who user={e.requested_by} at={e.requested_at} /> },
  {
    key: 'review_due_at',
    header: 'Review due',
    render: (e) => (
      <Stack gap={4} align="flex-start">
        <DateTime value={e.review_due_at} />
        {e.review_overdue ? <ReviewOverdueBadge /> : null}
      </Stack>
    ),
  },
  {
    key: 'expires_at',
    header: 'Expires',
    render: (e) => (e.expires_at ? <DateTime value={e.expires_at} /> : 'No expiry'),
  },
  {
    key: 'decided',
    header: 'Decided',
    render: (e) => (
      <Stack gap={2}>
        <Who user={e.decided_by} at={e.decided_at} />
        {e.decision_note ? (
          <Text size="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            “{e.decision_note}”
          </Text>
        ) : null}
      </Stack>
    ),
  },
];

/** The current exception with its decisions, then every exception the finding has had. */
export function ExceptionPanel({ finding, tenant }: { finding: FindingDetailSurface; tenant: string }) {
  const session = useSession();
  // The last decision asked for stays after closing, so the modal can close (and return focus) in place.
  const [pending, setPending] = useState<PendingDecision | null>(null);
  const [opened, setOpened] = useState(false);
  const decide = (next: PendingDecision) => {
    setPending(next);
    setOpened(true);
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="exception-heading">
      <Title order={2} fz="h4" id="exception-heading">
        Current exception
      </Title>
      <Paper withBorder radius="md" p="lg">
        <CurrentException finding={finding} userId={session.data?.user.id} onDecide={decide} />
      </Paper>
      {finding.exceptions.length > 0 ? (
        <>
          <Title order={3} fz="h5" mt="sm">
            All exceptions
          </Title>
          <Paper withBorder radius="md">
            <DataTable
              caption="Exceptions of this finding, newest first"
              columns={exceptionColumns}
              rows={finding.exceptions}
              rowKey={(exception) => exception.id}
              minWidth={720}
            />
          </Paper>
        </>
      ) : null}
      {pending ? (
        <DecisionModal
          opened={opened}
          tenant={tenant}
          findingId={finding.finding_id}
          exception={pending.exception}
          decision={pending.decision}
          onClose={() => setOpened(false)}
        />
      ) : null}
    </Stack>
  );
}
