import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useRef } from 'react';
import { isApiError } from '../app/http.ts';

interface ActionModalProps {
  title: string;
  opened: boolean;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  /** While true the submit button spins and the modal cannot be dismissed half-way. */
  submitting?: boolean;
  /** The last submit error; field errors (422) are shown beside their fields by the form itself. */
  error?: unknown;
  /** Replaces the form once the action has a result to show (the result keeps a Close button). */
  result?: ReactNode;
  children: ReactNode;
}

/**
 * Focus goes back to the button that opened the modal; when the action removed that button (an
 * exception decided, a request made), it would fall to the document: the page's main region takes it.
 */
function keepFocusOnPage() {
  // After the modal's own focus return, which runs once its content has unmounted.
  window.setTimeout(() => {
    if (document.activeElement === null || document.activeElement === document.body) {
      document.getElementById('main-content')?.focus();
    }
  }, 50);
}

/** The one way an action asks for input: a modal form with Cancel and a submit button. */
export function ActionModal({
  title,
  opened,
  onClose,
  onSubmit,
  submitLabel,
  submitting = false,
  error,
  result,
  children,
}: ActionModalProps) {
  const close = () => {
    if (!submitting) onClose();
  };
  // The result replaces the form and its focused submit button: move focus to Close, or keyboard
  // users are left on nothing. Only when the result appears, not on every re-render.
  const closeRef = useRef<HTMLButtonElement>(null);
  const hasResult = Boolean(result);
  useEffect(() => {
    if (hasResult) closeRef.current?.focus();
  }, [hasResult]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!submitting) onSubmit();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={title}
      size="lg"
      closeOnClickOutside={!submitting}
      // Mantine's close button is an icon only: give it a name.
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
      onExitTransitionEnd={keepFocusOnPage}
    >
      {result ? (
        <Stack gap="md">
          {result}
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus ref={closeRef}>
              Close
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {children}
            {error && !isApiError(error, 401) ? (
              <Alert color="red" variant="light" title="Could not save" role="alert">
                {error instanceof Error ? error.message : 'Something went wrong.'}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={submitting}>
                Cancel
              </Button>
              <Button type="submit" loading={submitting}>
                {submitLabel}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** A 422's message for one field, for the field's `error` prop. */
export function fieldError(error: unknown, field: string): string | undefined {
  return isApiError(error, 422) ? error.fields[field] : undefined;
}
