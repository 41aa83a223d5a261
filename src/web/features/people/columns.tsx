import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { Column } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import { roleLabels } from '../administration/labels.ts';
import type { Person } from './api.ts';
import { PersonStatusBadge } from './badges.tsx';

/** Tenant names by external id: a person's tenant roles name the tenant by its external id only. */
export type TenantNames = Map<string, string>;

const SHOWN_TENANT_ROLES = 3;

function TenantRoles({ person, names }: { person: Person; names: TenantNames }) {
  if (person.tenant_roles.length === 0) {
    return (
      <Text size="sm" c="dimmed" fs="italic" component="span">
        None
      </Text>
    );
  }
  const shown = person.tenant_roles.slice(0, SHOWN_TENANT_ROLES);
  const more = person.tenant_roles.length - shown.length;
  return (
    <Group gap={4} maw={320}>
      {shown.map((grant) => (
        <Badge key={grant.tenant} variant="outline" color="gray" c="gray.9" radius="sm" tt="none" fw={500}>
          {names.get(grant.tenant) ?? grant.tenant}: {roleLabels[grant.role]}
        </Badge>
      ))}
      {more > 0 ? (
        <Text size="xs" c="dimmed" component="span">
          and {more} more
        </Text>
      ) : null}
    </Group>
  );
}

export function peopleColumns(workspace: string, names: TenantNames, selfId: number): Column<Person>[] {
  return [
    {
      key: 'name',
      header: 'Person',
      render: (person) => (
        <Stack gap={2} miw={230}>
          <Anchor component={Link} to={paths.workspacePerson(workspace, person.user_id)} fw={500} size="sm">
            {person.display_name}
            {person.user_id === selfId ? ' (you)' : ''}
          </Anchor>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {person.email}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'workspace_role',
      header: 'Workspace role',
      nowrap: true,
      render: (person) => <Text size="sm">{roleLabels[person.workspace_role]}</Text>,
    },
    {
      key: 'tenant_roles',
      header: 'Tenant roles',
      render: (person) => <TenantRoles person={person} names={names} />,
    },
    {
      key: 'last_sign_in_at',
      header: 'Last sign-in',
      nowrap: true,
      render: (person) =>
        person.last_sign_in_at ? (
          <Text size="sm" component="span">
            <DateTime value={person.last_sign_in_at} />
          </Text>
        ) : (
          <Text size="sm" c="dimmed" component="span">
            Never
          </Text>
        ),
    },
    {
      key: 'status',
      header: 'Status',
      nowrap: true,
      render: (person) => <PersonStatusBadge person={person} compact />,
    },
  ];
}
