import { Anchor, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { paths } from '../../app/paths.ts';
import { ActionModal } from '../../ui/action-modal.tsx';
import { fieldError } from '../../ui/form-errors.ts';
import { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
import { Notice } from '../administration/notice.tsx';
import {
  type TenantCreate,
  type TenantUpdate,
  useCreateTenant,
  useUpdateTenant,
  type WorkspaceTenant,
} from './api.ts';
import { Identifier } from './columns.tsx';
import { tenantFieldLabels, tenantFieldLimits } from './labels.ts';

interface Draft {
  external_id: string;
  name: string;
  directory_id: string;
  primary_domain: string;
  desk_customer_id: string;
}

type Optional = 'directory_id' | 'primary_domain' | 'desk_customer_id';
const optionalFields: Optional[] = ['directory_id', 'primary_domain', 'desk_customer_id'];

const emptyDraft: Draft = {
  external_id: '',
  name: '',
  directory_id: '',
  primary_domain: '',
  desk_customer_id: '',
};

function draftOf(tenant: WorkspaceTenant): Draft {
  return {
    external_id: tenant.external_id,
    name: tenant.name,
    directory_id: tenant.directory_id ?? '',
    primary_domain: tenant.primary_domain ?? '',
    desk_customer_id: tenant.desk_customer_id ?? '',
  };
}

/** "Contoso Ltd." → "contoso-ltd": a suggestion while the external id is untouched. */
export function suggestExternalId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, tenantFieldLimits.external_id)
    .replace(/-+$/, '');
}

function createBody(draft: Draft): TenantCreate {
  const body: TenantCreate = { external_id: draft.external_id.trim(), name: draft.name };
  for (const field of optionalFields) if (draft[field].trim()) body[field] = draft[field].trim();
  return body;
}

/** Only what changed: an emptied field is cleared (null), the rest is left as it is. */
function updateBody(tenant: WorkspaceTenant, draft: Draft): TenantUpdate {
  const body: TenantUpdate = {};
  if (draft.name !== tenant.name) body.name = draft.name;
  for (const field of optionalFields) {
    const value = draft[field].trim();
    if (value !== (tenant[field] ?? '')) body[field] = value === '' ? null : value;
  }
  return body;
}

function requiredErrors(draft: Draft, creating: boolean): Partial<Record<keyof Draft, string>> {
  const errors: Partial<Record<keyof Draft, string>> = {};
  if (creating && !draft.external_id.trim()) errors.external_id = 'Enter an external id.';
  if (!draft.name.trim()) errors.name = 'Enter the tenant’s name.';
  return errors;
}

interface TenantFormModalProps {
  workspace: string;
  /** The tenant to edit; null adds a new one. */
  tenant: WorkspaceTenant | null;
  opened: boolean;
  onClose: () => void;
}

export function TenantFormModal({ workspace, tenant, opened, onClose }: TenantFormModalProps) {
  const create = useCreateTenant(workspace);
  const update = useUpdateTenant(workspace);
  const mutation = tenant ? update : create;
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [externalIdTouched, setExternalIdTouched] = useState(false);
  const [localErrors, setLocalErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [unchanged, setUnchanged] = useState(false);
  useResetOnOpen(opened, () => {
    setDraft(tenant ? draftOf(tenant) : emptyDraft);
    setExternalIdTouched(false);
    setLocalErrors({});
    setUnchanged(false);
    create.reset();
    update.reset();
  });

  const set = (field: keyof Draft, value: string) => {
    setDraft((current) => {
      const next = { ...current, [field]: value };
      if (field === 'name' && !tenant && !externalIdTouched) next.external_id = suggestExternalId(value);
      return next;
    });
    setLocalErrors((current) => ({ ...current, [field]: undefined }));
  };

  const submit = () => {
    const errors = requiredErrors(draft, !tenant);
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (!tenant) {
      create.mutate(createBody(draft));
      return;
    }
    const change = updateBody(tenant, draft);
    setUnchanged(Object.keys(change).length === 0);
    if (Object.keys(change).length > 0) update.mutate({ tenant: tenant.external_id, change });
  };

  const error = mutation.error;
  const errorFor = (field: keyof Draft) => localErrors[field] ?? fieldError(error, field);
  const shown = tenant ? ['name', ...optionalFields] : ['external_id', 'name', ...optionalFields];
  const saved = tenant ? update.data : create.data;

  return (
    <ActionModal
      title={tenant ? `Edit ${tenant.name}` : 'Add tenant'}
      opened={opened}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={tenant ? 'Save changes' : 'Add tenant'}
      submitting={mutation.isPending}
      error={error ?? (unchanged ? new Error('Nothing to save: change a field first.') : undefined)}
      fields={{ beside: shown, labels: tenantFieldLabels }}
      result={saved ? <SavedTenant tenant={saved} created={!tenant} /> : undefined}
    >
      {tenant ? (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            External id
          </Text>
          <Text size="sm">
            <Identifier value={tenant.external_id} /> — fixed when the tenant was added; it cannot change.
          </Text>
        </Stack>
      ) : null}
      <TextInput
        label="Name"
        description="How the tenant is shown everywhere in TenantPilot."
        value={draft.name}
        onChange={(event) => set('name', event.currentTarget.value)}
        error={errorFor('name')}
        maxLength={tenantFieldLimits.name}
        required
        data-autofocus
      />
      {tenant ? null : (
        <TextInput
          label="External id"
          description="Lower-case letters, digits and hyphens, as in the tenant’s address (/admin/t/contoso). Choose carefully: it cannot be changed later."
          value={draft.external_id}
          onChange={(event) => {
            setExternalIdTouched(true);
            set('external_id', event.currentTarget.value);
          }}
          error={errorFor('external_id')}
          maxLength={tenantFieldLimits.external_id}
          autoCapitalize="none"
          spellCheck={false}
          required
        />
      )}
      <TextInput
        label="Directory id (optional)"
        description="The customer’s Microsoft Entra tenant id, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47. Imports are matched by it."
        value={draft.directory_id}
        onChange={(event) => set('directory_id', event.currentTarget.value)}
        error={errorFor('directory_id')}
        maxLength={tenantFieldLimits.directory_id}
        spellCheck={false}
      />
      <TextInput
        label="Primary domain (optional)"
        description="Such as contoso.com."
        value={draft.primary_domain}
        onChange={(event) => set('primary_domain', event.currentTarget.value)}
        error={errorFor('primary_domain')}
        maxLength={tenantFieldLimits.primary_domain}
        autoCapitalize="none"
        spellCheck={false}
      />
      <TextInput
        label="Desk customer (optional)"
        description="The customer’s id in your support desk (organization, company or client), so tickets are filed under it."
        value={draft.desk_customer_id}
        onChange={(event) => set('desk_customer_id', event.currentTarget.value)}
        error={errorFor('desk_customer_id')}
        maxLength={tenantFieldLimits.desk_customer_id}
      />
    </ActionModal>
  );
}

function SavedTenant({ tenant, created }: { tenant: WorkspaceTenant; created: boolean }) {
  return (
    <Notice color="green" role="status" title={created ? `${tenant.name} added` : 'Changes saved'}>
      {created ? (
        <Text size="sm">
          You are its owner.{' '}
          <Anchor component={Link} to={paths.tenantDashboard(tenant.external_id)} size="sm">
            Open its dashboard
          </Anchor>
          , or give colleagues a role on it from People.
        </Text>
      ) : (
        <Text size="sm">{tenant.name} is up to date.</Text>
      )}
    </Notice>
  );
}
