import { Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback, useId } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { optionsOf, parseKey } from '../../ui/options.ts';
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

/** A search box that waits for a pause in typing before it changes the URL (and the query). */
export function SearchInput({
  label,
  value,
  onChange,
  placeholder,
}: {
  label: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  placeholder?: string;
}) {
  const [text, setText] = useState(value ?? '');
  // A change from outside (Clear filters, the back button) replaces what was typed.
  useEffect(() => setText(value ?? ''), [value]);
  const commit = useDebouncedCallback((next: string) => onChange(next.trim() || undefined), 300);
  return (
    <TextInput
      type="search"
      label={label}
      placeholder={placeholder}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      maxLength={100}
      w={{ base: '100%', xs: 280 }}
    />
  );
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
