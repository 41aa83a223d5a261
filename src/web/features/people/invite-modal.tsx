import { Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ActionModal } from '../../ui/action-modal.tsx';
import { fieldError } from '../../ui/form-errors.ts';
import { keysOf, optionsOf, parseKey } from '../../ui/options.ts';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { type Role, roleLabels, workspaceRoleDescriptions } from '../administration/labels.ts';
import { useEveryWorkspaceTenant } from '../workspace-tenants/api.ts';
import { type InviteBody, useInvite } from './api.ts';
import { InvitationLink } from './invitation-link.tsx';
import { personFieldLabels } from './labels.ts';
import { type RoleMap, TenantRolesEditor, tenantRoleFields } from './tenant-roles-editor.tsx';

const roleOptions = optionsOf(roleLabels);
const everyRole = keysOf(roleLabels);

function tenantRolesOf(map: RoleMap): InviteBody['tenant_roles'] {
  return Object.entries(map).flatMap(([tenant, role]) => (role ? [{ tenant, role }] : []));
}

interface InviteModalProps {
  workspace: string;
  workspaceName: string;
  opened: boolean;
  onClose: () => void;
}

/** Owners invite: a new person gets a one-time link; someone with an account is added at once. */
export function InviteModal({ workspace, workspaceName, opened, onClose }: InviteModalProps) {
  const invite = useInvite(workspace);
  const tenants = useEveryWorkspaceTenant(workspace, 'false');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [workspaceRole, setWorkspaceRole] = useState<Role>('operator');
  const [tenantRoles, setTenantRoles] = useState<RoleMap>({});
  const [localErrors, setLocalErrors] = useState<{ email?: string; display_name?: string }>({});
  useResetOnOpen(opened, () => {
    setEmail('');
    setName('');
    setWorkspaceRole('operator');
    setTenantRoles({});
    setLocalErrors({});
    invite.reset();
  });

  const submit = () => {
    const errors: typeof localErrors = {};
    if (!email.trim()) errors.email = 'Enter their e-mail address.';
    else if (!/^[^\s@]+@[^\s@]+$/.test(email.trim()))
      errors.email = 'Enter an e-mail address such as ana@example.com.';
    if (!name.trim()) errors.display_name = 'Enter their name.';
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const roles = tenantRolesOf(tenantRoles);
    invite.mutate({
      email: email.trim(),
      display_name: name.trim(),
      workspace_role: workspaceRole,
      ...(roles && roles.length > 0 ? { tenant_roles: roles } : {}),
    });
  };

  const error = invite.error;
  // Any entry of the list may be refused (an archived tenant, one of another workspace): shown under it.
  const tenantRoleErrors = tenantRoleFields(error);
  return (
    <ActionModal
      title={`Invite someone to ${workspaceName}`}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Invite"
      submitting={invite.isPending}
      error={error}
      fields={{
        beside: ['email', 'display_name', 'workspace_role', ...tenantRoleErrors],
        labels: personFieldLabels,
      }}
      result={invite.data ? <InvitationLink result={invite.data} /> : undefined}
    >
      <TextInput
        label="Email"
        type="email"
        description="Someone who already has a TenantPilot account is added to the workspace without a link."
        value={email}
        onChange={(event) => {
          setEmail(event.currentTarget.value);
          setLocalErrors((current) => ({ ...current, email: undefined }));
        }}
        error={localErrors.email ?? fieldError(error, 'email')}
        maxLength={254}
        autoComplete="off"
        required
        data-autofocus
      />
      <TextInput
        label="Name"
        description="As colleagues will see it."
        value={name}
        onChange={(event) => {
          setName(event.currentTarget.value);
          setLocalErrors((current) => ({ ...current, display_name: undefined }));
        }}
        error={localErrors.display_name ?? fieldError(error, 'display_name')}
        maxLength={200}
        autoComplete="off"
        required
      />
      <Select
        label="Workspace role"
        description={workspaceRoleDescriptions[workspaceRole]}
        data={roleOptions}
        value={workspaceRole}
        onChange={(value) => setWorkspaceRole(parseKey(roleLabels, value) ?? workspaceRole)}
        allowDeselect={false}
        error={fieldError(error, 'workspace_role')}
        comboboxProps={{ withinPortal: true }}
      />
      <TenantRolesEditor
        label="Tenant roles (optional)"
        description="The tenants whose data they work on. A workspace role alone shows no tenant data."
        tenants={tenants.data ?? []}
        loading={tenants.isPending}
        value={tenantRoles}
        onChange={setTenantRoles}
        grantable={everyRole}
        error={fieldError(error, tenantRoleErrors)}
      />
    </ActionModal>
  );
}
