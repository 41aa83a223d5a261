import { NativeSelect, Radio, Stack, Textarea, TextInput } from '@mantine/core';
import type { ChangeEvent } from 'react';
import { fieldError } from '../../ui/action-modal.tsx';
import { optionsOf, parseKey } from '../../ui/options.ts';
import type { HandoffMode, Severity, SupportDeskView, SupportRequestHandoffSubmission } from './api.ts';
import { modeLabels, severityLabels } from './labels.ts';

export const SUMMARY_LIMIT = 200;
export const NO_DESK_REASON = 'No external support desk is configured for this installation';
const severityOptions = optionsOf(severityLabels);

export interface SupportRequestForm {
  severity: Severity;
  summary: string;
  reproduction_notes: string;
  contact_name: string;
  contact_email: string;
  handoff_mode: HandoffMode;
  external_ticket_reference: string;
  external_ticket_url: string;
}

type TextFieldName = Exclude<keyof SupportRequestForm, 'severity' | 'handoff_mode'>;

export const emptyForm: SupportRequestForm = {
  severity: 'normal',
  summary: '',
  reproduction_notes: '',
  contact_name: '',
  contact_email: '',
  handoff_mode: 'internal_only',
  external_ticket_reference: '',
  external_ticket_url: '',
};

type FormErrors = Partial<Record<keyof SupportRequestForm, string>>;

/** What the browser can tell before asking the server; the server still checks everything. */
export function validateForm(form: SupportRequestForm): FormErrors {
  const errors: FormErrors = {};
  if (form.summary.trim() === '') errors.summary = 'Enter a short summary of the problem.';
  if (form.handoff_mode === 'link_existing_ticket' && form.external_ticket_reference.trim() === '') {
    errors.external_ticket_reference = 'Enter the reference of the existing ticket.';
  }
  return errors;
}

/** Empty optional fields are left out, and the link fields go only with the mode that uses them. */
export function toSubmission(form: SupportRequestForm): SupportRequestHandoffSubmission {
  const submission: SupportRequestHandoffSubmission = {
    severity: form.severity,
    summary: form.summary,
    handoff_mode: form.handoff_mode,
  };
  if (form.reproduction_notes !== '') submission.reproduction_notes = form.reproduction_notes;
  if (form.contact_name.trim() !== '') submission.contact_name = form.contact_name;
  if (form.contact_email.trim() !== '') submission.contact_email = form.contact_email.trim();
  if (form.handoff_mode === 'link_existing_ticket') {
    submission.external_ticket_reference = form.external_ticket_reference;
    if (form.external_ticket_url.trim() !== '')
      submission.external_ticket_url = form.external_ticket_url.trim();
  }
  return submission;
}

export function deskName(desk: SupportDeskView | undefined): string {
  return desk?.display_name ?? 'the support desk';
}

interface RequestSupportFieldsProps {
  form: SupportRequestForm;
  onChange: (next: SupportRequestForm) => void;
  clientErrors: FormErrors;
  serverError: unknown;
  desk: SupportDeskView | undefined;
  disabled: boolean;
}

export function RequestSupportFields({
  form,
  onChange,
  clientErrors,
  serverError,
  desk,
  disabled,
}: RequestSupportFieldsProps) {
  const set = <K extends keyof SupportRequestForm>(key: K, value: SupportRequestForm[K]) =>
    onChange({ ...form, [key]: value });
  const errorOf = (field: keyof SupportRequestForm) => clientErrors[field] ?? fieldError(serverError, field);
  /** The value, change handler, error and disabled state every text field of the form takes. */
  const textField = (key: TextFieldName) => ({
    value: form[key],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      set(key, event.currentTarget.value),
    error: errorOf(key),
    disabled,
  });
  const deskAvailable = desk?.target_available === true;

  return (
    <Stack gap="sm">
      <NativeSelect
        label="Severity"
        data={severityOptions}
        value={form.severity}
        onChange={(event) =>
          set('severity', parseKey(severityLabels, event.currentTarget.value) ?? form.severity)
        }
        error={errorOf('severity')}
        disabled={disabled}
        withAsterisk
      />
      <TextInput
        label="Summary"
        description={`${form.summary.length} / ${SUMMARY_LIMIT} characters`}
        {...textField('summary')}
        maxLength={SUMMARY_LIMIT}
        withAsterisk
        data-autofocus
      />
      <Textarea
        label="Reproduction notes"
        description="What happened, what you expected, and the steps to see it again."
        {...textField('reproduction_notes')}
        autosize
        minRows={3}
        maxRows={8}
      />
      <TextInput label="Contact name" {...textField('contact_name')} autoComplete="name" />
      <TextInput label="Contact email" type="email" {...textField('contact_email')} autoComplete="email" />
      <Radio.Group
        label="Handoff"
        value={form.handoff_mode}
        onChange={(value) => set('handoff_mode', parseKey(modeLabels, value) ?? form.handoff_mode)}
        error={errorOf('handoff_mode')}
        withAsterisk
      >
        <Stack gap="xs" mt="xs">
          <Radio value="internal_only" label={modeLabels.internal_only} disabled={disabled} />
          <Radio
            value="create_external_ticket"
            label={`Create a ticket in ${deskName(desk)}`}
            description={desk && !deskAvailable ? NO_DESK_REASON : undefined}
            disabled={disabled || !deskAvailable}
          />
          <Radio value="link_existing_ticket" label={modeLabels.link_existing_ticket} disabled={disabled} />
        </Stack>
      </Radio.Group>
      {form.handoff_mode === 'link_existing_ticket' ? (
        <>
          <TextInput
            label="External ticket reference"
            {...textField('external_ticket_reference')}
            withAsterisk
          />
          <TextInput
            label="External ticket URL"
            type="url"
            placeholder="https://"
            {...textField('external_ticket_url')}
          />
        </>
      ) : null}
    </Stack>
  );
}
