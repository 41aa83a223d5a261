import { Alert, type AlertProps } from '@mantine/core';

/**
 * The administration pages' one callout: a light tint says what kind of news it is, the title stays in
 * the text colour (tinted titles on a tint fall below 4.5:1 contrast).
 */
export function Notice({ children, ...props }: Omit<AlertProps, 'variant' | 'styles'>) {
  return (
    <Alert variant="light" styles={{ title: { color: 'var(--mantine-color-text)' } }} {...props}>
      {children}
    </Alert>
  );
}
