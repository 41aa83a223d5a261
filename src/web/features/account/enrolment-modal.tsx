import { Alert, Code, Group, Image, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { fieldError } from '../../ui/form-errors.ts';
import { Loading } from '../../ui/loading.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { RecoveryCodesView } from './recovery-codes-view.tsx';
import { useConfirmEnrolment, useStartEnrolment } from './security-api.ts';

const CODE_PATTERN = /^\s*\d{3}\s?\d{3}\s*$/;

/** The secret in groups of four, as authenticator apps show it when typed by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * docs/rules.md "Second factor": a new secret (QR code and text, shown this once), one code from the app
 * to confirm, then the ten recovery codes.
 */
export function EnrolmentModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const start = useStartEnrolment();
  const confirm = useConfirmEnrolment();
  const [code, setCode] = useState('');
  const [checked, setChecked] = useState(false);
  useResetOnOpen(opened, () => {
    setCode('');
    setChecked(false);
    confirm.reset();
    start.mutate();
  });
  const malformed =
    checked && !CODE_PATTERN.test(code) ? 'Enter the 6 digits the app shows for TenantPilot.' : undefined;
  const submit = () => {
    setChecked(true);
    if (CODE_PATTERN.test(code)) confirm.mutate(code);
  };
  const enrolment = start.data;
  return (
    <ActionModal
      title="Set up an authenticator app"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Turn on"
      submitting={confirm.isPending || start.isPending}
      error={confirm.error ?? start.error}
      fields={{ beside: ['totp_code'], labels: { totp_code: 'Code' } }}
      result={confirm.data ? <RecoveryCodesView codes={confirm.data} /> : undefined}
    >
      {enrolment ? (
        <>
          <Text size="sm">
            1. Scan this code with an authenticator app (Microsoft Authenticator, Google Authenticator,
            1Password …).
          </Text>
          <Group justify="center">
            <Image
              src={enrolment.qr_code}
              alt="QR code to add TenantPilot to your authenticator app"
              w={200}
              h={200}
              fit="contain"
            />
          </Group>
          <Text size="sm" c="dimmed">
            Cannot scan? Type this key into the app instead:
          </Text>
          <Code block fz="md" data-testid="totp-secret" style={{ overflowWrap: 'anywhere' }}>
            {grouped(enrolment.secret)}
          </Code>
          <TextInput
            label="2. Enter the 6-digit code the app shows"
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            error={malformed ?? fieldError(confirm.error, 'totp_code', 'Code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            disabled={confirm.isPending}
            data-autofocus
          />
        </>
      ) : start.isError ? (
        <Alert color="red" variant="light" title="Could not start">
          {start.error instanceof Error ? start.error.message : 'Try again in a moment.'}
        </Alert>
      ) : (
        <Stack>
          <Loading label="Preparing your QR code" />
        </Stack>
      )}
    </ActionModal>
  );
}
