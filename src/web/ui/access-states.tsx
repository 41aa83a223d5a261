import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export const NOT_FOUND_MESSAGE = 'This page does not exist, or you do not have access to it.';
export const FORBIDDEN_MESSAGE = 'Forbidden — your role on this tenant does not allow this action.';

interface AccessStateProps {
  /** Where "back" leads; the admin home by default. */
  homeHref?: string;
}

/** One message for "missing" and "not yours", as the server does: nothing about existence leaks. */
export function NotFoundState({ homeHref = '/admin' }: AccessStateProps) {
  return (
    <Stack align="flex-start" gap="md" py="xl" maw={560}>
      <Title order={1}>Not found</Title>
      <Text>{NOT_FOUND_MESSAGE}</Text>
      <Button component={Link} to={homeHref} variant="light">
        Go to your tenants
      </Button>
    </Stack>
  );
}

export function ForbiddenState({ homeHref = '/admin' }: AccessStateProps) {
  return (
    <Stack align="flex-start" gap="md" py="xl" maw={560}>
      <Title order={1}>Forbidden</Title>
      <Text>{FORBIDDEN_MESSAGE}</Text>
      <Button component={Link} to={homeHref} variant="light">
        Go to your tenants
      </Button>
    </Stack>
  );
}

/** The server's error code when a workspace requires a second factor the person has not set up. */
export const SECOND_FACTOR_ENROLMENT_REQUIRED = 'second_factor_enrolment_required';

/**
 * docs/rules.md "Second factor": the workspace requires two-step sign-in and this person has none yet. The
 * way on is the account page's set-up, not a role change.
 */
export function SecondFactorRequiredState({ workspaceName }: { workspaceName?: string }) {
  return (
    <Stack align="flex-start" gap="md" py="xl" maw={560}>
      <Title order={1}>Set up two-step sign-in</Title>
      <Text>
        {workspaceName ?? 'This workspace'} requires a second factor. Set up an authenticator app on your
        account page, then come back: it takes a minute.
      </Text>
      <Button component={Link} to="/admin/me#second-factor">
        Set up two-step sign-in
      </Button>
    </Stack>
  );
}
