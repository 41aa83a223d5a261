import { Alert, Button, Divider, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiError, isNetworkError, UNREACHABLE_READ } from '../../app/http.ts';
import { safeNextPath } from '../../app/paths.ts';
import { waitFor } from '../../ui/form-errors.ts';
import { PublicPage } from '../../ui/public-page.tsx';
import { type SecondFactorAnswer, SecondFactorStep } from '../account/second-factor-step.tsx';
import { useSignIn } from './api.ts';
import { providerSignInUrl, useSignInProvider } from './sign-in-provider.ts';

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

/** "Sign in with <provider>": a plain link, the browser goes to the provider and comes back signed in (to `next`, already made safe: the server refuses any other). */
function ProviderButton({ name, next }: { name: string; next: string | null }) {
  return (
    <Button component="a" href={providerSignInUrl(next)} fullWidth size="md">
      Sign in with {name}
    </Button>
  );
}

export function SignInPage() {
  useDocumentTitle('Sign in · TenantPilot');
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const provider = useSignInProvider().data ?? null;
  const passwordsForOwnerOnly = provider?.password_sign_in === 'first_run_owner_only';
  const [showPassword, setShowPassword] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordFormShown = !passwordsForOwnerOnly || showPassword;

  // Focus the first field on arrival, without the autoFocus attribute screen readers dislike on page load.
  useEffect(() => {
    if (passwordFormShown) emailInput.current?.focus();
  }, [passwordFormShown]);

  // docs/rules.md "Second factor": a right password of someone with an authenticator asks for a code next.
  const [secondStep, setSecondStep] = useState(false);
  const send = (answer?: SecondFactorAnswer) =>
    signIn.mutate(
      { email: email.trim(), password, ...answer },
      {
        onSuccess: () => navigate(safeNextPath(searchParams.get('next')), { replace: true }),
        onError: (error) => {
          if (isApiError(error, 401) && error.code === 'second_factor_required') setSecondStep(true);
        },
      },
    );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send();
  };
  const refused =
    signIn.isError && !(isApiError(signIn.error) && signIn.error.code === 'second_factor_required');
  const failure = refused ? signInFailure(signIn.error) : null;

  if (secondStep) {
    return (
      <PublicPage title="Two-step sign-in" description={`Signing in as ${email.trim()}.`}>
        <SecondFactorStep
          onSubmit={send}
          onBack={() => {
            signIn.reset();
            setPassword('');
            setSecondStep(false);
          }}
          pending={signIn.isPending}
          failure={failure}
        />
      </PublicPage>
    );
  }
  const next = searchParams.get('next');

  return (
    <PublicPage
      title="Sign in"
      description={
        provider ? 'Sign in with your company account.' : 'Use your operator account to manage your tenants.'
      }
    >
      <Stack gap="md">
        {provider ? <ProviderButton name={provider.provider_name} next={safeNextPath(next)} /> : null}
        {provider && passwordFormShown ? <Divider label="or with a password" labelPosition="center" /> : null}
        {passwordsForOwnerOnly && !showPassword ? (
          <Stack gap={4} align="center">
            <Text size="xs" c="dimmed" ta="center">
              Passwords are turned off for this installation.
            </Text>
            <Button variant="subtle" size="xs" onClick={() => setShowPassword(true)}>
              First-run owner: sign in with a password
            </Button>
          </Stack>
        ) : null}
        {passwordFormShown ? (
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
              <Button
                type="submit"
                fullWidth
                loading={signIn.isPending}
                mt="xs"
                variant={provider ? 'default' : 'filled'}
              >
                Sign in
              </Button>
            </Stack>
          </form>
        ) : null}
      </Stack>
    </PublicPage>
  );
}
