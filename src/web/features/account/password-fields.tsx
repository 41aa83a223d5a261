import { PasswordInput, Stack } from '@mantine/core';
import { PASSWORD_RULE } from './api.ts';

interface NewPasswordFieldsProps {
  password: string;
  confirmation: string;
  onPasswordChange: (value: string) => void;
  onConfirmationChange: (value: string) => void;
  /** The browser's or the server's words for each field, already in people's words. */
  passwordError?: string;
  confirmationError?: string;
  disabled?: boolean;
  /** "Password" on a first password, "New password" when changing one. */
  label?: string;
}

/** A new password typed twice, with the rule stated before anyone types. */
export function NewPasswordFields({
  password,
  confirmation,
  onPasswordChange,
  onConfirmationChange,
  passwordError,
  confirmationError,
  disabled,
  label = 'Password',
}: NewPasswordFieldsProps) {
  return (
    <Stack gap="sm">
      <PasswordInput
        label={label}
        description={PASSWORD_RULE}
        autoComplete="new-password"
        required
        value={password}
        onChange={(event) => onPasswordChange(event.currentTarget.value)}
        error={passwordError}
        // Mantine's PasswordInput does not mark its input invalid for screen readers itself.
        aria-invalid={passwordError ? true : undefined}
        disabled={disabled}
      />
      <PasswordInput
        label={`Repeat the ${label.toLowerCase()}`}
        autoComplete="new-password"
        required
        value={confirmation}
        onChange={(event) => onConfirmationChange(event.currentTarget.value)}
        error={confirmationError}
        aria-invalid={confirmationError ? true : undefined}
        disabled={disabled}
      />
    </Stack>
  );
}
