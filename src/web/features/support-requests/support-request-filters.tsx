import { Button, Group, Select } from '@mantine/core';
import { optionsOf, parseKey } from '../../ui/options.ts';
import type { SupportRequestFilters } from './api.ts';
import { contextFilterLabels, outcomeLabels, severityLabels } from './labels.ts';

const outcomeOptions = optionsOf(outcomeLabels);
const severityOptions = optionsOf(severityLabels);
const MAX_ID = 2_147_483_647;

/** Filters come from the URL, so they are linkable: values the API would refuse are dropped here. */
export function parseSupportRequestFilters(params: URLSearchParams): SupportRequestFilters {
  const rawRun = params.get('run') ?? '';
  const run = /^[1-9]\d{0,9}$/.test(rawRun) && Number(rawRun) <= MAX_ID ? Number(rawRun) : undefined;
  return {
    outcome: parseKey(outcomeLabels, params.get('outcome')),
    // A run names its context; "tenant" with a run would list nothing.
    context: run === undefined ? parseKey(contextFilterLabels, params.get('context')) : undefined,
    run,
    severity: parseKey(severityLabels, params.get('severity')),
  };
}

export function filtersToParams(filters: SupportRequestFilters): Record<string, string | undefined> {
  return {
    outcome: filters.outcome,
    context: filters.context,
    run: filters.run === undefined ? undefined : String(filters.run),
    severity: filters.severity,
  };
}

export const isFiltered = (filters: SupportRequestFilters) =>
  Boolean(filters.outcome || filters.context || filters.run || filters.severity);

/** The context select: the tenant itself, any run, or the one run a run page linked to. */
function contextOptions(run: number | undefined) {
  const options: { value: string; label: string }[] = optionsOf(contextFilterLabels);
  if (run !== undefined) options.push({ value: `run:${run}`, label: `Run #${run}` });
  return options;
}

interface SupportRequestFiltersBarProps {
  filters: SupportRequestFilters;
  onChange: (filters: SupportRequestFilters) => void;
}

export function SupportRequestFiltersBar({ filters, onChange }: SupportRequestFiltersBarProps) {
  const contextValue = filters.run !== undefined ? `run:${filters.run}` : (filters.context ?? null);
  return (
    <Group align="flex-end" gap="md" mb="md" wrap="wrap">
      <Select
        label="Outcome"
        placeholder="Any outcome"
        data={outcomeOptions}
        value={filters.outcome ?? null}
        onChange={(value) => onChange({ ...filters, outcome: parseKey(outcomeLabels, value) })}
        clearable
        w={200}
      />
      <Select
        label="Context"
        placeholder="Tenant and runs"
        data={contextOptions(filters.run)}
        value={contextValue}
        onChange={(value) =>
          value === `run:${filters.run}`
            ? onChange(filters)
            : onChange({ ...filters, run: undefined, context: parseKey(contextFilterLabels, value) })
        }
        clearable
        w={200}
      />
      <Select
        label="Severity"
        placeholder="Any severity"
        data={severityOptions}
        value={filters.severity ?? null}
        onChange={(value) => onChange({ ...filters, severity: parseKey(severityLabels, value) })}
        clearable
        w={180}
      />
      {isFiltered(filters) ? (
        <Button variant="subtle" onClick={() => onChange({})}>
          Clear filters
        </Button>
      ) : null}
    </Group>
  );
}
