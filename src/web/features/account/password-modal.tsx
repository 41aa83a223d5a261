import { Alert, PasswordInput, Text } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../app/http.ts';
import { ActionModal } from '../../ui/action-modal.tsx';
import { fieldError, NOTHING_SAVED, waitFor } from '../../ui/form-errors.ts';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { newPasswordProblems, useChangePassword } from './api.ts';
import { NewPasswordFields } from './password-fields.tsx';

const labels = { current_password: 'Current password', new_password: 'New password' };

/** A lock-out after too many wrong current passwords says when to try again, like sign-in. */
function lockedOut(error: unknown): Error | undefined {
  if (!isApiError(error, 429)) return undefined;
  const when = error.retryAfterSeconds === null ? 'later' : waitFor(error.retryAfterSeconds);
  return new Error(`Too many wrong current passwords. Try again ${when}. ${NOTHING_SAVED}`);
}

/** "Current password is not your current password" says it twice: this field gets its own words. */
function currentPasswordError(error: unknown): string | undefined {
  const message = fieldError(error, 'current_password');
  if (!message) return undefined;
  return /current password/i.test(message) ? 'This is not your current password.' : message;
}

export function PasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [checked, setChecked] = useState(false);
  useResetOnOpen(opened, () => {
    for (const clear of [setCurrent, setPassword, setConfirmation]) clear('');
    setChecked(false);
    change.reset();
  });

  const problems = newPasswordProblems(password, confirmation);
  const local = checked
    ? { ...problems, current: current === '' ? 'Enter your current password.' : undefined }
    : { password: undefined, confirmation: undefined, current: undefined };
  const currentError = local.current ?? currentPasswordError(change.error);
  const submit = () => {
    setChecked(true);
    if (current === '' || problems.password || problems.confirmation) return;
    change.mutate({ current_password: current, new_password: password });
  };

  return (
    <ActionModal
      title="Change your password"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Change password"
      submitting={change.isPending}
      error={lockedOut(change.error) ?? change.error}
      fields={{ beside: Object.keys(labels), labels }}
      result={
        change.isSuccess ? (
          <Alert
            color="green"
            variant="light"
            role="status"
            title="Password changed"
            styles={{ title: { color: 'var(--mantine-color-text)' } }}
          >
            <Text size="sm">
              Use the new password from now on. Anywhere else you were signed in — another browser, another
              device — has been signed out; this browser stays signed in.
            </Text>
          </Alert>
        ) : undefined
      }
    >
      <PasswordInput
        label={labels.current_password}
        autoComplete="current-password"
        required
        value={current}
        onChange={(event) => setCurrent(event.currentTarget.value)}
        error={currentError}
        aria-invalid={currentError ? true : undefined}
        disabled={change.isPending}
        data-autofocus
      />
      <NewPasswordFields
        label={labels.new_password}
        password={password}
        confirmation={confirmation}
        onPasswordChange={setPassword}
        onConfirmationChange={setConfirmation}
        passwordError={local.password ?? fieldError(change.error, 'new_password', labels.new_password)}
        confirmationError={local.confirmation}
        disabled={change.isPending}
      />
      <Text size="sm" c="dimmed">
        Changing your password signs you out everywhere else.
      </Text>
    </ActionModal>
  );
}
