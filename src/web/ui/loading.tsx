import { Center, Loader, VisuallyHidden } from '@mantine/core';

/** The spinner is decoration; the status region says what is loading (aria-label is not allowed on its span). */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="md" aria-hidden="true" />
      <VisuallyHidden>{label}</VisuallyHidden>
    </Center>
  );
}
