import { List, Select, Text } from '@mantine/core';
import { useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { describeSaveError, fieldError } from '../../ui/form-errors.ts';
import { parseKey } from '../../ui/options.ts';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type Role, roleLabels, tenantRoleDescriptions } from '../administration/labels.ts';
import { Notice } from '../administration/notice.tsx';
import type { WorkspaceTenant } from '../workspace-tenants/api.ts';
import {
  type Person,
  type TenantRoleOutcome,
  useChangeTenantRoles,
  useRevokeTenantRole,
  useSetTenantRole,
} from './api.ts';
import { personFieldLabels } from './labels.ts';
import {
  type LockedRows,
  type RoleMap,
  TenantRolesEditor,
  tenantRoleFields,
} from './tenant-roles-editor.tsx';

interface Target {
  tenant: string;
  name: string;
  role: Role;
}

interface BaseProps {
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

/** Changes one tenant role; the roles this viewer cannot grant are shown, disabled. */
export function ChangeTenantRoleModal({
  workspace,
  person,
  target,
  grantable,
  opened,
  onClose,
}: BaseProps & { target: Target | null; grantable: Role[] }) {
  const setRole = useSetTenantRole(workspace, person.user_id);
  const [role, setChosen] = useState<Role>(target?.role ?? 'readonly');
  const [same, setSame] = useState(false);
  useResetOnOpen(opened, () => {
    setChosen(target?.role ?? 'readonly');
    setSame(false);
    setRole.reset();
  });
  if (!target) return null;
  const options = (Object.keys(roleLabels) as Role[]).map((value) => ({
    value,
    label: grantable.includes(value) ? roleLabels[value] : `${roleLabels[value]} (workspace owners only)`,
    disabled: !grantable.includes(value),
  }));
  const submit = () => {
    setSame(role === target.role);
    if (role !== target.role) setRole.mutate({ tenant: target.tenant, role });
  };
  return (
    <ActionModal
      title={`${person.display_name} on ${target.name}`}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Change role"
      submitting={setRole.isPending}
      error={setRole.error ?? (same ? new Error('That is their role already: choose another.') : undefined)}
      fields={{ beside: ['role'], labels: personFieldLabels }}
      result={
        setRole.isSuccess ? (
          <Done title={`${person.display_name} is now ${roleLabels[role].toLowerCase()} on ${target.name}`} />
        ) : undefined
      }
    >
      <Select
        label="Tenant role"
        description={tenantRoleDescriptions[role]}
        data={options}
        value={role}
        onChange={(value) => setChosen(parseKey(roleLabels, value) ?? role)}
        allowDeselect={false}
        error={fieldError(setRole.error, 'role')}
        comboboxProps={{ withinPortal: true }}
        data-autofocus
      />
    </ActionModal>
  );
}

export function RevokeTenantRoleModal({
  workspace,
  person,
  target,
  opened,
  onClose,
}: BaseProps & { target: Target | null }) {
  const revoke = useRevokeTenantRole(workspace, person.user_id);
  useResetOnOpen(opened, () => revoke.reset());
  if (!target) return null;
  return (
    <ActionModal
      title={`Revoke ${person.display_name}’s role on ${target.name}?`}
      opened={opened}
      onClose={onClose}
      onSubmit={() => revoke.mutate(target.tenant)}
      submitLabel="Revoke role"
      submitting={revoke.isPending}
      error={revoke.error}
      tone="danger"
      result={
        revoke.isSuccess ? (
          <Done title={`${person.display_name} no longer has a role on ${target.name}`} />
        ) : undefined
      }
    >
      <List size="sm" spacing={4}>
        <List.Item>
          At once, {target.name}’s dashboard, runs, findings and support requests no longer answer them.
        </List.Item>
        <List.Item>
          Findings they own there stay theirs; the accountability gap shows where someone must take over.
        </List.Item>
      </List>
    </ActionModal>
  );
}

function currentRoles(person: Person): RoleMap {
  return Object.fromEntries(person.tenant_roles.map((grant) => [grant.tenant, grant.role]));
}

function OutcomeView({ outcome, names }: { outcome: TenantRoleOutcome; names: Map<string, string> }) {
  const name = (tenant: string) => names.get(tenant) ?? tenant;
  return (
    <Notice
      color={outcome.failed.length > 0 ? 'yellow' : 'green'}
      role="status"
      title={outcome.failed.length > 0 ? 'Some changes were not saved' : 'Tenant roles saved'}
    >
      <List size="sm" spacing={4}>
        {outcome.set.map((grant) => (
          <List.Item key={grant.tenant}>
            Saved: {roleLabels[grant.role].toLowerCase()} on {name(grant.tenant)}
          </List.Item>
        ))}
        {outcome.revoked.map((tenant) => (
          <List.Item key={tenant}>Revoked: {name(tenant)}</List.Item>
        ))}
        {outcome.failed.map(({ tenant, error }) => (
          <List.Item key={tenant}>
            Not revoked: {name(tenant)} — {describeSaveError(error)?.message}
          </List.Item>
        ))}
      </List>
    </Notice>
  );
}

/** Grant, change and revoke on many tenants at once: one role choice per tenant. */
export function TenantRolesModal({
  workspace,
  person,
  tenants,
  tenantsLoading,
  grantable,
  locked,
  opened,
  onClose,
}: BaseProps & {
  tenants: WorkspaceTenant[];
  tenantsLoading: boolean;
  grantable: Role[];
  locked: LockedRows;
}) {
  const change = useChangeTenantRoles(workspace, person.user_id);
  const [roles, setRoles] = useState<RoleMap>(() => currentRoles(person));
  const [unchanged, setUnchanged] = useState(false);
  useResetOnOpen(opened, () => {
    setRoles(currentRoles(person));
    setUnchanged(false);
    change.reset();
  });
  const before = currentRoles(person);
  const submit = () => {
    const set = Object.entries(roles).flatMap(([tenant, role]) =>
      role && role !== before[tenant] ? [{ tenant, role }] : [],
    );
    const revoke = Object.entries(roles).flatMap(([tenant, role]) =>
      !role && before[tenant] ? [tenant] : [],
    );
    setUnchanged(set.length + revoke.length === 0);
    if (set.length + revoke.length > 0) change.mutate({ set, revoke });
  };
  const names = new Map(tenants.map((tenant) => [tenant.external_id, tenant.name]));
  const listFields = tenantRoleFields(change.error);
  return (
    <ActionModal
      title={`${person.display_name}’s tenant roles`}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save tenant roles"
      submitting={change.isPending}
      error={change.error ?? (unchanged ? new Error('Nothing to save: change a role first.') : undefined)}
      fields={{ beside: listFields, labels: personFieldLabels }}
      result={change.data ? <OutcomeView outcome={change.data} names={names} /> : undefined}
    >
      <Text size="sm">
        Choose a role on each tenant, or “No role”. New and changed roles are saved together, all or none;
        removed roles are revoked one by one after them.
      </Text>
      <TenantRolesEditor
        label="Tenant roles"
        tenants={tenants}
        loading={tenantsLoading}
        value={roles}
        onChange={setRoles}
        grantable={grantable}
        locked={locked}
        error={fieldError(change.error, listFields)}
      />
    </ActionModal>
  );
}
