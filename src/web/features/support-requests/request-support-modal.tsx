import { Alert } from '@mantine/core';
import { useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { type SupportContext, useSubmitSupportRequest, useSupportDesk } from './api.ts';
import { HandoffResultView } from './handoff-result.tsx';
import {
  deskName,
  emptyForm,
  RequestSupportFields,
  toSubmission,
  validateForm,
} from './request-support-form.tsx';

interface RequestSupportModalProps {
  context: SupportContext;
  opened: boolean;
  onClose: () => void;
}

export function RequestSupportModal({ context, opened, onClose }: RequestSupportModalProps) {
  const desk = useSupportDesk();
  const submit = useSubmitSupportRequest(context);
  const [form, setForm] = useState(emptyForm);
  const [showClientErrors, setShowClientErrors] = useState(false);
  const clientErrors = showClientErrors ? validateForm(form) : {};
  const name = deskName(desk.data);
  const handingOff = submit.isPending && form.handoff_mode === 'create_external_ticket';

  const close = () => {
    onClose();
    // Next time the modal opens on an empty form, not on the last result.
    setForm(emptyForm);
    setShowClientErrors(false);
    submit.reset();
  };
  const send = () => {
    setShowClientErrors(true);
    if (Object.keys(validateForm(form)).length > 0) return;
    submit.mutate(toSubmission(form));
  };

  return (
    <ActionModal
      title={context.type === 'tenant' ? 'Request support for this tenant' : 'Request support for this run'}
      opened={opened}
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
        onChange={setForm}
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
  );
}
