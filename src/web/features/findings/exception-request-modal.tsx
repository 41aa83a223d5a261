import { Alert, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../app/http.ts';
import { ActionModal, fieldError } from '../../ui/action-modal.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import {
  type ExceptionRequestResult,
  type FindingDetailSurface,
  useRequestException,
  useTenantMembers,
} from './api.ts';
import { MemberPicker, toUserId } from './member-picker.tsx';

export const PENDING_CONFLICT_MESSAGE = 'This finding already has a pending exception request.';

/** A date input's "YYYY-MM-DD" as the end of that day in the user's time zone, as an ISO instant. */
function endOfDay(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const moment = new Date(`${date}T23:59:59`);
  return Number.isNaN(moment.getTime()) ? null : moment.toISOString();
}

function tomorrow(): string {
  const date = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function RequestResult({
  result,
  finding,
}: {
  result: ExceptionRequestResult;
  finding: FindingDetailSurface;
}) {
  const owner = result.responsibility.owner ?? finding.owner;
  return (
    <Alert color="green" variant="light" role="status" title="Exception requested">
      <Text size="sm">
        Exception requested — the finding's owner is still {owner ? owner.display_name : 'nobody (no owner)'}.
      </Text>
      <Text size="sm" mt="xs">
        {result.exception_owner.display_name} owns the exception; an owner-role member decides on it.
      </Text>
    </Alert>
  );
}

/** The server's answer in words; a 409 here always means a pending request exists. */
function describeError(error: unknown, local: string | null): unknown {
  if (isApiError(error, 409)) return new Error(PENDING_CONFLICT_MESSAGE);
  return error ?? (local ? new Error(local) : undefined);
}

interface ExceptionRequestModalProps {
  tenant: string;
  finding: FindingDetailSurface;
  opened: boolean;
  onClose: () => void;
}

export function ExceptionRequestModal({ tenant, finding, opened, onClose }: ExceptionRequestModalProps) {
  const members = useTenantMembers(tenant);
  const requestException = useRequestException(tenant, String(finding.finding_id));
  const [owner, setOwner] = useState('');
  const [reason, setReason] = useState('');
  const [reviewDate, setReviewDate] = useState('');
  const [expiryDate, setExpiryDate] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  useResetOnOpen(opened, () => {
    for (const clear of [setOwner, setReason, setReviewDate, setExpiryDate]) clear('');
    setLocalError(null);
    requestException.reset();
  });

  const submit = () => {
    const reviewDueAt = endOfDay(reviewDate);
    const ownerId = toUserId(owner);
    if (ownerId === null || !reason.trim() || !reviewDueAt) {
      setLocalError('Choose an exception owner, give a reason and a review date.');
      return;
    }
    setLocalError(null);
    requestException.mutate({
      owner_user_id: ownerId,
      request_reason: reason,
      review_due_at: reviewDueAt,
      expires_at: expiryDate ? endOfDay(expiryDate) : null,
    });
  };

  const error = requestException.error;
  return (
    <ActionModal
      title="Request exception"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Request exception"
      submitting={requestException.isPending}
      error={describeError(error, localError)}
      result={
        requestException.data ? <RequestResult result={requestException.data} finding={finding} /> : undefined
      }
    >
      <Text size="sm">
        Ask to accept the risk of “{finding.title}” for a while. The finding keeps its owner (
        {finding.owner?.display_name ?? 'none'}); the exception gets an owner of its own.
      </Text>
      <MemberPicker
        label="Exception owner"
        description="Answers for the exception: reviews it when it is due."
        members={members.data?.items ?? []}
        value={owner}
        onChange={setOwner}
        error={fieldError(error, 'owner_user_id')}
        loading={members.isPending}
        required
      />
      <Textarea
        label="Reason"
        description="Why the risk is acceptable for now (up to 2,000 characters)."
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
        error={fieldError(error, 'request_reason')}
        maxLength={2000}
        autosize
        minRows={3}
        required
      />
      <TextInput
        type="date"
        label="Review due"
        description="The exception is reviewed by the end of this day."
        value={reviewDate}
        min={tomorrow()}
        onChange={(event) => setReviewDate(event.currentTarget.value)}
        error={fieldError(error, 'review_due_at')}
        required
      />
      <TextInput
        type="date"
        label="Expires (optional)"
        description="After this day the exception stops counting; leave empty for no expiry."
        value={expiryDate}
        min={reviewDate || tomorrow()}
        onChange={(event) => setExpiryDate(event.currentTarget.value)}
        error={fieldError(error, 'expires_at')}
      />
    </ActionModal>
  );
}
