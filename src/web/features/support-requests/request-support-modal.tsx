import { Alert } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { useSession } from '../tenancy/api.ts';
import { type SupportContext, useSubmitSupportRequest, useSupportDesk } from './api.ts';
import { DiscardConfirm } from './discard-confirm.tsx';
import { HandoffResultView } from './handoff-result.tsx';
import {
  deskName,
  emptyForm,
  RequestSupportFields,
  type SupportRequestForm,
  toSubmission,
  validateForm,
} from './request-support-form.tsx';

interface RequestSupportModalProps {
  context: SupportContext;
  opened: boolean;
  onClose: () => void;
}

/** The form as it opens: the contact is the signed-in person until they say otherwise. */
function initialForm(user: { display_name: string; email: string } | undefined): SupportRequestForm {
  return { ...emptyForm, contact_name: user?.display_name ?? '', contact_email: user?.email ?? '' };
}

const isEdited = (form: SupportRequestForm, initial: SupportRequestForm) =>
  (Object.keys(initial) as (keyof SupportRequestForm)[]).some((key) => form[key] !== initial[key]);

export function RequestSupportModal({ context, opened, onClose }: RequestSupportModalProps) {
  const desk = useSupportDesk();
  const session = useSession();
  const submit = useSubmitSupportRequest(context);
  const initial = initialForm(session.data?.user);
  // null: untouched, so the prefilled contact follows the session until the person edits something.
  const [edited, setEdited] = useState<SupportRequestForm | null>(null);
  const form = edited ?? initial;
  const [showClientErrors, setShowClientErrors] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // Who opened the form: focus goes back there after a discard (the form's own return went to the question).
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (opened)
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, [opened]);
  const clientErrors = showClientErrors ? validateForm(form) : {};
  const name = deskName(desk.data);
  const handingOff = submit.isPending && form.handoff_mode === 'create_external_ticket';

  const discard = () => {
    if (confirming) window.setTimeout(() => opener.current?.focus(), 0);
    setConfirming(false);
    onClose();
    // Next time the modal opens on a fresh form, not on the last one or its result.
    setEdited(null);
    setShowClientErrors(false);
    submit.reset();
  };
  // A half-written request is not thrown away without asking; a sent one (a result shows) closes at once.
  const close = () => {
    if (!submit.data && isEdited(form, initial)) {
      // After this event: an Escape still on its way to the window would otherwise close the question at once.
      window.setTimeout(() => setConfirming(true), 0);
    } else discard();
  };
  const send = () => {
    setShowClientErrors(true);
    if (Object.keys(validateForm(form)).length > 0) return;
    submit.mutate(toSubmission(form));
  };

  return (
    <>
      <ActionModal
        title={
          context.type === 'tenant'
            ? 'Request support for this tenant'
            : `Request support for run #${context.run}`
        }
        // One dialog at a time: while the discard question is asked, the form waits behind it, kept.
        opened={opened && !confirming}
        onClose={close}
        onSubmit={send}
        submitLabel="Submit request"
        submitting={submit.isPending}
        error={submit.error}
        result={
          submit.data ? (
            <HandoffResultView result={submit.data} tenant={context.tenant} deskName={name} />
          ) : null
        }
      >
        <RequestSupportFields
          form={form}
          onChange={setEdited}
          clientErrors={clientErrors}
          serverError={submit.error}
          desk={desk.data}
          disabled={submit.isPending}
        />
        {handingOff ? (
          <Alert color="blue" variant="light" role="status">
            Handing off to {name}… (up to 5 s)
          </Alert>
        ) : null}
      </ActionModal>
      <DiscardConfirm opened={opened && confirming} onKeep={() => setConfirming(false)} onDiscard={discard} />
    </>
  );
}
