import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';

export type SecondFactorAnswer = { totp_code: string } | { recovery_code: string };

const CODE_PATTERN = /^\s*\d{3}\s?\d{3}\s*$/;

/**
 * docs/rules.md "Second factor": the sign-in page's second step, once the password was right and the
 * server answered `second_factor_required`: the app's code, or a recovery code instead.
 */
export function SecondFactorStep({
  onSubmit,
  onBack,
  pending,
  failure,
}: {
  onSubmit: (answer: SecondFactorAnswer) => void;
  onBack: () => void;
  pending: boolean;
  /** The refusal of the last attempt, in words (a wrong or used code, a pause). */
  failure: { title: string; message: string } | null;
}) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [checked, setChecked] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // Arrival, or a switch between app and recovery code: the field is where the typing goes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refocus when the kind of code changes
  useEffect(() => {
    input.current?.focus();
  }, [useRecovery]);

  const problem = !checked
    ? undefined
    : useRecovery
      ? value.trim() === ''
        ? 'Enter one of your recovery codes.'
        : undefined
      : CODE_PATTERN.test(value)
        ? undefined
        : 'Enter the 6 digits your authenticator app shows for TenantPilot.';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setChecked(true);
    const valid = useRecovery ? value.trim() !== '' : CODE_PATTERN.test(value);
    if (!valid) return;
    onSubmit(useRecovery ? { recovery_code: value.trim() } : { totp_code: value.trim() });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">
          {useRecovery
            ? 'Enter one of the recovery codes you saved when you set up two-step sign-in. Each works once.'
            : 'Open your authenticator app and enter the code it shows for TenantPilot.'}
        </Text>
        {failure ? (
          <Alert color="red" variant="light" title={failure.title} role="alert">
            {failure.message}
          </Alert>
        ) : null}
        <TextInput
          ref={input}
          key={useRecovery ? 'recovery' : 'app'}
          label={useRecovery ? 'Recovery code' : 'Code from your app'}
          name={useRecovery ? 'recovery_code' : 'totp_code'}
          inputMode={useRecovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          maxLength={useRecovery ? 64 : 7}
          required
          value={value}
          error={problem}
          onChange={(event) => setValue(event.currentTarget.value)}
        />
        <Button type="submit" fullWidth loading={pending}>
          Verify
        </Button>
        <Group justify="space-between" gap="xs">
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setValue('');
              setChecked(false);
            }}
          >
            {useRecovery ? 'Use a code from the app' : 'Use a recovery code instead'}
          </Anchor>
          <Anchor component="button" type="button" size="sm" onClick={onBack}>
            Back
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
