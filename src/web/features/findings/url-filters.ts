import { parseKey } from '../../ui/options.ts';
import type { FindingFilters, MyWorkRole } from './api.ts';
import {
  myWorkRoleLabels,
  responsibilityLabels,
  severityLabels,
  sortLabels,
  statusFilterLabels,
} from './labels.ts';

/** `me`, `none` or a positive user id; anything else is dropped rather than sent to earn a 422. */
function parsePerson(value: string | null): string | undefined {
  if (value === 'me' || value === 'none') return value;
  return value && /^[1-9][0-9]{0,9}$/.test(value) ? value : undefined;
}

/** A tool name as imports store it (docs/rules.md "Imports"); anything else is dropped. */
function parseSource(value: string | null): string | undefined {
  return value && /^[a-z0-9][a-z0-9._-]{0,62}$/.test(value) ? value : undefined;
}

/** Filters come from the URL, so they are linkable: values the API would refuse are dropped here. */
export function parseFindingFilters(params: URLSearchParams): FindingFilters {
  const gap = params.get('accountability_gap');
  return {
    responsibility_state: parseKey(responsibilityLabels, params.get('responsibility_state')),
    accountability_gap: gap === 'true' || gap === 'false' ? gap : undefined,
    owner: parsePerson(params.get('owner')),
    assignee: parsePerson(params.get('assignee')),
    severity: parseKey(severityLabels, params.get('severity')),
    workflow_status: parseKey(statusFilterLabels, params.get('workflow_status')),
    source: parseSource(params.get('source')),
    sort: parseKey(sortLabels, params.get('sort')),
  };
}

export function parseMyWorkRole(value: string | null): MyWorkRole | undefined {
  return parseKey(myWorkRoleLabels, value);
}

/** The filters without their empty entries: what goes into the URL and the query key. */
export function compactFilters(filters: FindingFilters): FindingFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value)) as FindingFilters;
}
