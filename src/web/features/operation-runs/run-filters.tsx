import { Button, Group, Select } from '@mantine/core';
import { optionsOf, parseKey } from '../../ui/options.ts';
import type { RunFilters as Filters } from './api.ts';
import { runOutcomeLabels, runStatusLabels } from './labels.ts';

const statusOptions = optionsOf(runStatusLabels);
const outcomeOptions = optionsOf(runOutcomeLabels);

/** Filters come from the URL, so they are linkable: values the API would refuse are dropped here. */
export function parseRunFilters(params: URLSearchParams): Filters {
  return {
    status: parseKey(runStatusLabels, params.get('status')),
    outcome: parseKey(runOutcomeLabels, params.get('outcome')),
  };
}

interface RunFiltersProps {
  filters: Filters;
  onChange: (filters: Filters) => void;
}

export function RunFilters({ filters, onChange }: RunFiltersProps) {
  const filtered = Boolean(filters.status || filters.outcome);
  return (
    <Group align="flex-end" gap="md" mb="md" wrap="wrap">
      <Select
        label="Status"
        placeholder="Any status"
        data={statusOptions}
        value={filters.status ?? null}
        onChange={(value) => onChange({ ...filters, status: parseKey(runStatusLabels, value) })}
        clearable
        w={200}
      />
      <Select
        label="Outcome"
        placeholder="Any outcome"
        data={outcomeOptions}
        value={filters.outcome ?? null}
        onChange={(value) => onChange({ ...filters, outcome: parseKey(runOutcomeLabels, value) })}
        clearable
        w={220}
      />
      {filtered ? (
        <Button variant="subtle" onClick={() => onChange({})}>
          Clear filters
        </Button>
      ) : null}
    </Group>
  );
}
