import { Alert, Button, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../../app/http.ts';
import { ActionModal, fieldError } from '../../ui/action-modal.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type FindingDetailSurface, useChangeStatus, type WorkflowStatus } from './api.ts';
import { workflowStatusLabels } from './labels.ts';

/** The moves people make, by name: each one a target status. */
const verbs = {
  triaged: 'Triage',
  in_progress: 'Start work',
  resolved: 'Resolve',
  closed: 'Close',
  reopened: 'Reopen',
} as const satisfies Partial<Record<WorkflowStatus, string>>;
export type StatusMove = keyof typeof verbs;

/**
 * docs/rules.md "Finding lifecycle": the moves offered from the effective status (the server judges again).
 * Open → another open status, resolved or closed; resolved → closed or reopened; closed → reopened; nothing while
 * an approved exception holds the finding.
 */
export function movesFrom(status: WorkflowStatus): StatusMove[] {
  switch (status) {
    case 'new':
    case 'reopened':
      return ['triaged', 'in_progress', 'resolved', 'closed'];
    case 'triaged':
      return ['in_progress', 'resolved', 'closed'];
    case 'in_progress':
      return ['resolved', 'closed'];
    case 'resolved':
      return ['closed', 'reopened'];
    case 'closed':
      return ['reopened'];
    default:
      return [];
  }
}

export function StatusButtons({
  finding,
  onMove,
}: {
  finding: FindingDetailSurface;
  onMove: (move: StatusMove) => void;
}) {
  if (!finding.capabilities.includes('findings.triage')) return null;
  return (
    <>
      {movesFrom(finding.workflow_status).map((move) => (
        <Button key={move} variant={move === 'resolved' ? 'light' : 'default'} onClick={() => onMove(move)}>
          {verbs[move]}
        </Button>
      ))}
    </>
  );
}

interface StatusModalProps {
  tenant: string;
  finding: FindingDetailSurface;
  move: StatusMove;
  opened: boolean;
  onClose: () => void;
}

export function StatusModal({ tenant, finding, move, opened, onClose }: StatusModalProps) {
  const change = useChangeStatus(tenant, String(finding.finding_id));
  const [note, setNote] = useState('');
  useResetOnOpen(opened, () => {
    change.reset();
    setNote('');
  });
  const error = isApiError(change.error, 409)
    ? new Error(
        `This finding can no longer move to “${workflowStatusLabels[move]}” (someone changed it, or an exception now holds it). Nothing was saved.`,
      )
    : change.error;
  return (
    <ActionModal
      title={`${verbs[move]} finding`}
      opened={opened}
      onClose={onClose}
      onSubmit={() =>
        change.mutate(note.trim() === '' ? { workflow_status: move } : { workflow_status: move, note })
      }
      submitLabel={verbs[move]}
      submitting={change.isPending}
      error={error}
      result={
        change.data ? (
          <Alert color="green" variant="light" role="status" title="Status changed">
            “{finding.title}” is now {workflowStatusLabels[change.data.finding.workflow_status].toLowerCase()}{' '}
            (was {workflowStatusLabels[change.data.previous_status].toLowerCase()}).
          </Alert>
        ) : undefined
      }
    >
      <Text size="sm">
        From “{workflowStatusLabels[finding.workflow_status]}” to “{workflowStatusLabels[move]}”.
      </Text>
      <Textarea
        label="Note (optional)"
        description="Why, or what was done: kept in the history (up to 2,000 characters)."
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        error={fieldError(change.error, 'note')}
        maxLength={2000}
        autosize
        minRows={2}
      />
    </ActionModal>
  );
}
