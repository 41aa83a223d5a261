import {
  Alert,
  Box,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../app/http.ts';
import { safeNextPath } from '../../app/paths.ts';
import { useSignIn } from './api.ts';

function signInErrorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  return 'Could not reach TenantPilot. Check your connection and try again.';
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

  return (
    <Box bg="gray.0" mih="100vh">
      <Center mih="100vh" p="md">
        <Box w="100%" maw={420} component="main">
          <Stack gap={4} mb="lg" align="center">
            <Text fw={700} fz="lg" c="indigo.8">
              TenantPilot
            </Text>
            <Title order={1} fz="h2">
              Sign in
            </Title>
            <Text size="sm" c="dimmed">
              Use your operator account to manage your tenants.
            </Text>
          </Stack>
          <Paper withBorder shadow="sm" radius="md" p="xl">
            <form onSubmit={submit} noValidate>
              <Stack gap="md">
                {signIn.isError ? (
                  <Alert color="red" variant="light" title="Sign-in failed" role="alert">
                    {signInErrorMessage(signIn.error)}
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
          </Paper>
        </Box>
      </Center>
    </Box>
  );
}
