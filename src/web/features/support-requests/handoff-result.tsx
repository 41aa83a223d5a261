import { Alert, Anchor, Stack, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { SupportRequestHandoffResult } from './api.ts';

interface HandoffResultViewProps {
  result: SupportRequestHandoffResult;
  tenant: string;
  deskName: string;
}

/** Opens in a new tab: the desk is another application, the operator keeps TenantPilot open. */
export function ExternalTicketLink({ url, children }: { url: string; children: React.ReactNode }) {
  return (
    <Anchor href={url} target="_blank" rel="noopener noreferrer" size="sm">
      {children}
      <span aria-hidden="true"> ↗</span>
      <VisuallyHidden> (opens in a new tab)</VisuallyHidden>
    </Anchor>
  );
}

function headline(result: SupportRequestHandoffResult, deskName: string): { title: string; color: string } {
  switch (result.handoff_outcome) {
    case 'external_ticket_created':
      return { title: `Ticket ${result.external_ticket_reference} created in ${deskName}`, color: 'green' };
    case 'external_ticket_linked':
      return { title: `Linked to ${result.external_ticket_reference}`, color: 'green' };
    case 'external_handoff_failed':
      return {
        title: `Saved as ${result.internal_reference} but the desk handoff failed: ${result.failure_summary ?? 'no reason given'}`,
        color: 'yellow',
      };
    default:
      return { title: `Saved as ${result.internal_reference}`, color: 'green' };
  }
}

/** The modal's answer after a submit: what happened at the desk, and always the SR reference. */
export function HandoffResultView({ result, tenant, deskName }: HandoffResultViewProps) {
  const { title, color } = headline(result, deskName);
  return (
    // The tint says the kind of result; the title stays dark: tinted text on a tint is below 4.5:1.
    <Alert
      color={color}
      variant="light"
      title={title}
      role="status"
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      <Stack gap="xs">
        {result.handoff_outcome === 'external_handoff_failed' ? (
          <Text size="sm">
            Nothing was lost: the request is saved in TenantPilot. Quote its reference when you contact the
            desk.
          </Text>
        ) : null}
        <Text size="sm">
          Support request reference: <strong>{result.internal_reference}</strong>
        </Text>
        {result.external_ticket_url ? (
          <ExternalTicketLink url={result.external_ticket_url}>
            Open ticket {result.external_ticket_reference}
          </ExternalTicketLink>
        ) : null}
        <Anchor component={Link} to={paths.supportRequest(tenant, result.support_request_id)} size="sm">
          View support request {result.internal_reference}
        </Anchor>
      </Stack>
    </Alert>
  );
}
