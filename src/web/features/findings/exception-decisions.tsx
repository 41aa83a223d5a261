import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../app/http.ts';
import { ActionModal } from '../../ui/action-modal.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { type ExceptionDecision, type ExceptionView, useDecideException } from './api.ts';

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
  onClose: () => void;
}

function DecisionModal({ tenant, findingId, exception, decision, onClose }: DecisionModalProps) {
  const decide = useDecideException(tenant, String(findingId));
  const copy = decisionCopy[decision];
  const error = isApiError(decide.error, 409)
    ? new Error(
        'This exception has already been decided or has expired. Close and look at its current state.',
      )
    : decide.error;
  return (
    <ActionModal
      title={copy.title}
      opened
      onClose={onClose}
      onSubmit={() => decide.mutate({ exception: exception.id, decision })}
      submitLabel={`${copy.button} exception`}
      submitting={decide.isPending}
      error={error}
      result={
        decide.data ? (
          <Alert color="green" variant="light" role="status" title={copy.done}>
            The finding is now {decide.data.responsibility.workflow_status.replace(/_/g, ' ')}.
          </Alert>
        ) : undefined
      }
    >
      <Text size="sm">Reason given: “{exception.request_reason}”</Text>
      <Text size="sm">{consequence(decision, exception)}</Text>
    </ActionModal>
  );
}

interface ExceptionDecisionsProps {
  tenant: string;
  findingId: number;
  exception: ExceptionView;
}

/** Approve or reject a pending exception, revoke an approved one; each asks for confirmation first. */
export function ExceptionDecisions({ tenant, findingId, exception }: ExceptionDecisionsProps) {
  const [decision, setDecision] = useState<ExceptionDecision | null>(null);
  const available: ExceptionDecision[] =
    exception.status === 'pending'
      ? ['approve', 'reject']
      : exception.status === 'approved'
        ? ['revoke']
        : [];
  if (available.length === 0) return null;
  return (
    <>
      <Group gap="sm">
        {available.map((option) => (
          <Button
            key={option}
            size="sm"
            variant={option === 'approve' ? 'filled' : 'default'}
            onClick={() => setDecision(option)}
          >
            {decisionCopy[option].button}
          </Button>
        ))}
      </Group>
      {decision ? (
        <DecisionModal
          tenant={tenant}
          findingId={findingId}
          exception={exception}
          decision={decision}
          onClose={() => setDecision(null)}
        />
      ) : null}
    </>
  );
}
