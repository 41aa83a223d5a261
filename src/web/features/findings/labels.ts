import type {
  FindingSort,
  MyWorkRole,
  ResponsibilityState,
  Severity,
  WorkflowStatus,
  WorkflowStatusFilter,
} from './api.ts';

// Each map is typed by the server's enum, so it names every value, and its order is the filters' order.

/** The product's names for the responsibility states (docs/rules.md "Finding responsibility"). */
export const responsibilityLabels: Record<ResponsibilityState, string> = {
  orphaned_accountability: 'Orphaned accountability',
  owned_unassigned: 'Owned, unassigned',
  assigned: 'Assigned',
};

/** Most severe first. */
export const severityLabels: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

export const workflowStatusLabels: Record<WorkflowStatus, string> = {
  new: 'New',
  triaged: 'Triaged',
  in_progress: 'In progress',
  reopened: 'Reopened',
  resolved: 'Resolved',
  closed: 'Closed',
  risk_accepted: 'Risk accepted',
};

/**
 * docs/rules.md "Finding lifecycle", sorting: `newest` is the same order as `detected` (one label, one choice);
 * the choices are the sorts that differ.
 */
export const sortLabels: Record<FindingSort, string> = {
  newest: 'Detected, newest first',
  detected: 'Detected, newest first',
  oldest: 'Detected, oldest first',
  severity: 'Most severe first',
};
/** The sorts offered: one per order. */
export const sortChoices: FindingSort[] = ['newest', 'oldest', 'severity'];

/** The status filter: open findings by default, any status, or one (effective) status. */
export const statusFilterLabels: Record<WorkflowStatusFilter, string> = {
  open: 'Open',
  any: 'Any status',
  ...workflowStatusLabels,
};

export const myWorkRoleLabels: Record<MyWorkRole, string> = { owner: 'Owner', assignee: 'Assignee' };
