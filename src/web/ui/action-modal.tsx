import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, type ReactNode, useEffect, useRef } from 'react';
import classes from './action-modal.module.css';
import { focusFirstInvalid } from './focus-first-invalid.ts';
import { describeSaveError } from './form-errors.ts';

// Field errors have one home, form-errors.ts; this re-export keeps the modals that import it here working.
export { fieldError } from './form-errors.ts';

interface ActionModalProps {
  title: string;
  opened: boolean;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  /** While true the submit button spins and the modal cannot be dismissed half-way. */
  submitting?: boolean;
  /**
   * The last submit error. Field errors (422) are shown beside their fields by the form itself; the
   * alert says whether anything was saved (form-errors.ts describeSaveError).
   */
  error?: unknown;
  /**
   * The API fields the form shows beside an input, and the form's label for each (for the fields it
   * may hear about but shows nowhere). Left out, every field error is taken to be beside its input.
   */
  fields?: { beside?: string[]; labels?: Record<string, string> };
  /** `danger` for an action that removes or revokes something: a red submit button. */
  tone?: 'default' | 'danger';
  /** Wider forms; the default fits one column of fields. */
  size?: 'md' | 'lg' | 'xl';
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
  fields,
  result,
  size = 'lg',
  tone = 'default',
  children,
}: ActionModalProps) {
  // A phone gets the whole screen: more room for the form, and the buttons stay at its bottom edge.
  const small = useMediaQuery('(max-width: 36em)', false, { getInitialValueInEffect: false });
  const failure = describeSaveError(error, fields);
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
  // A refused submit (the form's own checks, or the server's answer) puts focus on the first field in error.
  const formRef = useRef<HTMLFormElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const wasSubmitting = useRef(submitting);
  useEffect(() => {
    if (wasSubmitting.current && !submitting) focusFirstInvalid(formRef.current, submitRef.current);
    wasSubmitting.current = submitting;
  }, [submitting]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (submitting) return;
    onSubmit();
    focusFirstInvalid(formRef.current, submitRef.current);
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={title}
      size={size}
      fullScreen={small}
      closeOnClickOutside={!submitting}
      // Mantine's close button is an icon only: give it a name.
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
      onExitTransitionEnd={keepFocusOnPage}
    >
      {result ? (
        <Stack gap="md">
          {result}
          <Group justify="flex-end" className={classes.footer}>
            <Button onClick={onClose} data-autofocus ref={closeRef}>
              Close
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate ref={formRef}>
          <Stack gap="md">
            {children}
            {failure ? (
              <Alert color="red" variant="light" title="Not saved" role="alert">
                {failure.message}
              </Alert>
            ) : null}
            <Group justify="flex-end" className={classes.footer}>
              <Button variant="default" onClick={close} disabled={submitting}>
                Cancel
              </Button>
              <Button
                type="submit"
                loading={submitting}
                color={tone === 'danger' ? 'red.9' : undefined}
                ref={submitRef}
              >
                {submitLabel}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
