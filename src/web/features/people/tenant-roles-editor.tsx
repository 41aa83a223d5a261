import { Box, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { useState } from 'react';
import { isApiError } from '../../app/http.ts';
import { keysOf, parseKey } from '../../ui/options.ts';
import { type Role, roleLabels } from '../administration/labels.ts';
import type { WorkspaceTenant } from '../workspace-tenants/api.ts';

/** A tenant's role in the editor: a role, or none. */
export type RoleChoice = Role | null;
export type RoleMap = Record<string, RoleChoice>;

const NO_ROLE = 'none';

/** The refusal's fields about the list (`tenant_roles`, `tenant_roles.2.role`): shown under the editor. */
export function tenantRoleFields(error: unknown): string[] {
  if (!isApiError(error)) return [];
  return Object.keys(error.fields).filter(
    (field) => field === 'tenant_roles' || field.startsWith('tenant_roles.'),
  );
}

/** Why a row cannot be changed by this viewer (an owner's role for a manager, an archived tenant). */
export type LockedRows = Record<string, string>;

interface TenantRolesEditorProps {
  label: string;
  description?: string;
  tenants: WorkspaceTenant[];
  value: RoleMap;
  onChange: (next: RoleMap) => void;
  /** Roles this viewer may grant: a manager's list has no owner. */
  grantable: Role[];
  locked?: LockedRows;
  loading?: boolean;
  error?: string;
}

/**
 * One role per tenant, for many tenants at once: each tenant of the workspace with a role choice
 * (none, read-only … owner), searchable when the workspace has more than a handful.
 */
export function TenantRolesEditor({
  label,
  description,
  tenants,
  value,
  onChange,
  grantable,
  locked = {},
  loading = false,
  error,
}: TenantRolesEditorProps) {
  const [search, setSearch] = useState('');
  const labelId = useId();
  const errorId = useId();
  const needle = search.trim().toLowerCase();
  const shown = tenants.filter(
    (tenant) => !needle || tenant.name.toLowerCase().includes(needle) || tenant.external_id.includes(needle),
  );
  const chosen = Object.values(value).filter(Boolean).length;
  return (
    <Stack gap={6} role="group" aria-labelledby={labelId} aria-describedby={error ? errorId : undefined}>
      <Box>
        <Text component="span" size="sm" fw={500} id={labelId}>
          {label}
        </Text>
        {description ? (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        ) : null}
      </Box>
      {tenants.length > 6 ? (
        <TextInput
          type="search"
          label="Find a tenant"
          size="xs"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
        />
      ) : null}
      <Box
        style={{
          border: `1px solid ${error ? 'var(--mantine-color-error)' : 'var(--mantine-color-gray-4)'}`,
          borderRadius: 'var(--mantine-radius-md)',
          maxHeight: 300,
          overflowY: 'auto',
        }}
      >
        {loading ? (
          <Text size="sm" p="sm" c="dimmed">
            Loading tenants…
          </Text>
        ) : shown.length === 0 ? (
          <Text size="sm" p="sm" c="dimmed">
            {tenants.length === 0 ? 'The workspace has no tenants yet.' : 'No tenant matches.'}
          </Text>
        ) : (
          shown.map((tenant, index) => (
            <TenantRoleRow
              key={tenant.external_id}
              tenant={tenant}
              role={value[tenant.external_id] ?? null}
              onChange={(role) => onChange({ ...value, [tenant.external_id]: role })}
              grantable={grantable}
              lockedReason={locked[tenant.external_id]}
              divider={index > 0}
            />
          ))
        )}
      </Box>
      <Text size="xs" c="dimmed" aria-live="polite">
        {chosen === 0
          ? 'No tenant roles chosen.'
          : `${chosen} tenant ${chosen === 1 ? 'role' : 'roles'} chosen.`}
      </Text>
      {error ? (
        <Text size="xs" c="var(--mantine-color-error)" id={errorId}>
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}

function TenantRoleRow({
  tenant,
  role,
  onChange,
  grantable,
  lockedReason,
  divider,
}: {
  tenant: WorkspaceTenant;
  role: RoleChoice;
  onChange: (role: RoleChoice) => void;
  grantable: Role[];
  lockedReason: string | undefined;
  divider: boolean;
}) {
  const reasonId = useId();
  const options = [
    { value: NO_ROLE, label: 'No role' },
    ...keysOf(roleLabels).map((candidate) => ({
      value: candidate,
      // The current role stays shown even when this viewer could not grant it.
      label:
        grantable.includes(candidate) || candidate === role
          ? roleLabels[candidate]
          : `${roleLabels[candidate]} (workspace owners only)`,
      disabled: !grantable.includes(candidate) && candidate !== role,
    })),
  ];
  return (
    <Group
      justify="space-between"
      wrap="wrap"
      gap="xs"
      px="sm"
      py={8}
      style={divider ? { borderTop: '1px solid var(--mantine-color-gray-3)' } : undefined}
    >
      <Box miw={0} style={{ flex: '1 1 160px' }}>
        <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {tenant.name}
        </Text>
        <Text size="xs" c="dimmed" id={reasonId}>
          {lockedReason ?? tenant.external_id}
        </Text>
      </Box>
      <Select
        aria-label={`Role on ${tenant.name}`}
        aria-describedby={lockedReason ? reasonId : undefined}
        data={options}
        value={role ?? NO_ROLE}
        onChange={(next) => onChange(parseKey(roleLabels, next) ?? null)}
        allowDeselect={false}
        disabled={Boolean(lockedReason)}
        size="xs"
        w={150}
        comboboxProps={{ withinPortal: true }}
      />
    </Group>
  );
}
