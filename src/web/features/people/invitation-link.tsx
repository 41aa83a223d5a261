import { Button, CopyButton, Group, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { formatDateTime } from '../../ui/format.ts';
import { Notice } from '../administration/notice.tsx';
import type { InvitationResult } from './api.ts';

/**
 * The one-time link, shown once: the server keeps only its digest, so this is the only chance to copy
 * it. Says whether it was also e-mailed.
 */
export function InvitationLink({ result }: { result: InvitationResult }) {
  const { person } = result;
  if (result.outcome === 'added' || !result.invitation_url) {
    return (
      <Notice color="green" role="status" title={`${person.display_name} is now a member`}>
        <Text size="sm">
          {person.email} already has a TenantPilot account, so no invitation link is needed: they see this
          workspace the next time they sign in. Nothing about their account changed.
        </Text>
      </Notice>
    );
  }
  return (
    <Stack gap="md">
      <Notice color="green" role="status" title={`Invitation ready for ${person.display_name}`}>
        <Text size="sm">
          {result.email_sent
            ? `It was also e-mailed to ${person.email}.`
            : `It was not e-mailed (no mail server is set up, or it refused the message): send the link to ${person.email} yourself.`}{' '}
          The link works once
          {result.invitation_expires_at ? `, until ${formatDateTime(result.invitation_expires_at)}` : ''}; it
          lets them choose a password and sign in.
        </Text>
      </Notice>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Invitation link"
          value={result.invitation_url}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
          style={{ flex: '1 1 240px' }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <CopyButton value={result.invitation_url}>
          {({ copied, copy }) => (
            <>
              <Button onClick={copy} variant={copied ? 'light' : 'filled'} miw={110}>
                {copied ? 'Copied' : 'Copy link'}
              </Button>
              <VisuallyHidden aria-live="polite">{copied ? 'Link copied' : ''}</VisuallyHidden>
            </>
          )}
        </CopyButton>
      </Group>
      <Notice color="yellow" title="You will not see this link again">
        <Text size="sm">
          TenantPilot keeps only a fingerprint of it. Copy it now; if it is lost, make a new one from{' '}
          {person.display_name}’s page (the old one then stops working).
        </Text>
      </Notice>
    </Stack>
  );
}
