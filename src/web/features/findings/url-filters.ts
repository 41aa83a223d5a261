import {
  type FindingFilters,
  MY_WORK_ROLES,
  type MyWorkRole,
  RESPONSIBILITY_STATES,
  SEVERITIES,
  SORTS,
  WORKFLOW_STATUSES,
} from './api.ts';

/** Filters come from the URL, so they are linkable: values the API would refuse are dropped here. */
function pick<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((candidate) => candidate === value);
}

/** `me`, `none` or a positive user id; anything else is dropped rather than sent to earn a 422. */
function parsePerson(value: string | null): string | undefined {
  if (value === 'me' || value === 'none') return value;
  return value && /^[1-9][0-9]{0,9}$/.test(value) ? value : undefined;
}

export function parseFindingFilters(params: URLSearchParams): FindingFilters {
  const gap = params.get('accountability_gap');
  return {
    responsibility_state: pick(RESPONSIBILITY_STATES, params.get('responsibility_state')),
    accountability_gap: gap === 'true' || gap === 'false' ? gap : undefined,
    owner: parsePerson(params.get('owner')),
    assignee: parsePerson(params.get('assignee')),
    severity: pick(SEVERITIES, params.get('severity')),
    workflow_status: pick(WORKFLOW_STATUSES, params.get('workflow_status')),
    sort: pick(SORTS, params.get('sort')),
  };
}

export function parseMyWorkRole(value: string | null): MyWorkRole | undefined {
  return pick(MY_WORK_ROLES, value);
}

/** The filters without their empty entries: what goes into the URL and the query key. */
export function compactFilters(filters: FindingFilters): FindingFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value)) as FindingFilters;
}
