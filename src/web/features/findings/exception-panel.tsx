import { DataList, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { DataTable } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import type { ExceptionView, FindingDetail } from './api.ts';
import { ExceptionStatusBadge, ReviewOverdueBadge } from './badges.tsx';
import { ExceptionDecisions } from './exception-decisions.tsx';

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function ReviewDue({ exception }: { exception: ExceptionView }) {
  return (
    <Group gap="xs">
      <DateTime value={exception.review_due_at} />
      {exception.review_overdue ? <ReviewOverdueBadge /> : null}
    </Group>
  );
}

function CurrentException({ finding, tenant }: { finding: FindingDetail; tenant: string }) {
  const exception = finding.exception;
  if (!exception) {
    return (
      <Text size="sm" c="dimmed">
        No pending or active exception. Any exception below was rejected, revoked or has expired.
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
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {exception.request_reason}
          </Text>
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
      </DataList>
      {finding.capabilities.includes('finding_exceptions.decide') ? (
        <ExceptionDecisions tenant={tenant} findingId={finding.finding_id} exception={exception} />
      ) : null}
    </Stack>
  );
}

const exceptionColumns = [
  {
    key: 'status',
    header: 'Status',
    nowrap: true,
    render: (e: ExceptionView) => <ExceptionStatusBadge status={e.status} />,
  },
  { key: 'owner', header: 'Exception owner', render: (e: ExceptionView) => e.owner.display_name },
  { key: 'requested_by', header: 'Requested by', render: (e: ExceptionView) => e.requested_by.display_name },
  {
    key: 'requested_at',
    header: 'Requested',
    nowrap: true,
    render: (e: ExceptionView) => <DateTime value={e.requested_at} />,
  },
  {
    key: 'review_due_at',
    header: 'Review due',
    nowrap: true,
    render: (e: ExceptionView) => <ReviewDue exception={e} />,
  },
  {
    key: 'expires_at',
    header: 'Expires',
    nowrap: true,
    render: (e: ExceptionView) => <DateTime value={e.expires_at} />,
  },
  {
    key: 'decided',
    header: 'Decided',
    render: (e: ExceptionView) =>
      e.decided_by ? (
        <>
          {e.decided_by.display_name}, <DateTime value={e.decided_at} />
        </>
      ) : (
        '—'
      ),
  },
];

/** The current exception with its decisions, then every exception the finding has had. */
export function ExceptionPanel({ finding, tenant }: { finding: FindingDetail; tenant: string }) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="exception-heading">
      <Title order={2} fz="h4" id="exception-heading">
        Current exception
      </Title>
      <Paper withBorder radius="md" p="lg">
        <CurrentException finding={finding} tenant={tenant} />
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
              minWidth={900}
            />
          </Paper>
        </>
      ) : null}
    </Stack>
  );
}
