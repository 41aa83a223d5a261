import { Autocomplete, Button, Collapse, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback, useId, useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { Person } from '../people/api.ts';
import type { WorkspaceTenant } from '../workspace-tenants/api.ts';
import { type AuditUrlFilters, isAction, isSubjectType } from './url-filters.ts';

/** Suggestions only: any action the server writes can be typed, exactly or as a prefix ending in a dot. */
const actionSuggestions = [
  'tenant.',
  'tenant.created',
  'tenant.updated',
  'tenant.archived',
  'tenant.restored',
  'member.',
  'member.invited',
  'member.added',
  'member.role_changed',
  'member.suspended',
  'member.restored',
  'member.removed',
  'invitation.accepted',
  'tenant_role.',
  'tenant_role.granted',
  'tenant_role.changed',
  'tenant_role.revoked',
  'session.',
  'session.signed_in',
  'session.sign_in_failed',
  'api_token.',
  'user.',
  'finding.',
  'finding_exception.',
  'support_request.',
  'support_desk.checked',
];

const subjectSuggestions = [
  'tenant',
  'member',
  'tenant_role',
  'invitation',
  'user',
  'session',
  'api_token',
  'finding',
  'finding_exception',
  'support_request',
  'support_desk',
];

/** A typed filter that applies after a pause, and only when the server would accept it. */
function PatternFilter({
  label,
  description,
  value,
  suggestions,
  valid,
  invalidMessage,
  onChange,
}: {
  label: string;
  description: string;
  value: string | undefined;
  suggestions: string[];
  valid: (value: string) => boolean;
  invalidMessage: string;
  onChange: (value: string | undefined) => void;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const commit = useDebouncedCallback((next: string) => {
    const trimmed = next.trim();
    if (trimmed === '' || valid(trimmed)) onChange(trimmed || undefined);
  }, 400);
  const trimmed = text.trim();
  return (
    <Autocomplete
      label={label}
      description={description}
      data={suggestions}
      value={text}
      onChange={(next) => {
        setText(next);
        commit(next);
      }}
      error={trimmed !== '' && !valid(trimmed) ? invalidMessage : undefined}
      maxLength={100}
      w={{ base: '100%', xs: 220 }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

interface AuditFiltersProps {
  filters: AuditUrlFilters;
  onChange: (filters: AuditUrlFilters) => void;
  people: Person[];
  tenants: WorkspaceTenant[];
}

export function AuditFiltersBar({ filters, onChange, people, tenants }: AuditFiltersProps) {
  const small = useMediaQuery('(max-width: 36em)', false, { getInitialValueInEffect: false });
  const [opened, setOpened] = useState(false);
  const panelId = useId();
  const set = (patch: Partial<AuditUrlFilters>) => onChange({ ...filters, ...patch });
  const personOptions = people.map((person) => ({
    value: String(person.user_id),
    label: person.display_name,
  }));
  // A former member from a shared link is no longer listed, but still needs a label.
  if (filters.actor && !personOptions.some((option) => option.value === filters.actor)) {
    personOptions.push({ value: filters.actor, label: `Person #${filters.actor}` });
  }
  const tenantOptions = tenants.map((tenant) => ({
    value: tenant.external_id,
    label: tenant.archived ? `${tenant.name} (archived)` : tenant.name,
  }));
  if (filters.tenant && !tenantOptions.some((option) => option.value === filters.tenant)) {
    tenantOptions.push({ value: filters.tenant, label: filters.tenant });
  }
  const active = Object.values(filters).filter(Boolean).length;
  const badRange = Boolean(filters.from && filters.to && filters.from > filters.to);
  const fields = (
    <Group align="flex-start" gap="md" mb="md" wrap="wrap">
      <Select
        label="Person"
        description="Who acted"
        placeholder="Anyone"
        data={personOptions}
        value={filters.actor ?? null}
        onChange={(value) => set({ actor: value ?? undefined })}
        searchable
        clearable
        nothingFoundMessage="Nobody matches"
        w={{ base: '100%', xs: 200 }}
      />
      <PatternFilter
        label="Action"
        description="Exact, or ending in a dot"
        value={filters.action}
        suggestions={actionSuggestions}
        valid={isAction}
        invalidMessage="Use an action such as tenant.archived, or its start such as member."
        onChange={(action) => set({ action })}
      />
      <PatternFilter
        label="Subject type"
        description="What was changed"
        value={filters.subject_type}
        suggestions={subjectSuggestions}
        valid={isSubjectType}
        invalidMessage="Use lower-case letters, digits and underscores, such as tenant_role."
        onChange={(subject_type) => set({ subject_type })}
      />
      <Select
        label="Tenant"
        description="Where it happened"
        placeholder="Any tenant"
        data={tenantOptions}
        value={filters.tenant ?? null}
        onChange={(value) => set({ tenant: value ?? undefined })}
        searchable
        clearable
        nothingFoundMessage="No tenant matches"
        w={{ base: '100%', xs: 200 }}
      />
      <TextInput
        type="date"
        label="From"
        description="This day included"
        value={filters.from ?? ''}
        max={filters.to}
        onChange={(event) => set({ from: event.currentTarget.value || undefined })}
        w={{ base: '100%', xs: 170 }}
      />
      <TextInput
        type="date"
        label="To"
        description="This day included"
        value={filters.to ?? ''}
        min={filters.from}
        onChange={(event) => set({ to: event.currentTarget.value || undefined })}
        error={badRange ? 'Must not be before From.' : undefined}
        w={{ base: '100%', xs: 170 }}
      />
      {active > 0 ? (
        <Button variant="subtle" onClick={() => onChange({})} mt={{ base: 0, xs: 46 }}>
          Clear filters
        </Button>
      ) : null}
    </Group>
  );
  if (!small) return fields;
  // On a phone six filters fill the screen before the first event: they fold away behind one button.
  return (
    <>
      <Button
        variant="default"
        mb="md"
        onClick={() => setOpened((current) => !current)}
        aria-expanded={opened}
        aria-controls={panelId}
      >
        {opened ? 'Hide filters' : active > 0 ? `Filters (${active} on)` : 'Filters'}
      </Button>
      <Collapse expanded={opened} id={panelId}>
        {fields}
      </Collapse>
    </>
  );
}
