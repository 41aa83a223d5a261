import { Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { optionsOf, parseKey } from '../../ui/options.ts';
import { SearchInput } from './search-input.tsx';

/**
 * The administration lists' filter bar: a search box and a status switch. `status` is the value shown;
 * `defaultStatus` is the one the URL leaves out, so choosing it clears the filter.
 */
export function SearchStatusFilters<Status extends string>({
  searchPlaceholder,
  q,
  onSearch,
  statusLabels,
  status,
  defaultStatus,
  onStatus,
}: {
  searchPlaceholder: string;
  q: string | undefined;
  onSearch: (q: string | undefined) => void;
  statusLabels: Readonly<Record<Status, string>>;
  status: Status | undefined;
  defaultStatus: Status;
  onStatus: (status: Status | undefined) => void;
}) {
  const statusLabel = useId();
  return (
    <Group align="flex-end" gap="md" mb="md" wrap="wrap">
      <SearchInput label="Search" placeholder={searchPlaceholder} value={q} onChange={onSearch} />
      <Stack gap={4}>
        <Text component="span" size="sm" fw={500} id={statusLabel}>
          Status
        </Text>
        <SegmentedControl
          aria-labelledby={statusLabel}
          data={optionsOf(statusLabels)}
          value={status ?? defaultStatus}
          onChange={(value) => {
            const chosen = parseKey(statusLabels, value);
            onStatus(chosen === defaultStatus ? undefined : chosen);
          }}
        />
      </Stack>
    </Group>
  );
}
