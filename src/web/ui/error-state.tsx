import { Alert, Button, Group, Text } from '@mantine/core';
import { isApiError } from '../app/http.ts';
import {
  ForbiddenState,
  NotFoundState,
  SECOND_FACTOR_ENROLMENT_REQUIRED,
  SecondFactorRequiredState,
} from './access-states.tsx';
import { describeLoadError } from './form-errors.ts';

interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
  /** A page-level error shows the full not-found / forbidden page; a section shows an alert. */
  pageLevel?: boolean;
}

export function ErrorState({ error, onRetry, pageLevel = true }: ErrorStateProps) {
  if (pageLevel && isApiError(error, 404)) return <NotFoundState />;
  if (pageLevel && isApiError(error, 403) && error.code === SECOND_FACTOR_ENROLMENT_REQUIRED) {
    return <SecondFactorRequiredState />;
  }
  if (pageLevel && isApiError(error, 403)) return <ForbiddenState />;
  // A 401 is already on its way to the sign-in page.
  if (isApiError(error, 401)) return null;
  const message = describeLoadError(error);
  return (
    <Alert color="red" variant="light" title="Could not load this data" my="md">
      <Group justify="space-between" align="center" gap="md" wrap="wrap">
        <Text size="sm">{message}</Text>
        {onRetry ? (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Retry
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
