import { Button, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { describeLoadError } from '../../ui/form-errors.ts';
import { PublicPage } from '../../ui/public-page.tsx';

interface LinkProblemProps {
  title: string;
  /** What happened and what to do; for a failed load, the error says it instead. */
  children?: ReactNode;
  action?: { label: string; to: string };
  error?: unknown;
  onRetry?: () => void;
}

/** A one-time link (an invitation, first-run setup) that cannot be used: what happened and the way on. */
export function LinkProblem({ title, children, action, error, onRetry }: LinkProblemProps) {
  return (
    <PublicPage title={title} width={480}>
      <Stack gap="md" align="flex-start">
        <Text size="sm" role={error ? 'alert' : undefined}>
          {children ?? describeLoadError(error)}
        </Text>
        {action ? (
          <Button component={Link} to={action.to}>
            {action.label}
          </Button>
        ) : null}
        {onRetry ? (
          <Button variant="default" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Stack>
    </PublicPage>
  );
}
