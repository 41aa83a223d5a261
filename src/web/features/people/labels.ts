import type { ActiveFilter, Person } from './api.ts';

/** The list's status filter, in the order the control shows it. */
export const activeFilterLabels: Record<ActiveFilter, string> = {
  all: 'All',
  true: 'Active',
  false: 'Suspended',
};

export type PersonStatus = 'invited' | 'active' | 'suspended';

/** An invitation not yet accepted reads as such before anything else: the person has never signed in. */
export function personStatus(person: Person): PersonStatus {
  if (!person.active) return 'suspended';
  return person.invitation_pending ? 'invited' : 'active';
}

export const personStatusLabels: Record<PersonStatus, string> = {
  invited: 'Invitation pending',
  active: 'Active',
  suspended: 'Suspended',
};

/** The forms' words for the API's fields, for messages about a field the form shows nowhere. */
export const personFieldLabels: Record<string, string> = {
  email: 'Email',
  display_name: 'Name',
  workspace_role: 'Workspace role',
  tenant_roles: 'Tenant roles',
  active: 'Status',
  role: 'Tenant role',
};
