import { Alert, Button, Group, Text } from '@mantine/core';
import { isApiError } from '../../app/http.ts';
import { ActionModal } from '../../ui/action-modal.tsx';
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
  useResetOnOpen(opened, () => decide.reset());
  const copy = decisionCopy[decision];
  const error = isApiError(decide.error, 409)
    ? new Error(
        'This exception has already been decided or has expired. Close and look at its current state.',
      )
    : decide.error;
  return (
    <ActionModal
      title={copy.title}
      opened={opened}
      onClose={onClose}
      onSubmit={() => decide.mutate({ exception: exception.id, decision })}
      submitLabel={`${copy.button} exception`}
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
    </ActionModal>
  );
}

export interface PendingDecision {
  exception: ExceptionView;
  decision: ExceptionDecision;
}

interface ExceptionDecisionsProps {
  exception: ExceptionView;
  onDecide: (pending: PendingDecision) => void;
}

/**
 * Approve or reject a pending exception, revoke an approved one. The confirmation modal lives with
 * the caller: a revoked or rejected exception disappears from here, and its result must stay visible.
 */
export function ExceptionDecisions({ exception, onDecide }: ExceptionDecisionsProps) {
  const available: ExceptionDecision[] =
    exception.status === 'pending'
      ? ['approve', 'reject']
      : exception.status === 'approved'
        ? ['revoke']
        : [];
  if (available.length === 0) return null;
  return (
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
  );
}
