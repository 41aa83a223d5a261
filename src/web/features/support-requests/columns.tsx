import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { Column } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { humanize } from '../../ui/format.ts';
import type { SupportRequestView } from './api.ts';
import { HandoffOutcomeBadge, SeverityBadge } from './badges.tsx';
import { ExternalTicketLink } from './handoff-result.tsx';

/** "Tenant" or a link to the run the request was filed from. */
export function ContextLink({ request }: { request: SupportRequestView }) {
  if (request.primary_context_type === 'tenant') {
    return <Text size="sm">Tenant</Text>;
  }
  const run = request.operation_run;
  const label = run
    ? `${humanize(run.type)} · Run #${request.primary_context_id}`
    : `Run #${request.primary_context_id}`;
  return (
    <Anchor component={Link} to={paths.operationRun(request.primary_context_id)} size="sm">
      {label}
    </Anchor>
  );
}

/** The desk's side of a request: its ticket, the reason the handoff failed, or nothing. */
export function ExternalTicket({ request }: { request: SupportRequestView }) {
  if (request.external_ticket_url) {
    return (
      <ExternalTicketLink url={request.external_ticket_url}>
        {request.external_ticket_reference}
      </ExternalTicketLink>
    );
  }
  if (request.external_ticket_reference) return <Text size="sm">{request.external_ticket_reference}</Text>;
  if (request.failure_summary) {
    return (
      <Text size="sm" lineClamp={3} miw={180} title={request.failure_summary}>
        {request.failure_summary}
      </Text>
    );
  }
  return <Text size="sm">—</Text>;
}

export function supportRequestColumns(tenant: string): Column<SupportRequestView>[] {
  return [
    {
      key: 'reference',
      header: 'Request',
      nowrap: true,
      render: (request) => (
        <>
          <Anchor component={Link} to={paths.supportRequest(tenant, request.support_request_id)} fw={500}>
            {request.internal_reference}
          </Anchor>
          <Text size="xs" c="dimmed">
            <DateTime value={request.submitted_at} />
          </Text>
        </>
      ),
    },
    {
      key: 'severity',
      header: 'Severity',
      nowrap: true,
      render: (request) => <SeverityBadge severity={request.severity} />,
    },
    {
      key: 'summary',
      header: 'Summary',
      render: (request) => (
        <Text size="sm" lineClamp={2} miw={160} title={request.summary} style={{ overflowWrap: 'anywhere' }}>
          {request.summary}
        </Text>
      ),
    },
    {
      key: 'context',
      header: 'Context',
      nowrap: true,
      render: (request) => <ContextLink request={request} />,
    },
    {
      key: 'outcome',
      header: 'Handoff',
      nowrap: true,
      render: (request) => <HandoffOutcomeBadge outcome={request.handoff_outcome} />,
    },
    {
      key: 'external',
      header: 'External ticket',
      render: (request) => <ExternalTicket request={request} />,
    },
  ];
}
