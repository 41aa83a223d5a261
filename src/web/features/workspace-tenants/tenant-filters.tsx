import { Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { optionsOf, parseKey } from '../../ui/options.ts';
import { SearchInput } from '../administration/search-input.tsx';
import type { TenantFilters } from './api.ts';
import { archivedFilterLabels } from './labels.ts';

/** Filters come from the URL, so they are linkable: values the API would refuse are dropped here. */
export function parseTenantFilters(params: URLSearchParams): TenantFilters {
  const q = params.get('q')?.trim().slice(0, 100);
  return {
    q: q || undefined,
    archived: parseKey(archivedFilterLabels, params.get('archived')),
  };
}

const statusOptions = optionsOf(archivedFilterLabels);

export function TenantFiltersBar({
  filters,
  onChange,
}: {
  filters: TenantFilters;
  onChange: (filters: TenantFilters) => void;
}) {
  const statusLabel = useId();
  return (
    <Group align="flex-end" gap="md" mb="md" wrap="wrap">
      <SearchInput
        label="Search"
        placeholder="Name or external id"
        value={filters.q}
        onChange={(q) => onChange({ ...filters, q })}
      />
      <Stack gap={4}>
        <Text component="span" size="sm" fw={500} id={statusLabel}>
          Status
        </Text>
        <SegmentedControl
          aria-labelledby={statusLabel}
          data={statusOptions}
          value={filters.archived ?? 'false'}
          onChange={(value) => {
            const archived = parseKey(archivedFilterLabels, value);
            onChange({ ...filters, archived: archived === 'false' ? undefined : archived });
          }}
        />
      </Stack>
    </Group>
  );
}
