import { parseKey } from '../../ui/options.ts';
import { SearchStatusFilters } from '../administration/search-status-filters.tsx';
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

export function TenantFiltersBar({
  filters,
  onChange,
}: {
  filters: TenantFilters;
  onChange: (filters: TenantFilters) => void;
}) {
  return (
    <SearchStatusFilters
      searchPlaceholder="Name or external id"
      q={filters.q}
      onSearch={(q) => onChange({ ...filters, q })}
      statusLabels={archivedFilterLabels}
      status={filters.archived}
      defaultStatus="false"
      onStatus={(archived) => onChange({ ...filters, archived })}
    />
  );
}
