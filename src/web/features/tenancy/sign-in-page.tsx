import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiError, isNetworkError, UNREACHABLE_READ } from '../../app/http.ts';
import { safeNextPath } from '../../app/paths.ts';
import { waitFor } from '../../ui/form-errors.ts';
import { PublicPage } from '../../ui/public-page.tsx';
import { useSignIn } from './api.ts';

/** The alert's title and words for a refused or failed sign-in. */
function signInFailure(error: unknown): { title: string; message: string } {
  if (isApiError(error, 429)) {
    // The lock-out counts failed attempts; Retry-After says when it lifts.
    const when = error.retryAfterSeconds === null ? 'later' : waitFor(error.retryAfterSeconds);
    return { title: 'Sign-in paused', message: `Too many failed attempts. Try again ${when}.` };
  }
  if (isApiError(error) && error.status < 500) return { title: 'Sign-in failed', message: error.message };
  if (isNetworkError(error)) return { title: 'Sign-in failed', message: UNREACHABLE_READ };
  return { title: 'Sign-in failed', message: 'The server failed to sign you in. Try again in a moment.' };
}

export function SignInPage() {
  useDocumentTitle('Sign in · TenantPilot');
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const emailInput = useRef<HTMLInputElement>(null);

  // Focus the first field on arrival, without the autoFocus attribute screen readers dislike on page load.
  useEffect(() => {
    emailInput.current?.focus();
  }, []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    signIn.mutate(
      { email: email.trim(), password },
      { onSuccess: () => navigate(safeNextPath(searchParams.get('next')), { replace: true }) },
    );
  };
  const failure = signIn.isError ? signInFailure(signIn.error) : null;

  return (
    <PublicPage title="Sign in" description="Use your operator account to manage your tenants.">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {failure ? (
            <Alert color="red" variant="light" title={failure.title} role="alert">
              {failure.message}
            </Alert>
          ) : null}
          <TextInput
            ref={emailInput}
            label="Email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" fullWidth loading={signIn.isPending} mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </PublicPage>
  );
}
