import type { tenantLimits } from '../../../server/features/workspace-tenants/schemas.ts';
import type { ArchivedFilter } from './api.ts';

/** The server's limits, checked by tsc against its `as const` table: a change there fails here. */
export const tenantFieldLimits: typeof tenantLimits = {
  external_id: 63,
  name: 200,
  directory_id: 36,
  primary_domain: 253,
  desk_customer_id: 200,
};

/** The list's status filter, in the order the control shows it. */
export const archivedFilterLabels: Record<ArchivedFilter, string> = {
  false: 'Active',
  true: 'Archived',
  all: 'All',
};

/** The form's words for the API's fields, for messages about a field the form does not show. */
export const tenantFieldLabels: Record<string, string> = {
  external_id: 'External id',
  name: 'Name',
  directory_id: 'Directory id',
  primary_domain: 'Primary domain',
  desk_customer_id: 'Desk customer',
  archived: 'Archived',
};
