import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { describeSaveError } from '../../ui/form-errors.ts';
import { type SupportRequestDetail, useHandOffAgain, useSupportDesk } from './api.ts';
import { AttemptsTable } from './attempts-table.tsx';
import { LinkTicketModal } from './link-ticket-modal.tsx';
import { deskName } from './request-support-form.tsx';

// The tint says the kind of news; titles stay dark: tinted text on a tint is below 4.5:1.
const darkTitle = { title: { color: 'var(--mantine-color-text)' } };

/** What the last hand-off again did, said once it has answered (the detail below already shows it too). */
function HandOffAnswer({ request, desk }: { request: SupportRequestDetail; desk: string }) {
  const last = request.attempts.at(-1);
  if (last?.kind !== 'hand_off_again' || last.outcome === null) return null;
  if (last.outcome === 'failed') {
    return (
      <Alert
        color="yellow"
        variant="light"
        title="The desk handoff failed again"
        role="status"
        styles={darkTitle}
      >
        {last.summary} The request is kept as it was; you can hand it off again later, or link a ticket.
      </Alert>
    );
  }
  const title =
    last.outcome === 'found'
      ? `${desk} already had ticket ${last.external_ticket_reference} for ${request.internal_reference}: linked, not made twice`
      : `Ticket ${last.external_ticket_reference} created in ${desk}`;
  return <Alert color="green" variant="light" title={title} role="status" styles={darkTitle} />;
}

/**
 * docs/rules.md "Support requests", follow-through: "Link a ticket" and "Hand off again" where the server says they
 * apply (available_actions), and every attempt the request has had.
 */
export function FollowThroughPanel({ tenant, request }: { tenant: string; request: SupportRequestDetail }) {
  const desk = deskName(useSupportDesk().data);
  const handOff = useHandOffAgain(tenant, String(request.support_request_id));
  const [linking, linkModal] = useDisclosure(false);
  const { link, hand_off_again } = request.available_actions;
  const refusal = describeSaveError(handOff.error);

  return (
    <Stack gap="sm" component="section" aria-labelledby="follow-through-heading">
      <Group justify="space-between" align="center" gap="sm" mih={36}>
        <Title order={2} fz="h4" id="follow-through-heading">
          Handoff attempts
        </Title>
        <Group gap="sm">
          {hand_off_again ? (
            <Button onClick={() => handOff.mutate(undefined)} loading={handOff.isPending}>
              Hand off again
            </Button>
          ) : null}
          {link ? (
            <Button variant="default" onClick={linkModal.open} disabled={handOff.isPending}>
              Link a ticket
            </Button>
          ) : null}
        </Group>
      </Group>
      {hand_off_again && !handOff.isPending && !handOff.data ? (
        <Text size="sm" c="dimmed">
          Hand off again makes one more attempt under {request.internal_reference}. Where {desk} can be
          searched by it, a ticket an earlier attempt made is found and linked instead of made twice.
        </Text>
      ) : null}
      {handOff.isPending ? (
        <Alert color="blue" variant="light" role="status">
          Handing off to {desk}… (up to 5 s)
        </Alert>
      ) : null}
      {refusal ? (
        <Alert color="red" variant="light" title="Not handed off" role="alert" styles={darkTitle}>
          {refusal.message}
        </Alert>
      ) : null}
      {handOff.data ? <HandOffAnswer request={request} desk={desk} /> : null}
      <Paper withBorder radius="md">
        <AttemptsTable attempts={request.attempts} />
      </Paper>
      <LinkTicketModal tenant={tenant} request={request} opened={linking} onClose={linkModal.close} />
    </Stack>
  );
}
