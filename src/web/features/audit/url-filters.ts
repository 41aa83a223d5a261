import type { AUDIT_ACTION_PATTERN } from '../../../server/features/audit/schemas.ts';
import type { AuditFilters } from './api.ts';

/** The server's pattern, checked by tsc against its literal: a change there fails here. */
const actionPattern: typeof AUDIT_ACTION_PATTERN = '^[a-z0-9_]+(\\.[a-z0-9_]+)*\\.?$';
const ACTION = new RegExp(actionPattern);
const SUBJECT_TYPE = /^[a-z0-9_]+$/;
const TENANT = /^[a-z0-9-]{1,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters as the page's URL holds them: days (`YYYY-MM-DD`, both inclusive), not instants. */
export interface AuditUrlFilters {
  actor?: string;
  action?: string;
  subject_type?: string;
  tenant?: string;
  from?: string;
  to?: string;
}

export const isAction = (value: string) => value.length <= 100 && ACTION.test(value);
export const isSubjectType = (value: string) => value.length <= 100 && SUBJECT_TYPE.test(value);

function validDay(value: string | null): string | undefined {
  if (!value || !DAY.test(value)) return undefined;
  return Number.isNaN(new Date(`${value}T00:00:00`).getTime()) ? undefined : value;
}

/** Filters come from the URL, so they are linkable: values the API would refuse are dropped here. */
export function parseAuditFilters(params: URLSearchParams): AuditUrlFilters {
  const actor = params.get('actor');
  const action = params.get('action');
  const subject = params.get('subject_type');
  const tenant = params.get('tenant');
  return {
    actor: actor && /^[1-9][0-9]{0,9}$/.test(actor) ? actor : undefined,
    action: action && isAction(action) ? action : undefined,
    subject_type: subject && isSubjectType(subject) ? subject : undefined,
    tenant: tenant && TENANT.test(tenant) ? tenant : undefined,
    from: validDay(params.get('from')),
    to: validDay(params.get('to')),
  };
}

/** Midnight at the start of a day in the viewer's time zone, as an instant. */
function startOfDay(day: string, plusDays = 0): string {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
}

/** The API's filters: `from` the start of its day, `to` the start of the day after (exclusive). */
export function toApiFilters(filters: AuditUrlFilters): AuditFilters {
  const api: AuditFilters = {};
  if (filters.actor) api.actor = Number(filters.actor);
  if (filters.action) api.action = filters.action;
  if (filters.subject_type) api.subject_type = filters.subject_type;
  if (filters.tenant) api.tenant = filters.tenant;
  if (filters.from) api.from = startOfDay(filters.from);
  if (filters.to) api.to = startOfDay(filters.to, 1);
  return api;
}

export function toSearchParams(filters: AuditUrlFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params;
}
