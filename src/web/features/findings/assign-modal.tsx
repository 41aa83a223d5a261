import { Alert, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ActionModal, fieldError } from '../../ui/action-modal.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import {
  type ChangeClassification,
  type FindingDetailSurface,
  type ResponsibilityResult,
  type ResponsibilityUpdate,
  useTenantMembers,
  useUpdateResponsibility,
} from './api.ts';
import { ResponsibilityBadge } from './badges.tsx';
import { PersonName } from './columns.tsx';
import { MemberPicker, toPickerValue, toUserId } from './member-picker.tsx';

export const classificationLabels: Record<ChangeClassification, string> = {
  owner_only: 'Owner changed',
  assignee_only: 'Assignee changed',
  owner_and_assignee: 'Owner and assignee changed',
  clear_owner: 'Owner cleared',
  clear_assignee: 'Assignee cleared',
};

/** Only the fields the user changed: absent means "leave as it is" to the server. */
function changedFields(finding: FindingDetailSurface, owner: string, assignee: string): ResponsibilityUpdate {
  const change: ResponsibilityUpdate = {};
  if (owner !== toPickerValue(finding.owner)) change.owner_user_id = toUserId(owner);
  if (assignee !== toPickerValue(finding.assignee)) change.assignee_user_id = toUserId(assignee);
  return change;
}

function AssignResult({ result }: { result: ResponsibilityResult }) {
  const { responsibility } = result;
  return (
    <Alert
      color="green"
      variant="light"
      title={classificationLabels[result.change_classification]}
      role="status"
    >
      <Stack gap="xs">
        <Group gap="xs">
          <Text size="sm">Responsibility is now</Text>
          <ResponsibilityBadge state={responsibility.responsibility_state} />
        </Group>
        <Text size="sm">
          Owner: <PersonName user={responsibility.owner} none="No owner" /> · Assignee:{' '}
          <PersonName user={responsibility.assignee} none="Unassigned" />
        </Text>
      </Stack>
    </Alert>
  );
}

interface AssignModalProps {
  tenant: string;
  finding: FindingDetailSurface;
  opened: boolean;
  onClose: () => void;
}

export function AssignModal({ tenant, finding, opened, onClose }: AssignModalProps) {
  const members = useTenantMembers(tenant);
  const update = useUpdateResponsibility(tenant, String(finding.finding_id));
  const [owner, setOwner] = useState(toPickerValue(finding.owner));
  const [assignee, setAssignee] = useState(toPickerValue(finding.assignee));
  const [unchanged, setUnchanged] = useState(false);
  // Each opening starts from the finding's current owner and assignee.
  useResetOnOpen(opened, () => {
    setOwner(toPickerValue(finding.owner));
    setAssignee(toPickerValue(finding.assignee));
    setUnchanged(false);
    update.reset();
  });
  const memberList = members.data?.items ?? [];

  const submit = () => {
    const change = changedFields(finding, owner, assignee);
    setUnchanged(Object.keys(change).length === 0);
    if (Object.keys(change).length > 0) update.mutate(change);
  };

  return (
    <ActionModal
      title="Assign finding"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save"
      submitting={update.isPending}
      error={update.error ?? (unchanged ? new Error('Change the owner or the assignee first.') : undefined)}
      result={update.data ? <AssignResult result={update.data} /> : undefined}
    >
      <Text size="sm">{finding.title}</Text>
      {members.isError ? (
        <Alert color="red">Could not load the tenant's members: {members.error.message}</Alert>
      ) : null}
      <MemberPicker
        label="Owner"
        description="Accountable for the outcome."
        members={memberList}
        value={owner}
        onChange={setOwner}
        nobodyLabel="No owner"
        current={finding.owner}
        error={fieldError(update.error, 'owner_user_id')}
        loading={members.isPending}
      />
      <MemberPicker
        label="Assignee"
        description="Doing the remediation now."
        members={memberList}
        value={assignee}
        onChange={setAssignee}
        nobodyLabel="Unassigned"
        current={finding.assignee}
        error={fieldError(update.error, 'assignee_user_id')}
        loading={members.isPending}
      />
    </ActionModal>
  );
}
