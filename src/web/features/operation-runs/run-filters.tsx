import { Button, Group, Select } from '@mantine/core';
import { humanize } from '../../ui/format.ts';
import { type RunFilters as Filters, RUN_OUTCOMES, RUN_STATUSES } from './api.ts';

const statusOptions = RUN_STATUSES.map((value) => ({ value, label: humanize(value) }));
const outcomeOptions = RUN_OUTCOMES.map((value) => ({ value, label: humanize(value) }));

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
        onChange={(value) =>
          onChange({ ...filters, status: RUN_STATUSES.find((status) => status === value) })
        }
        clearable
        w={200}
      />
      <Select
        label="Outcome"
        placeholder="Any outcome"
        data={outcomeOptions}
        value={filters.outcome ?? null}
        onChange={(value) =>
          onChange({ ...filters, outcome: RUN_OUTCOMES.find((outcome) => outcome === value) })
        }
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
