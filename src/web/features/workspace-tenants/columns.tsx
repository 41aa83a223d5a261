import { Anchor, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import type { Column } from '../../ui/data-table.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { DotBadge } from '../../ui/status-badge.tsx';
import { roleLabels } from '../administration/labels.ts';
import type { WorkspaceTenant } from './api.ts';

export type TenantAction = 'edit' | 'archive' | 'restore';

/** An identifier people copy: monospace, wrapped anywhere rather than widening the table. */
export function Identifier({ value }: { value: string | null }) {
  if (!value) {
    return (
      <Text size="sm" c="dimmed" component="span">
        —
      </Text>
    );
  }
  return (
    <Text size="sm" ff="monospace" component="span" style={{ overflowWrap: 'anywhere' }}>
      {value}
    </Text>
  );
}

/** A member without a tenant role sees the name only: the tenant's data needs a role (404 otherwise). */
function TenantName({ tenant }: { tenant: WorkspaceTenant }) {
  return (
    <Stack gap={2} miw={160}>
      {tenant.my_role ? (
        <Anchor component={Link} to={paths.tenantDashboard(tenant.external_id)} fw={500} size="sm">
          {tenant.name}
        </Anchor>
      ) : (
        <Text fw={500} size="sm">
          {tenant.name}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {tenant.my_role ? `Your role: ${roleLabels[tenant.my_role]}` : 'No tenant role for you'}
      </Text>
    </Stack>
  );
}

export function TenantStatus({ tenant }: { tenant: WorkspaceTenant }) {
  if (!tenant.archived) return <DotBadge color="green" label="Active" compact />;
  return (
    <Stack gap={2} align="flex-start">
      <DotBadge color="gray" label="Archived" compact />
      {tenant.archived_at ? (
        <Text size="xs" c="dimmed">
          {formatDateTime(tenant.archived_at)}
        </Text>
      ) : null}
    </Stack>
  );
}

function TenantActions({
  tenant,
  onAction,
}: {
  tenant: WorkspaceTenant;
  onAction: (tenant: WorkspaceTenant, action: TenantAction) => void;
}) {
  const named = (verb: string) => (
    <>
      {verb}
      <VisuallyHidden> {tenant.name}</VisuallyHidden>
    </>
  );
  if (tenant.archived) {
    return (
      <Button size="xs" variant="default" onClick={() => onAction(tenant, 'restore')}>
        {named('Restore')}
      </Button>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" variant="default" onClick={() => onAction(tenant, 'edit')}>
        {named('Edit')}
      </Button>
      <Button size="xs" variant="default" onClick={() => onAction(tenant, 'archive')}>
        {named('Archive')}
      </Button>
    </Group>
  );
}

/** The workspace's tenants; owners get the actions column. */
export function tenantColumns(
  onAction: ((tenant: WorkspaceTenant, action: TenantAction) => void) | null,
): Column<WorkspaceTenant>[] {
  const columns: Column<WorkspaceTenant>[] = [
    { key: 'name', header: 'Tenant', render: (tenant) => <TenantName tenant={tenant} /> },
    {
      key: 'external_id',
      header: 'External id',
      nowrap: true,
      render: (tenant) => <Identifier value={tenant.external_id} />,
    },
    {
      key: 'directory_id',
      header: 'Directory id',
      width: 190,
      render: (tenant) => <Identifier value={tenant.directory_id} />,
    },
    {
      key: 'primary_domain',
      header: 'Primary domain',
      render: (tenant) => <Identifier value={tenant.primary_domain} />,
    },
    {
      key: 'desk_customer_id',
      header: 'Desk customer',
      render: (tenant) => <Identifier value={tenant.desk_customer_id} />,
    },
    { key: 'status', header: 'Status', nowrap: true, render: (tenant) => <TenantStatus tenant={tenant} /> },
  ];
  if (onAction) {
    columns.push({
      key: 'actions',
      header: 'Actions',
      nowrap: true,
      render: (tenant) => <TenantActions tenant={tenant} onAction={onAction} />,
    });
  }
  return columns;
}
