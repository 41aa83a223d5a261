import type { OverviewRow, OverviewSort, SortDirection } from './schemas.ts';

/** docs/rules.md "Workspace views". Pure functions, each with its table in rules.test.ts. */

export type QueueStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'revoked';

/** Open-finding counts of one (tenant, owner): the counters' sums, or the risk-accepted ones to subtract. */
export interface OpenCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  unassigned: number;
}

export interface OwnerCounts extends OpenCounts {
  ownerKey: number;
  /** Whether the owner is an active member of the tenant (ignored for ownerKey 0, no owner). */
  ownerActive: boolean;
}

/**
 * A tenant's open-finding figures from its counters per owner, minus the findings risk-accepted right now
 * (per owner too). docs/rules.md "Finding responsibility": a gap is no owner, or an owner who is not an active
 * member of the tenant.
 */
export function openFigures(counted: OwnerCounts[], accepted: (OpenCounts & { ownerKey: number })[]) {
  const minus = new Map(accepted.map((row) => [row.ownerKey, row]));
  const totals = { critical: 0, high: 0, medium: 0, low: 0, total: 0, accountability_gap: 0, unassigned: 0 };
  for (const row of counted) {
    const less = minus.get(row.ownerKey);
    const of = (key: keyof OpenCounts) => row[key] - (less?.[key] ?? 0);
    const open = of('critical') + of('high') + of('medium') + of('low');
    totals.critical += of('critical');
    totals.high += of('high');
    totals.medium += of('medium');
    totals.low += of('low');
    totals.total += open;
    totals.unassigned += of('unassigned');
    if (row.ownerKey === 0 || !row.ownerActive) totals.accountability_gap += open;
  }
  return totals;
}

const figureOf: Record<Exclude<OverviewSort, 'name' | 'latest_run'>, (row: OverviewRow) => number> = {
  critical: (row) => row.open_findings.critical,
  high: (row) => row.open_findings.high,
  medium: (row) => row.open_findings.medium,
  low: (row) => row.open_findings.low,
  open: (row) => row.open_findings.total,
  accountability_gap: (row) => row.accountability_gap,
  unassigned: (row) => row.unassigned,
  pending_exceptions: (row) => row.pending_exceptions,
  overdue_reviews: (row) => row.overdue_reviews,
  failed_runs: (row) => row.failed_runs,
};

const byName = (a: OverviewRow, b: OverviewRow) =>
  a.tenant.name.toLowerCase().localeCompare(b.tenant.name.toLowerCase()) ||
  a.tenant.external_id.localeCompare(b.tenant.external_id);

/**
 * The overview's order: by the figure, ties by tenant name (always A–Z, so equal rows keep one order); the
 * latest run by its time, tenants without a run last either way.
 */
export function sortOverview(rows: OverviewRow[], sort: OverviewSort, direction: SortDirection) {
  const sign = direction === 'asc' ? 1 : -1;
  const compare = (a: OverviewRow, b: OverviewRow): number => {
    if (sort === 'name') return sign * byName(a, b);
    if (sort === 'latest_run') {
      if (!a.latest_run || !b.latest_run) return (a.latest_run ? -1 : 0) + (b.latest_run ? 1 : 0);
      return sign * a.latest_run.at.localeCompare(b.latest_run.at);
    }
    return sign * (figureOf[sort](a) - figureOf[sort](b));
  };
  return [...rows].sort((a, b) => compare(a, b) || byName(a, b));
}

/** The sort a figure opens with: most first for counts and the latest run, A–Z for names. */
export const defaultDirection = (sort: OverviewSort): SortDirection => (sort === 'name' ? 'asc' : 'desc');

export const ANOTHER_OWNER_MUST_DECIDE = 'You requested this exception: another owner must decide';

/** docs/rules.md "Finding lifecycle", four eyes: who may approve an exception the queue shows. */
export function approvalRefusal(
  exception: { status: string; requestedById: number },
  actorId: number,
): string | null {
  if (exception.status !== 'pending') return 'Only a pending exception can be approved';
  return exception.requestedById === actorId ? ANOTHER_OWNER_MUST_DECIDE : null;
}

const MAX_ID = 2_147_483_647;

/** What a search term can be: an SR reference, an id (finding or run), and always a title or name prefix. */
export function readSearchTerm(q: string) {
  const text = q.trim();
  const digits = /^#?(\d{1,10})$/.exec(text)?.[1];
  const id = digits !== undefined && Number(digits) >= 1 && Number(digits) <= MAX_ID ? Number(digits) : null;
  const reference = /^sr-[a-z0-9-]+$/i.test(text) ? text.toUpperCase() : null;
  // LIKE's own characters are escaped: a search for "100%" finds the title "100% …", not everything.
  const likePrefix = `${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return { text, id, reference, likePrefix };
}
