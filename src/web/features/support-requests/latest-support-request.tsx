import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { DateTime } from '../../ui/date-time.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { ErrorState } from '../../ui/error-state.tsx';
import { Loading } from '../../ui/loading.tsx';
import {
  type LatestSupportRequestHandoffSummary,
  type SupportContext,
  useLatestSupportRequest,
} from './api.ts';
import { HandoffOutcomeBadge, SeverityBadge } from './badges.tsx';
import { ExternalTicketLink } from './handoff-result.tsx';

function LatestSummaryCard({
  latest,
  tenant,
}: {
  latest: LatestSupportRequestHandoffSummary;
  tenant: string;
}) {
  return (
    <Stack gap="xs" p="lg">
      <Group gap="sm" wrap="wrap">
        <Anchor component={Link} to={paths.supportRequest(tenant, latest.support_request_id)} fw={600}>
          {latest.internal_reference}
        </Anchor>
        <SeverityBadge severity={latest.severity} named />
        <HandoffOutcomeBadge outcome={latest.handoff_outcome} />
      </Group>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {latest.summary}
      </Text>
      <Text size="sm" c="dimmed">
        Submitted <DateTime value={latest.submitted_at} />
      </Text>
      {latest.external_ticket_url ? (
        <ExternalTicketLink url={latest.external_ticket_url}>
          Ticket {latest.external_ticket_reference}
        </ExternalTicketLink>
      ) : latest.external_ticket_reference ? (
        <Text size="sm">Ticket {latest.external_ticket_reference}</Text>
      ) : null}
      {latest.has_failure && latest.external_handoff_failure_summary ? (
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          <Text span fw={600} inherit>
            Desk handoff failed:
          </Text>{' '}
          {latest.external_handoff_failure_summary}
        </Text>
      ) : null}
    </Stack>
  );
}

/** The newest request of this context (tenant-context requests only on the dashboard; the run's own on a run). */
export function LatestSupportRequest({ context }: { context: SupportContext }) {
  const latest = useLatestSupportRequest(context);
  const where = context.type === 'tenant' ? 'tenant' : 'run';
  return (
    <Paper withBorder radius="md">
      {latest.isError ? (
        <Stack p="md">
          <ErrorState error={latest.error} onRetry={() => latest.refetch()} pageLevel={false} />
        </Stack>
      ) : latest.isPending ? (
        <Loading label="Loading the latest support request" />
      ) : latest.data ? (
        <LatestSummaryCard latest={latest.data} tenant={context.tenant} />
      ) : (
        <EmptyState
          title={`No support requests yet for this ${where}`}
          description="Requests filed here, and what the support desk made of them, show up in this place."
        />
      )}
    </Paper>
  );
}
