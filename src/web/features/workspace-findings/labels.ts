import type { OverviewSort } from './api.ts';

/** What the overview sorts by, as its caption names it (the header names the column). */
export const overviewSortLabels: Record<OverviewSort, string> = {
  name: 'tenant name',
  critical: 'open critical findings',
  high: 'open high findings',
  medium: 'open medium findings',
  low: 'open low findings',
  open: 'open findings',
  accountability_gap: 'accountability gaps',
  unassigned: 'unassigned findings',
  pending_exceptions: 'pending exceptions',
  overdue_reviews: 'overdue reviews',
  failed_runs: 'failed runs in 7 days',
  latest_run: 'latest run',
};

export const queueStatusLabels = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  revoked: 'Revoked',
} as const;
