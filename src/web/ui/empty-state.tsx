import { EmptyState as MantineEmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

interface EmptyStateProps {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  /** Heading level that keeps the page's heading order (a section's empty state sits under an h2). */
  headingOrder?: 2 | 3 | 4;
}

export function EmptyState({ title, description, action, headingOrder = 3 }: EmptyStateProps) {
  return (
    <MantineEmptyState py="xl" withIndicatorBackground>
      <MantineEmptyState.Title order={headingOrder}>{title}</MantineEmptyState.Title>
      {description ? <MantineEmptyState.Description>{description}</MantineEmptyState.Description> : null}
      {action ? <MantineEmptyState.Actions>{action}</MantineEmptyState.Actions> : null}
    </MantineEmptyState>
  );
}
