import { Anchor, Button, DataList, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { ActionModal } from '../../ui/action-modal.tsx';
import { DataTable } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { Field } from '../../ui/detail-list.tsx';
import { fieldError } from '../../ui/form-errors.ts';
import { humanize } from '../../ui/format.ts';
import { DotBadge } from '../../ui/status-badge.tsx';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type MeView, type MyWorkspace, useUpdateProfile } from './api.ts';

const NAME_LIMIT = 200;

function NameModal({ me, opened, onClose }: { me: MeView; opened: boolean; onClose: () => void }) {
  const update = useUpdateProfile();
  const [name, setName] = useState(me.display_name);
  const [checked, setChecked] = useState(false);
  useResetOnOpen(opened, () => {
    setName(me.display_name);
    setChecked(false);
    update.reset();
  });
  const blank = checked && name.trim() === '' ? 'Enter the name people see you by.' : undefined;
  const submit = () => {
    setChecked(true);
    if (name.trim() === '') return;
    update.mutate(
      { display_name: name },
      {
        onSuccess: () => {
          notifications.show({ message: 'Your name is saved.', color: 'green' });
          onClose();
        },
      },
    );
  };
  return (
    <ActionModal
      title="Change your name"
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save name"
      submitting={update.isPending}
      error={update.error}
      fields={{ beside: ['display_name'], labels: { display_name: 'Name' } }}
    >
      <TextInput
        label="Name"
        description="Shown to your colleagues: in the people list, on findings you own and in the history."
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={blank ?? fieldError(update.error, 'display_name', 'Name')}
        maxLength={NAME_LIMIT}
        autoComplete="name"
        required
        disabled={update.isPending}
        data-autofocus
      />
    </ActionModal>
  );
}

const workspaceColumns = [
  {
    key: 'name',
    header: 'Workspace',
    // A suspended membership opens nothing in the workspace: its name only.
    render: (workspace: MyWorkspace) =>
      workspace.active ? (
        <Anchor component={Link} to={paths.workspace(workspace.slug)} size="sm">
          {workspace.name}
        </Anchor>
      ) : (
        workspace.name
      ),
  },
  {
    key: 'role',
    header: 'Your role',
    nowrap: true,
    render: (workspace: MyWorkspace) => humanize(workspace.workspace_role),
  },
  {
    key: 'status',
    header: 'Membership',
    nowrap: true,
    render: (workspace: MyWorkspace) =>
      workspace.active ? (
        <DotBadge color="green" label="Active" compact />
      ) : (
        <DotBadge color="gray" label="Suspended" compact />
      ),
  },
];

export function ProfileSection({ me }: { me: MeView }) {
  const [editing, setEditing] = useState(false);
  return (
    <Stack gap="sm" component="section" aria-labelledby="profile-heading">
      <Group justify="space-between" align="center">
        <Title order={2} fz="h4" id="profile-heading">
          Profile
        </Title>
        <Button variant="default" size="sm" onClick={() => setEditing(true)}>
          Change name
        </Button>
      </Group>
      <Paper withBorder radius="md" p="lg">
        <DataList withDivider labelWidth={160} size="sm">
          <Field label="Name">{me.display_name}</Field>
          <Field label="Email">
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {me.email}
            </Text>
          </Field>
          <Field label="Last sign-in">
            <DateTime value={me.last_sign_in_at} />
          </Field>
          <Field label="Account created">
            <DateTime value={me.created_at} />
          </Field>
        </DataList>
      </Paper>
      <Paper withBorder radius="md">
        {me.workspaces.length === 0 ? (
          <Text size="sm" p="lg">
            You are not a member of any workspace.
          </Text>
        ) : (
          <DataTable
            caption="Your workspaces"
            columns={workspaceColumns}
            rows={me.workspaces}
            rowKey={(workspace) => workspace.slug}
            minWidth={0}
          />
        )}
      </Paper>
      <NameModal me={me} opened={editing} onClose={() => setEditing(false)} />
    </Stack>
  );
}
