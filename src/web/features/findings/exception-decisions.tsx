import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../app/http.ts';
import { ActionModal, fieldError } from '../../ui/action-modal.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type ExceptionDecision, type ExceptionView, useDecideException } from './api.ts';
import { workflowStatusLabels } from './labels.ts';

const decisionCopy: Record<ExceptionDecision, { button: string; title: string; done: string }> = {
  approve: { button: 'Approve', title: 'Approve exception', done: 'Exception approved' },
  reject: { button: 'Reject', title: 'Reject exception', done: 'Exception rejected' },
  revoke: { button: 'Revoke', title: 'Revoke exception', done: 'Exception revoked' },
};

function consequence(decision: ExceptionDecision, exception: ExceptionView): string {
  if (decision === 'approve') {
    const until = exception.expires_at ? `until ${formatDateTime(exception.expires_at)}` : 'with no expiry';
    return `The finding will show as risk accepted ${until}. ${exception.owner.display_name} owns the exception.`;
  }
  if (decision === 'reject') return 'The request is closed; someone may request a new exception later.';
  return 'The risk is no longer accepted: the finding returns to its own workflow status.';
}

interface DecisionModalProps {
  tenant: string;
  findingId: number;
  exception: ExceptionView;
  decision: ExceptionDecision;
  opened: boolean;
  onClose: () => void;
}

export function DecisionModal({
  tenant,
  findingId,
  exception,
  decision,
  opened,
  onClose,
}: DecisionModalProps) {
  const decide = useDecideException(tenant, String(findingId));
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string | undefined>(undefined);
  useResetOnOpen(opened, () => {
    decide.reset();
    setNote('');
    setLocalError(undefined);
  });
  const copy = decisionCopy[decision];
  // docs/rules.md "Finding lifecycle": rejecting or revoking says why; approving may.
  const noteRequired = decision !== 'approve';
  const submit = () => {
    if (noteRequired && note.trim() === '') {
      setLocalError(`Say why you ${decision} this exception.`);
      return;
    }
    setLocalError(undefined);
    decide.mutate({ exception: exception.id, decision, note });
  };
  const error = isApiError(decide.error, 409)
    ? new Error(
        decision === 'approve'
          ? 'This exception can no longer be approved: it has been decided, has expired, or its finding is no longer open. Nothing was saved.'
          : 'This exception has already been decided or has expired. Close and look at its current state.',
      )
    : decide.error;
  return (
    <ActionModal
      title={copy.title}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={`${copy.button} exception`}
      tone={decision === 'approve' ? 'default' : 'danger'}
      submitting={decide.isPending}
      error={error}
      result={
        decide.data ? (
          <Alert color="green" variant="light" role="status" title={copy.done}>
            The finding's workflow status is now “
            {workflowStatusLabels[decide.data.responsibility.workflow_status]}”.
          </Alert>
        ) : undefined
      }
    >
      <Text size="sm">Reason given: “{exception.request_reason}”</Text>
      <Text size="sm">{consequence(decision, exception)}</Text>
      <Textarea
        label={noteRequired ? 'Why' : 'Note (optional)'}
        description="Shown with the decision in the exception panel and the history (up to 2,000 characters)."
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        error={localError ?? fieldError(decide.error, 'note')}
        maxLength={2000}
        autosize
        minRows={2}
        required={noteRequired}
      />
    </ActionModal>
  );
}

export interface PendingDecision {
  exception: ExceptionView;
  decision: ExceptionDecision;
}

interface ExceptionDecisionsProps {
  exception: ExceptionView;
  /** The signed-in person: who requested an exception never approves it (four eyes). */
  userId: number | undefined;
  onDecide: (pending: PendingDecision) => void;
}

/**
 * Approve or reject a pending exception, revoke an approved one. The confirmation modal lives with
 * the caller: a revoked or rejected exception disappears from here, and its result must stay visible.
 */
export function ExceptionDecisions({ exception, userId, onDecide }: ExceptionDecisionsProps) {
  const ownRequest = exception.status === 'pending' && exception.requested_by.id === userId;
  const available: ExceptionDecision[] =
    exception.status === 'pending'
      ? ownRequest
        ? ['reject']
        : ['approve', 'reject']
      : exception.status === 'approved'
        ? ['revoke']
        : [];
  if (available.length === 0) return null;
  return (
    <Stack gap="xs">
      {ownRequest ? (
        <Alert color="gray" variant="light" title="Another owner must decide" role="note">
          You requested this exception, so you cannot approve it yourself. You can still withdraw it by
          rejecting it.
        </Alert>
      ) : null}
      <Group gap="sm">
        {available.map((decision) => (
          <Button
            key={decision}
            size="sm"
            variant={decision === 'approve' ? 'filled' : 'default'}
            onClick={() => onDecide({ exception, decision })}
          >
            {decisionCopy[decision].button}
          </Button>
        ))}
      </Group>
    </Stack>
  );
}
