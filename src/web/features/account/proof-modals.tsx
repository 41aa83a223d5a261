import { PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { fieldError } from '../../ui/form-errors.ts';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { RecoveryCodesView } from './recovery-codes-view.tsx';
import {
  type SecondFactorProof,
  useDisableSecondFactor,
  useRegenerateRecoveryCodes,
} from './security-api.ts';

type ProofKind = keyof SecondFactorProof;

const proofLabels: Record<ProofKind, string> = {
  password: 'Password',
  totp_code: 'App code',
  recovery_code: 'Recovery code',
};

/** "It is you": the password, a code from the app, or a recovery code — one field, the kind chosen above it. */
function ProofField({
  kind,
  onKind,
  value,
  onValue,
  error,
  disabled,
}: {
  kind: ProofKind;
  onKind: (kind: ProofKind) => void;
  value: string;
  onValue: (value: string) => void;
  error: unknown;
  disabled: boolean;
}) {
  const problem = fieldError(error, kind, proofLabels[kind]);
  return (
    <Stack gap="xs">
      <Text size="sm" id="proof-kind-label">
        Confirm it is you with
      </Text>
      <SegmentedControl
        aria-labelledby="proof-kind-label"
        value={kind}
        onChange={(next) => {
          onKind(next as ProofKind);
          onValue('');
        }}
        data={Object.entries(proofLabels).map(([key, label]) => ({ value: key, label }))}
        fullWidth
        disabled={disabled}
      />
      {kind === 'password' ? (
        <PasswordInput
          label="Your password"
          value={value}
          onChange={(event) => onValue(event.currentTarget.value)}
          autoComplete="current-password"
          error={problem}
          aria-invalid={problem ? true : undefined}
          required
          disabled={disabled}
          data-autofocus
        />
      ) : (
        <TextInput
          label={kind === 'totp_code' ? 'The 6-digit code from your app' : 'One of your recovery codes'}
          value={value}
          onChange={(event) => onValue(event.currentTarget.value)}
          inputMode={kind === 'totp_code' ? 'numeric' : 'text'}
          autoComplete="one-time-code"
          error={problem}
          required
          disabled={disabled}
        />
      )}
    </Stack>
  );
}

function useProofForm(opened: boolean, reset: () => void) {
  const [kind, setKind] = useState<ProofKind>('password');
  const [value, setValue] = useState('');
  useResetOnOpen(opened, () => {
    setKind('password');
    setValue('');
    reset();
  });
  const proof = { [kind]: value } as SecondFactorProof;
  return { kind, setKind, value, setValue, proof, filled: value.trim() !== '' };
}

const fields = { beside: ['password', 'totp_code', 'recovery_code'], labels: proofLabels };

export function DisableSecondFactorModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const disable = useDisableSecondFactor();
  const form = useProofForm(opened, () => disable.reset());
  const submit = () => {
    if (!form.filled) return;
    disable.mutate(form.proof, {
      onSuccess: () => {
        notifications.show({
          message: 'Two-step sign-in is off. Your recovery codes no longer work.',
          color: 'green',
        });
        onClose();
      },
    });
  };
  return (
    <ActionModal
      title="Turn off two-step sign-in"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Turn off"
      tone="danger"
      submitting={disable.isPending}
      error={disable.error}
      fields={fields}
    >
      <Text size="sm">
        Your authenticator app and recovery codes stop working. A workspace that requires a second factor will
        ask you to set one up again before you can open it.
      </Text>
      <ProofField
        kind={form.kind}
        onKind={form.setKind}
        value={form.value}
        onValue={form.setValue}
        error={disable.error}
        disabled={disable.isPending}
      />
    </ActionModal>
  );
}

export function RegenerateCodesModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const regenerate = useRegenerateRecoveryCodes();
  const form = useProofForm(opened, () => regenerate.reset());
  const submit = () => {
    if (form.filled) regenerate.mutate(form.proof);
  };
  return (
    <ActionModal
      title="New recovery codes"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Make new codes"
      submitting={regenerate.isPending}
      error={regenerate.error}
      fields={fields}
      result={regenerate.data ? <RecoveryCodesView codes={regenerate.data} /> : undefined}
    >
      <Text size="sm">Ten new codes replace all of your current ones, used or not.</Text>
      <ProofField
        kind={form.kind}
        onKind={form.setKind}
        value={form.value}
        onValue={form.setValue}
        error={regenerate.error}
        disabled={regenerate.isPending}
      />
    </ActionModal>
  );
}
