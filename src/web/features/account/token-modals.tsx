import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { fieldError } from '../../ui/form-errors.ts';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type CreatedToken, type TokenView, useCreateToken, useRevokeToken } from './api.ts';

const NAME_LIMIT = 100;

/** The secret, once: selectable, copyable, and said plainly that it will not be shown again. */
function CreatedTokenView({ created }: { created: CreatedToken }) {
  return (
    <Stack gap="sm">
      <Alert
        color="yellow"
        variant="light"
        title="Copy the token now"
        role="status"
        // Yellow title text on a yellow background is below 4.5:1.
        styles={{ title: { color: 'var(--mantine-color-text)' } }}
      >
        <Text size="sm">
          You will not see it again: TenantPilot keeps only a fingerprint of it. If you lose it, revoke it and
          create a new one.
        </Text>
      </Alert>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          label={`Token “${created.name}”`}
          value={created.token}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          style={{ flex: 1, minWidth: 0 }}
        />
        <CopyButton value={created.token}>
          {({ copied, copy }) => (
            <Button variant={copied ? 'light' : 'filled'} onClick={copy} miw={96}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm" c="dimmed">
        Send it as <code>Authorization: Bearer …</code>. It acts as you, with your roles, until you revoke it.
      </Text>
    </Stack>
  );
}

export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [checked, setChecked] = useState(false);
  useResetOnOpen(opened, () => {
    setName('');
    setChecked(false);
    create.reset();
  });
  const blank = checked && name.trim() === '' ? 'Give the token a name you will recognise.' : undefined;
  const submit = () => {
    setChecked(true);
    if (name.trim() !== '') create.mutate({ name });
  };
  return (
    <ActionModal
      title="Create an API token"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Create token"
      submitting={create.isPending}
      error={create.error}
      fields={{ beside: ['name'], labels: { name: 'Name' } }}
      result={create.data ? <CreatedTokenView created={create.data} /> : undefined}
    >
      <TextInput
        label="Name"
        description="What the token is for, such as “Nightly export” (up to 100 characters)."
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={blank ?? fieldError(create.error, 'name', 'Name')}
        maxLength={NAME_LIMIT}
        required
        disabled={create.isPending}
        data-autofocus
      />
      <Text size="sm" c="dimmed">
        A token lets a script use the API as you, with your roles. It is shown once, right after you create
        it.
      </Text>
    </ActionModal>
  );
}

interface RevokeTokenModalProps {
  token: TokenView | null;
  onClose: () => void;
}

export function RevokeTokenModal({ token, onClose }: RevokeTokenModalProps) {
  const revoke = useRevokeToken();
  const opened = token !== null;
  // The last token asked about, so the text stays while the modal closes.
  const [shown, setShown] = useState<TokenView | null>(token);
  useResetOnOpen(opened, () => {
    setShown(token);
    revoke.reset();
  });
  const submit = () => {
    if (!shown) return;
    revoke.mutate(shown, {
      onSuccess: () => {
        notifications.show({ message: `Token “${shown.name}” revoked.`, color: 'green' });
        onClose();
      },
    });
  };
  return (
    <ActionModal
      title="Revoke API token"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Revoke token"
      tone="danger"
      submitting={revoke.isPending}
      error={revoke.error}
    >
      <Text size="sm">
        Revoke “{shown?.name}”? Anything still using it stops working at once (its requests are refused). This
        cannot be undone; you can create a new token.
      </Text>
    </ActionModal>
  );
}
