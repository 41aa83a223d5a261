import { Button, Group, Select, Stack } from '@mantine/core';
import { optionsOf, parseKey } from '../../ui/options.ts';
import type { FindingFilters, FindingPerson, Member } from './api.ts';
import {
  responsibilityLabels,
  severityLabels,
  sortChoices,
  sortLabels,
  statusFilterLabels,
} from './labels.ts';

/** Saved filters: each replaces the current filters with its own (the sort stays). */
export const quickFilters: { label: string; filters: FindingFilters }[] = [
  { label: 'Assigned to me', filters: { assignee: 'me' } },
  { label: 'Owned by me', filters: { owner: 'me' } },
  { label: 'Orphaned accountability', filters: { responsibility_state: 'orphaned_accountability' } },
  { label: 'Accountability gap', filters: { accountability_gap: 'true' } },
];

const stateOptions = optionsOf(responsibilityLabels);
const severityOptions = optionsOf(severityLabels);
const statusOptions = optionsOf(statusFilterLabels);
const sortOptions = sortChoices.map((sort) => ({ value: sort, label: sortLabels[sort] }));
/** The tools TenantPilot imports (docs/rules.md "Imports"); a v1 file's own tool comes from the URL. */
const knownSources = [
  { value: 'maester', label: 'Maester' },
  { value: 'scubagear', label: 'ScubaGear' },
];
const sourceOptions = (selected: string | undefined) =>
  selected && !knownSources.some((source) => source.value === selected)
    ? [...knownSources, { value: selected, label: selected }]
    : knownSources;
const gapOptions = [
  { value: 'true', label: 'With a gap' },
  { value: 'false', label: 'Without a gap' },
];

function withoutSort(filters: FindingFilters): string {
  const { sort: _sort, ...rest } = filters;
  return JSON.stringify(
    Object.entries(rest)
      .filter(([, value]) => value)
      .sort(),
  );
}

export function isQuickFilterActive(filters: FindingFilters, quick: FindingFilters): boolean {
  return withoutSort(filters) === withoutSort(quick);
}

/**
 * Me, nobody, then everyone who holds the role on a finding of the tenant (former members and inactive users
 * too, marked so) and the active members who hold none yet: every option has a name.
 */
function personOptions(
  members: Member[],
  holders: FindingPerson[],
  selected: string | undefined,
  none: string,
) {
  const options = [
    { value: 'me', label: 'Me' },
    { value: 'none', label: none },
    ...holders.map((person) => ({
      value: String(person.id),
      label: person.active_member ? person.display_name : `${person.display_name} (former member)`,
    })),
  ];
  for (const member of members) {
    if (!options.some((option) => option.value === String(member.id))) {
      options.push({ value: String(member.id), label: member.display_name });
    }
  }
  // A user id from a shared link who holds nothing and is no member: still a choice, said plainly.
  if (selected && !options.some((option) => option.value === selected)) {
    options.push({ value: selected, label: 'Someone who holds no finding here' });
  }
  return options;
}

interface FindingFiltersProps {
  filters: FindingFilters;
  members: Member[];
  people?: { owners: FindingPerson[]; assignees: FindingPerson[] } | undefined;
  onChange: (filters: FindingFilters) => void;
}

export function FindingFiltersBar({ filters, members, people, onChange }: FindingFiltersProps) {
  const set = (patch: Partial<FindingFilters>) => onChange({ ...filters, ...patch });
  const filtered = withoutSort(filters) !== '[]';
  return (
    <Stack gap="sm" mb="md">
      <Group gap="xs" role="group" aria-label="Quick filters">
        {quickFilters.map((quick) => {
          const active = isQuickFilterActive(filters, quick.filters);
          return (
            <Button
              key={quick.label}
              size="xs"
              radius="xl"
              variant={active ? 'filled' : 'default'}
              aria-pressed={active}
              onClick={() =>
                onChange(active ? { sort: filters.sort } : { ...quick.filters, sort: filters.sort })
              }
            >
              {quick.label}
            </Button>
          );
        })}
      </Group>
      <Group align="flex-end" gap="md" wrap="wrap">
        <Select
          label="Responsibility"
          placeholder="Any state"
          data={stateOptions}
          value={filters.responsibility_state ?? null}
          onChange={(value) => set({ responsibility_state: parseKey(responsibilityLabels, value) })}
          clearable
          w={220}
        />
        <Select
          label="Accountability gap"
          placeholder="Any"
          data={gapOptions}
          value={filters.accountability_gap ?? null}
          onChange={(value) =>
            set({ accountability_gap: value === 'true' || value === 'false' ? value : undefined })
          }
          clearable
          w={170}
        />
        <Select
          label="Owner"
          placeholder="Anyone"
          data={personOptions(members, people?.owners ?? [], filters.owner, 'No owner')}
          value={filters.owner ?? null}
          onChange={(value) => set({ owner: value ?? undefined })}
          searchable
          clearable
          w={190}
        />
        <Select
          label="Assignee"
          placeholder="Anyone"
          data={personOptions(members, people?.assignees ?? [], filters.assignee, 'Unassigned')}
          value={filters.assignee ?? null}
          onChange={(value) => set({ assignee: value ?? undefined })}
          searchable
          clearable
          w={190}
        />
        <Select
          label="Severity"
          placeholder="Any severity"
          data={severityOptions}
          value={filters.severity ?? null}
          onChange={(value) => set({ severity: parseKey(severityLabels, value) })}
          clearable
          w={150}
        />
        <Select
          label="Source"
          placeholder="Any source"
          data={sourceOptions(filters.source)}
          value={filters.source ?? null}
          onChange={(value) => set({ source: value ?? undefined })}
          clearable
          w={160}
        />
        <Select
          label="Status"
          data={statusOptions}
          value={filters.workflow_status ?? 'open'}
          onChange={(value) => {
            const status = parseKey(statusFilterLabels, value);
            set({ workflow_status: status === 'open' ? undefined : status });
          }}
          allowDeselect={false}
          w={160}
        />
        <Select
          label="Sort"
          data={sortOptions}
          value={filters.sort === 'detected' ? 'newest' : (filters.sort ?? 'newest')}
          onChange={(value) => {
            const sort = parseKey(sortLabels, value);
            set({ sort: sort === 'newest' || sort === 'detected' ? undefined : sort });
          }}
          allowDeselect={false}
          w={210}
        />
        {filtered ? (
          <Button variant="subtle" onClick={() => onChange({ sort: filters.sort })}>
            Clear filters
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
