import type { FindingSort, MyWorkRole, ResponsibilityState, Severity, WorkflowStatus } from './api.ts';

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

export const sortLabels: Record<FindingSort, string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  severity: 'Severity, critical first',
  detected: 'Detected, latest first',
};

export const myWorkRoleLabels: Record<MyWorkRole, string> = { owner: 'Owner', assignee: 'Assignee' };
