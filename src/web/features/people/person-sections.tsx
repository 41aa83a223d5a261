import { Anchor, Button, DataList, Group, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { type Column, DataTable } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { Field } from '../../ui/detail-list.tsx';
import { EmptyState } from '../../ui/empty-state.tsx';
import { type Role, roleLabels } from '../administration/labels.ts';
import type { WorkspaceTenant } from '../workspace-tenants/api.ts';
import type { Person } from './api.ts';
import { PersonStatusBadge } from './badges.tsx';

export type Modal =
  | 'role'
  | 'suspend'
  | 'remove'
  | 'reinvite'
  | 'tenant-role'
  | 'revoke'
  | 'tenant-roles'
  | null;

/** What the signed-in person may do to this one: the server decides again on every request. */
export interface Viewer {
  self: boolean;
  administer: boolean;
  grant: boolean;
}

export function Summary({ person }: { person: Person }) {
  return (
    <Paper withBorder radius="md" p="lg">
      <DataList withDivider labelWidth={160} size="sm">
        <Field label="Email">{person.email}</Field>
        <Field label="Workspace role">{roleLabels[person.workspace_role]}</Field>
        <Field label="Status">
          <PersonStatusBadge person={person} />
        </Field>
        <Field label="Last sign-in">
          {person.last_sign_in_at ? <DateTime value={person.last_sign_in_at} /> : 'Never'}
        </Field>
      </DataList>
    </Paper>
  );
}

/** The workspace actions this viewer may take on this person, or why there are none. */
export function MembershipActions({
  person,
  viewer,
  onOpen,
}: {
  person: Person;
  viewer: Viewer;
  onOpen: (modal: Modal) => void;
}) {
  if (!viewer.administer) {
    return (
      <Text size="sm" c="dimmed">
        Only workspace owners change workspace roles, suspend or remove people.
      </Text>
    );
  }
  if (viewer.self) {
    return (
      <Text size="sm" c="dimmed">
        This is you: nobody changes their own workspace role, suspends or removes themselves. Another owner
        can.
      </Text>
    );
  }
  return (
    <Group gap="sm">
      <Button variant="default" onClick={() => onOpen('role')}>
        Change workspace role
      </Button>
      <Button variant="default" onClick={() => onOpen('suspend')}>
        {person.active ? 'Suspend' : 'Restore'}
      </Button>
      {person.invitation_pending ? (
        <Button variant="default" onClick={() => onOpen('reinvite')}>
          New invitation link
        </Button>
      ) : null}
      <Button variant="default" onClick={() => onOpen('remove')}>
        Remove from workspace
      </Button>
    </Group>
  );
}

export interface RoleRow {
  tenant: string;
  name: string;
  role: Role;
  archived: boolean;
  mine: boolean;
}

export function lockReason(
  row: { role: Role | null; archived: boolean },
  viewer: Viewer,
): string | undefined {
  if (row.archived) return 'Archived: restore the tenant to change roles on it.';
  if (row.role === 'owner' && !viewer.administer) return 'Only a workspace owner changes an owner’s role.';
  return undefined;
}

function roleColumns(
  viewer: Viewer,
  onAction: (row: RoleRow, modal: 'tenant-role' | 'revoke') => void,
): Column<RoleRow>[] {
  const columns: Column<RoleRow>[] = [
    {
      key: 'tenant',
      header: 'Tenant',
      render: (row) =>
        row.mine ? (
          <Anchor component={Link} to={paths.tenantDashboard(row.tenant)} size="sm" fw={500}>
            {row.name}
          </Anchor>
        ) : (
          <Text size="sm" fw={500}>
            {row.name}
          </Text>
        ),
    },
    { key: 'role', header: 'Role', nowrap: true, render: (row) => roleLabels[row.role] },
  ];
  if (viewer.grant && !viewer.self) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      render: (row) => {
        const reason = lockReason(row, viewer);
        if (reason) {
          return (
            <Text size="xs" c="dimmed">
              {reason}
            </Text>
          );
        }
        const named = (verb: string) => (
          <>
            {verb}
            <VisuallyHidden> role on {row.name}</VisuallyHidden>
          </>
        );
        return (
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="default" onClick={() => onAction(row, 'tenant-role')}>
              {named('Change')}
            </Button>
            <Button size="xs" variant="default" onClick={() => onAction(row, 'revoke')}>
              {named('Revoke')}
            </Button>
          </Group>
        );
      },
    });
  }
  return columns;
}

export function TenantRolesSection({
  person,
  tenants,
  viewer,
  onAction,
  onOpenAll,
}: {
  person: Person;
  tenants: Map<string, WorkspaceTenant>;
  viewer: Viewer;
  onAction: (row: RoleRow, modal: 'tenant-role' | 'revoke') => void;
  onOpenAll: () => void;
}) {
  const rows: RoleRow[] = person.tenant_roles.map((grant) => {
    const tenant = tenants.get(grant.tenant);
    return {
      tenant: grant.tenant,
      name: tenant?.name ?? grant.tenant,
      role: grant.role,
      archived: tenant?.archived ?? false,
      mine: Boolean(tenant?.my_role),
    };
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby="tenant-roles-heading">
      <Group justify="space-between" align="center">
        <Title order={2} fz="h4" id="tenant-roles-heading">
          Tenant roles
        </Title>
        {viewer.grant && !viewer.self ? (
          <Button onClick={onOpenAll}>Grant or change tenant roles</Button>
        ) : null}
      </Group>
      {viewer.self ? (
        <Text size="sm" c="dimmed">
          Nobody changes their own tenant roles: another owner or manager can.
        </Text>
      ) : !viewer.grant ? (
        <Text size="sm" c="dimmed">
          Workspace owners and managers grant tenant roles.
        </Text>
      ) : !viewer.administer ? (
        <Text size="sm" c="dimmed">
          As a manager you grant roles up to manager; owner roles are for workspace owners.
        </Text>
      ) : null}
      <Paper withBorder radius="md">
        {rows.length === 0 ? (
          <EmptyState
            title="No tenant roles"
            description="Without a tenant role, they see the workspace’s tenant names but none of their data."
          />
        ) : (
          <DataTable
            caption={`${person.display_name}’s tenant roles`}
            columns={roleColumns(viewer, onAction)}
            rows={rows}
            rowKey={(row) => row.tenant}
            minWidth={viewer.grant && !viewer.self ? 480 : 300}
          />
        )}
      </Paper>
    </Stack>
  );
}
