import { Anchor, Badge, Checkbox, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { Column } from '../../ui/data-table.tsx';
import { DateTime } from '../../ui/date-time.tsx';
import type { FindingItem, MyWorkItem, UserRef } from './api.ts';
import { GapMarker, ResponsibilityBadge, SeverityBadge, WorkflowBadge } from './badges.tsx';
import { myWorkRoleLabels } from './labels.ts';

/** A person's name, or a dimmed word saying nobody holds the role. */
export function PersonName({ user, none = 'Nobody' }: { user: UserRef | null; none?: string }) {
  if (!user) {
    return (
      <Text size="sm" c="dimmed" fs="italic" component="span">
        {none}
      </Text>
    );
  }
  return (
    <Text size="sm" component="span">
      {user.display_name}
    </Text>
  );
}

function titleColumn<Row extends FindingItem>(tenantOf: (row: Row) => string): Column<Row> {
  return {
    key: 'title',
    header: 'Finding',
    render: (finding) => (
      <Stack gap={2} miw={180}>
        <Anchor component={Link} to={paths.finding(tenantOf(finding), finding.finding_id)} fw={500} size="sm">
          {finding.title}
        </Anchor>
        <Text size="xs" c="dimmed">
          #{finding.finding_id}
        </Text>
      </Stack>
    ),
  };
}

/** When the finding was detected: a column of its own, so the list can be sorted by clicking it. */
function detectedColumn<Row extends FindingItem>(): Column<Row> {
  return {
    key: 'detected',
    header: 'Detected',
    nowrap: true,
    sortable: true,
    render: (finding) => (
      <Text size="sm" component="span">
        <DateTime value={finding.detected_at} dateOnly />
      </Text>
    ),
  };
}

function sharedColumns<Row extends FindingItem>(): Column<Row>[] {
  return [...stateColumns<Row>(), ...peopleColumns<Row>(), detectedColumn<Row>()];
}

function stateColumns<Row extends FindingItem>(): Column<Row>[] {
  return [
    {
      key: 'severity',
      header: 'Severity',
      nowrap: true,
      sortable: true,
      render: (finding) => <SeverityBadge severity={finding.severity} compact />,
    },
    {
      key: 'workflow_status',
      header: 'Status',
      nowrap: true,
      // The exception's owner beside the status it decides (risk accepted, or a request pending), rather than
      // a column of its own that is empty for most findings and pushed the list past a laptop's width.
      render: (finding) => (
        <Stack gap={4} align="flex-start">
          <WorkflowBadge status={finding.workflow_status} compact />
          {finding.exception_owner ? (
            <Text size="xs" c="dimmed" component="span" maw={140} style={{ whiteSpace: 'normal' }}>
              Exception owner: {finding.exception_owner.display_name}
            </Text>
          ) : null}
        </Stack>
      ),
    },
    {
      key: 'responsibility',
      header: 'Responsibility',
      nowrap: true,
      render: (finding) => (
        <Stack gap={4} align="flex-start">
          <ResponsibilityBadge state={finding.responsibility_state} compact />
          {finding.accountability_gap ? <GapMarker compact /> : null}
        </Stack>
      ),
    },
  ];
}

function peopleColumns<Row extends FindingItem>(): Column<Row>[] {
  return [
    {
      key: 'owner',
      header: 'Owner',
      render: (finding) => <PersonName user={finding.owner} none="No owner" />,
    },
    {
      key: 'assignee',
      header: 'Assignee',
      render: (finding) => <PersonName user={finding.assignee} none="Unassigned" />,
    },
  ];
}

/** Row selection for bulk changes: a checkbox per row, named by the finding it selects. */
export interface RowSelection {
  isSelected: (findingId: number) => boolean;
  toggle: (findingId: number) => void;
}

function selectColumn(selection: RowSelection): Column<FindingItem> {
  return {
    key: 'select',
    header: 'Select',
    headerHidden: true,
    width: 40,
    render: (finding) => (
      <Checkbox
        aria-label={`Select finding #${finding.finding_id}: ${finding.title}`}
        checked={selection.isSelected(finding.finding_id)}
        onChange={() => selection.toggle(finding.finding_id)}
      />
    ),
  };
}

/** The tenant's findings list; with a selection, a checkbox column first. */
export function findingColumns(tenant: string, selection?: RowSelection): Column<FindingItem>[] {
  return [...(selection ? [selectColumn(selection)] : []), titleColumn(() => tenant), ...sharedColumns()];
}

/** A finding of a list across tenants (the workspace findings list): the tenant's columns, plus the tenant. */
export function acrossTenantsColumns<
  Row extends FindingItem & { tenant: { external_id: string; name: string } },
>(): Column<Row>[] {
  return [
    titleColumn((item) => item.tenant.external_id),
    {
      key: 'tenant',
      header: 'Tenant',
      render: (item) => (
        <Anchor component={Link} to={paths.tenantFindings(item.tenant.external_id)} size="sm">
          {item.tenant.name}
        </Anchor>
      ),
    },
    ...sharedColumns<Row>(),
  ];
}

/** My work: the same columns, plus the tenant and the signed-in user's roles on each finding. */
export const myWorkColumns: Column<MyWorkItem>[] = [
  titleColumn((item) => item.tenant.external_id),
  {
    key: 'tenant',
    header: 'Tenant, my role',
    render: (item) => (
      <Stack gap={4} align="flex-start">
        <Anchor component={Link} to={paths.tenantFindings(item.tenant.external_id)} size="sm">
          {item.tenant.name}
        </Anchor>
        <Group gap={4}>
          {item.my_roles.map((role) => (
            <Badge
              key={role}
              variant="light"
              color="indigo"
              radius="xl"
              tt="none"
              size="sm"
              miw="max-content"
            >
              {myWorkRoleLabels[role]}
            </Badge>
          ))}
        </Group>
      </Stack>
    ),
  },
  ...stateColumns<MyWorkItem>(),
  ...peopleColumns<MyWorkItem>(),
  detectedColumn<MyWorkItem>(),
];
