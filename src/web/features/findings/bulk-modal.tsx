import { Alert, List, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ActionModal, fieldError } from '../../ui/action-modal.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import {
  type BulkChangeBody,
  type BulkChangeResult,
  type FindingFilters,
  type Member,
  useBulkChange,
} from './api.ts';
import { workflowStatusLabels } from './labels.ts';

/** Which findings a bulk change asks for: the rows ticked, or every finding the list's filters match. */
export type BulkTarget =
  | { kind: 'ids'; ids: number[] }
  | { kind: 'filter'; filters: FindingFilters; count: number };

const KEEP = 'keep';
const NOBODY = 'none';
/** The statuses a bulk change may set (risk accepted comes only from an approved exception). */
const settable = ['triaged', 'in_progress', 'resolved', 'closed', 'reopened'] as const;

function personChoices(members: Member[], nobody: string) {
  return [
    { value: KEEP, label: 'Leave as it is' },
    { value: NOBODY, label: nobody },
    ...members.map((member) => ({
      value: String(member.id),
      label: `${member.display_name} (${member.role})`,
    })),
  ];
}

const toChange = (value: string) => (value === KEEP ? undefined : value === NOBODY ? null : Number(value));

/** The result in people's words: how many changed, were already so, or were refused and why. */
function BulkSummary({ result }: { result: BulkChangeResult }) {
  const reasons = new Map<string, number[]>();
  for (const item of result.results) {
    if (item.outcome !== 'refused') continue;
    const reason = item.reason ?? 'refused';
    reasons.set(reason, [...(reasons.get(reason) ?? []), item.finding_id]);
  }
  return (
    <Stack gap="sm" role="status">
      <Alert color={result.refused > 0 ? 'yellow' : 'green'} variant="light" title="Bulk change done">
        {result.changed} changed · {result.unchanged} already as asked (unchanged) · {result.refused} refused
      </Alert>
      {reasons.size > 0 ? (
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Refused, and why
          </Text>
          <List size="sm" spacing={4}>
            {[...reasons].map(([reason, ids]) => (
              <List.Item key={reason}>
                {reason}: {ids.length} finding{ids.length === 1 ? '' : 's'} (
                {ids
                  .slice(0, 10)
                  .map((id) => `#${id}`)
                  .join(', ')}
                {ids.length > 10 ? ', …' : ''})
              </List.Item>
            ))}
          </List>
        </Stack>
      ) : null}
    </Stack>
  );
}

interface BulkModalProps {
  tenant: string;
  target: BulkTarget;
  members: Member[];
  canAssign: boolean;
  canTriage: boolean;
  opened: boolean;
  onClose: () => void;
  onDone: () => void;
}

/** docs/rules.md "Finding lifecycle", bulk change: owner, assignee and/or status for many findings at once. */
export function BulkModal({
  tenant,
  target,
  members,
  canAssign,
  canTriage,
  opened,
  onClose,
  onDone,
}: BulkModalProps) {
  const bulk = useBulkChange(tenant);
  const [owner, setOwner] = useState(KEEP);
  const [assignee, setAssignee] = useState(KEEP);
  const [status, setStatus] = useState(KEEP);
  const [note, setNote] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  useResetOnOpen(opened, () => {
    for (const clear of [setOwner, setAssignee, setStatus]) clear(KEEP);
    setNote('');
    setLocalError(null);
    bulk.reset();
  });
  const count = target.kind === 'ids' ? target.ids.length : target.count;
  const submit = () => {
    const change: BulkChangeBody['change'] = {};
    if (owner !== KEEP) change.owner_user_id = toChange(owner) ?? null;
    if (assignee !== KEEP) change.assignee_user_id = toChange(assignee) ?? null;
    if (status !== KEEP) change.workflow_status = status as (typeof settable)[number];
    if (status !== KEEP && note.trim() !== '') change.note = note;
    if (Object.keys(change).length === 0) {
      setLocalError('Choose an owner, an assignee or a status to set.');
      return;
    }
    setLocalError(null);
    const { sort: _sort, ...filter } = target.kind === 'filter' ? target.filters : {};
    bulk.mutate(target.kind === 'ids' ? { finding_ids: target.ids, change } : { filter, change }, {
      onSuccess: onDone,
    });
  };
  const error = localError ? new Error(localError) : bulk.error;
  return (
    <ActionModal
      title={`Change ${count} finding${count === 1 ? '' : 's'}`}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={`Change ${count} finding${count === 1 ? '' : 's'}`}
      submitting={bulk.isPending}
      error={error}
      fields={{ beside: ['owner_user_id', 'assignee_user_id', 'workflow_status', 'note'] }}
      result={bulk.data ? <BulkSummary result={bulk.data} /> : undefined}
    >
      <Text size="sm">
        {target.kind === 'filter'
          ? `Every finding matching the list's filters (${count}) is judged on its own: what is already as asked stays unchanged, what cannot move is refused with the reason.`
          : 'Each selected finding is judged on its own: what is already as asked stays unchanged, what cannot move is refused with the reason.'}
      </Text>
      {canAssign ? (
        <>
          <Select
            label="Owner"
            data={personChoices(members, 'No owner')}
            value={owner}
            onChange={(value) => setOwner(value ?? KEEP)}
            allowDeselect={false}
            searchable
            error={fieldError(bulk.error, 'owner_user_id')}
            comboboxProps={{ withinPortal: true }}
          />
          <Select
            label="Assignee"
            data={personChoices(members, 'Unassigned')}
            value={assignee}
            onChange={(value) => setAssignee(value ?? KEEP)}
            allowDeselect={false}
            searchable
            error={fieldError(bulk.error, 'assignee_user_id')}
            comboboxProps={{ withinPortal: true }}
          />
        </>
      ) : null}
      {canTriage ? (
        <Select
          label="Status"
          data={[
            { value: KEEP, label: 'Leave as it is' },
            ...settable.map((value) => ({ value, label: workflowStatusLabels[value] })),
          ]}
          value={status}
          onChange={(value) => setStatus(value ?? KEEP)}
          allowDeselect={false}
          error={fieldError(bulk.error, 'workflow_status')}
          comboboxProps={{ withinPortal: true }}
        />
      ) : null}
      {canTriage && status !== KEEP ? (
        <Textarea
          label="Note (optional)"
          description="Kept in each finding's history (up to 2,000 characters)."
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          error={fieldError(bulk.error, 'note')}
          maxLength={2000}
          autosize
          minRows={2}
        />
      ) : null}
    </ActionModal>
  );
}
