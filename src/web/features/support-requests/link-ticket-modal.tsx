import { Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ActionModal, fieldError } from '../../ui/action-modal.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type SupportRequestDetail, useLinkTicket } from './api.ts';

interface LinkTicketModalProps {
  tenant: string;
  request: SupportRequestDetail;
  opened: boolean;
  onClose: () => void;
}

const fieldLabels = {
  external_ticket_reference: 'Ticket reference',
  external_ticket_url: 'Ticket URL',
};

/** docs/rules.md "Support requests", follow-through: link a ticket that was made at the desk by hand. */
export function LinkTicketModal({ tenant, request, opened, onClose }: LinkTicketModalProps) {
  const link = useLinkTicket(tenant, String(request.support_request_id));
  const [reference, setReference] = useState('');
  const [url, setUrl] = useState('');
  const [checked, setChecked] = useState(false);
  useResetOnOpen(opened, () => {
    setReference('');
    setUrl('');
    setChecked(false);
    link.reset();
  });
  const blank = reference.trim() === '';
  const referenceError =
    checked && blank
      ? 'Enter the ticket’s reference, as the desk shows it.'
      : fieldError(link.error, 'external_ticket_reference', fieldLabels.external_ticket_reference);

  const submit = () => {
    setChecked(true);
    if (blank) return;
    link.mutate(
      { external_ticket_reference: reference, external_ticket_url: url.trim() === '' ? null : url.trim() },
      { onSuccess: onClose },
    );
  };

  return (
    <ActionModal
      title={`Link a ticket to ${request.internal_reference}`}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Link ticket"
      submitting={link.isPending}
      error={link.error}
      fields={{ labels: fieldLabels }}
      size="md"
    >
      <Stack gap="sm">
        <Text size="sm">
          For a ticket someone made at the desk: search the desk for {request.internal_reference}, then name
          the ticket here. TenantPilot records it; nothing is sent to the desk.
        </Text>
        <TextInput
          label={fieldLabels.external_ticket_reference}
          value={reference}
          onChange={(event) => setReference(event.currentTarget.value)}
          error={referenceError}
          maxLength={200}
          withAsterisk
          data-autofocus
        />
        <TextInput
          label={fieldLabels.external_ticket_url}
          description="Optional: the ticket's page at the desk (https://…)."
          type="url"
          placeholder="https://"
          value={url}
          onChange={(event) => setUrl(event.currentTarget.value)}
          error={fieldError(link.error, 'external_ticket_url', fieldLabels.external_ticket_url)}
          maxLength={2048}
        />
      </Stack>
    </ActionModal>
  );
}
