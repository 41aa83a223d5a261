import { List, Select, Text } from '@mantine/core';
import { useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { fieldError } from '../../ui/form-errors.ts';
import { optionsOf, parseKey } from '../../ui/options.ts';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type Role, roleLabels, workspaceRoleDescriptions } from '../administration/labels.ts';
import { Notice } from '../administration/notice.tsx';
import { type Person, useReinvite, useRemovePerson, useUpdatePerson } from './api.ts';
import { InvitationLink } from './invitation-link.tsx';
import { personFieldLabels } from './labels.ts';

const roleOptions = optionsOf(roleLabels);

interface ModalProps {
  workspace: string;
  person: Person;
  opened: boolean;
  onClose: () => void;
}

function Done({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <Notice color="green" role="status" title={title}>
      {children}
    </Notice>
  );
}

export function WorkspaceRoleModal({ workspace, person, opened, onClose }: ModalProps) {
  const update = useUpdatePerson(workspace, person.user_id);
  const [role, setRole] = useState<Role>(person.workspace_role);
  const [same, setSame] = useState(false);
  useResetOnOpen(opened, () => {
    setRole(person.workspace_role);
    setSame(false);
    update.reset();
  });
  const submit = () => {
    setSame(role === person.workspace_role);
    if (role !== person.workspace_role) update.mutate({ workspace_role: role });
  };
  return (
    <ActionModal
      title={`Change ${person.display_name}’s workspace role`}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Change role"
      submitting={update.isPending}
      error={
        update.error ??
        (same ? new Error(`${person.display_name} is already ${roleLabels[role].toLowerCase()}.`) : undefined)
      }
      fields={{ beside: ['workspace_role'], labels: personFieldLabels }}
      result={
        update.data ? (
          <Done
            title={`${person.display_name} is now ${roleLabels[update.data.workspace_role].toLowerCase()}`}
          >
            <Text size="sm">Their tenant roles are unchanged.</Text>
          </Done>
        ) : undefined
      }
    >
      <Select
        label="Workspace role"
        description={workspaceRoleDescriptions[role]}
        data={roleOptions}
        value={role}
        onChange={(value) => setRole(parseKey(roleLabels, value) ?? role)}
        allowDeselect={false}
        error={fieldError(update.error, 'workspace_role')}
        comboboxProps={{ withinPortal: true }}
        data-autofocus
      />
      <Text size="sm" c="dimmed">
        A workspace role grants administration only; what they see of each tenant comes from their tenant
        roles. The workspace always keeps at least one active owner.
      </Text>
    </ActionModal>
  );
}

export function SuspendModal({ workspace, person, opened, onClose }: ModalProps) {
  const update = useUpdatePerson(workspace, person.user_id);
  const suspend = person.active;
  // Keeps the wording of the action asked for while the refreshed person comes back.
  const [suspending, setSuspending] = useState(suspend);
  useResetOnOpen(opened, () => {
    setSuspending(suspend);
    update.reset();
  });
  const name = person.display_name;
  return (
    <ActionModal
      title={suspending ? `Suspend ${name}?` : `Restore ${name}?`}
      opened={opened}
      onClose={onClose}
      onSubmit={() => update.mutate({ active: !suspending })}
      submitLabel={suspending ? 'Suspend' : 'Restore'}
      submitting={update.isPending}
      error={update.error}
      fields={{ beside: [], labels: personFieldLabels }}
      tone={suspending ? 'danger' : 'default'}
      result={
        update.data ? (
          <Done title={suspending ? `${name} is suspended` : `${name} is restored`}>
            <Text size="sm">
              {suspending
                ? 'They no longer reach this workspace. Restore them whenever they come back.'
                : 'They reach this workspace again, with the roles they had.'}
            </Text>
          </Done>
        ) : undefined
      }
    >
      {suspending ? (
        <List size="sm" spacing={4}>
          <List.Item>
            At once, none of this workspace’s tenants and pages answer them: they see “not found”.
          </List.Item>
          <List.Item>Their roles are kept, so restoring them gives everything back.</List.Item>
          <List.Item>
            Their account and other workspaces are untouched; if this is their only workspace, their account
            is deactivated: their sessions end and their API tokens stop working.
          </List.Item>
        </List>
      ) : (
        <Text size="sm">
          {name} gets back this workspace with the workspace and tenant roles they had, and their account is
          active again.
        </Text>
      )}
    </ActionModal>
  );
}

export function RemoveModal({
  workspace,
  workspaceName,
  person,
  opened,
  onClose,
  onRemoved,
}: ModalProps & { workspaceName: string; onRemoved: () => void }) {
  const remove = useRemovePerson(workspace, person.user_id);
  useResetOnOpen(opened, () => remove.reset());
  const name = person.display_name;
  return (
    <ActionModal
      title={`Remove ${name} from ${workspaceName}?`}
      opened={opened}
      onClose={onClose}
      onSubmit={() => remove.mutate(undefined, { onSuccess: onRemoved })}
      submitLabel="Remove from workspace"
      submitting={remove.isPending}
      error={remove.error}
      tone="danger"
      result={
        remove.isSuccess ? (
          <Done title={`${name} was removed`}>
            <Text size="sm">
              Their tenant roles here went with it. Findings they own keep them as owner until someone takes
              over.
            </Text>
          </Done>
        ) : undefined
      }
    >
      <List size="sm" spacing={4}>
        <List.Item>{name} leaves this workspace with every tenant role they hold in it, at once.</List.Item>
        <List.Item>
          Findings they own stay theirs; the accountability gap shows where someone must take over.
        </List.Item>
        <List.Item>
          If this is their only workspace, their account is deactivated: sessions end and API tokens stop
          working. Invite them again to bring them back.
        </List.Item>
      </List>
    </ActionModal>
  );
}

export function ReinviteModal({ workspace, person, opened, onClose }: ModalProps) {
  const reinvite = useReinvite(workspace, person.user_id);
  useResetOnOpen(opened, () => reinvite.reset());
  return (
    <ActionModal
      title={`New invitation link for ${person.display_name}`}
      opened={opened}
      onClose={onClose}
      onSubmit={() => reinvite.mutate()}
      submitLabel="Make a new link"
      submitting={reinvite.isPending}
      error={reinvite.error}
      result={reinvite.data ? <InvitationLink result={reinvite.data} /> : undefined}
    >
      <Text size="sm">
        {person.display_name} has not accepted their invitation yet. A new link replaces it: the link sent
        before stops working.
      </Text>
    </ActionModal>
  );
}
