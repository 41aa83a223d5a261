import { type Static, Type } from 'typebox';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { Nullable } from '../../core/schema-parts.ts';
import { ExceptionView, FindingItem, FindingListQuery, Severity } from '../findings/schemas.ts';
import { RunOutcome, RunStatus } from '../operation-runs/schemas.ts';

const Count = Type.Integer({ minimum: 0 });
const DateTime = Type.String({ format: 'date-time' });
/** A tenant as the workspace views name it: its external id (the path segment of its pages) and name. */
export const WorkspaceTenantRef = Type.Object({ external_id: Type.String(), name: Type.String() });
export type WorkspaceTenantRef = Static<typeof WorkspaceTenantRef>;

/** What the overview sorts by: each figure, the tenant's name and its latest run. */
export const overviewSorts = [
  'name',
  'critical',
  'high',
  'medium',
  'low',
  'open',
  'accountability_gap',
  'unassigned',
  'pending_exceptions',
  'overdue_reviews',
  'failed_runs',
  'latest_run',
] as const;
export const OverviewSort = Type.Enum(overviewSorts);
export type OverviewSort = Static<typeof OverviewSort>;
export const SortDirection = Type.Enum(['asc', 'desc']);
export type SortDirection = Static<typeof SortDirection>;

export const OverviewQuery = Type.Object({
  sort: Type.Optional(OverviewSort),
  direction: Type.Optional(SortDirection),
});
export type OverviewQuery = Static<typeof OverviewQuery>;

export const OverviewRun = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  status: RunStatus,
  outcome: Nullable(RunOutcome),
  /** When it completed, else when it started, else when it was queued. */
  at: DateTime,
});
export type OverviewRun = Static<typeof OverviewRun>;

export const OverviewRow = Type.Object({
  tenant: WorkspaceTenantRef,
  open_findings: Type.Object({ critical: Count, high: Count, medium: Count, low: Count, total: Count }),
  /** Open findings with no owner, or an owner who is no longer an active member of the tenant. */
  accountability_gap: Count,
  /** Open findings with nobody assigned. */
  unassigned: Count,
  pending_exceptions: Count,
  /** Pending or approved, unexpired exceptions whose review date has passed. */
  overdue_reviews: Count,
  /** Runs of the tenant that completed as failed in the last 7 days. */
  failed_runs: Count,
  latest_run: Nullable(OverviewRun),
});
export type OverviewRow = Static<typeof OverviewRow>;

export const WorkspaceFindingsOverview = Type.Object({
  workspace: Type.Object({ slug: Type.String(), name: Type.String() }),
  /** One row per tenant the caller may view (archived tenants are left out), in the requested order. */
  items: Type.Array(OverviewRow),
  sort: OverviewSort,
  direction: SortDirection,
  /** The moment the time-dependent figures (overdue, last 7 days, risk acceptance) were judged at. */
  as_of: DateTime,
});
export type WorkspaceFindingsOverview = Static<typeof WorkspaceFindingsOverview>;

const TenantFilter = Type.String({
  pattern: '^[a-z0-9-]{1,63}$',
  description: "A tenant's external_id: only that tenant's findings",
});

export const WorkspaceFindingListQuery = Type.Intersect([
  FindingListQuery,
  Type.Object({ tenant: Type.Optional(TenantFilter) }),
]);
export type WorkspaceFindingListQuery = Static<typeof WorkspaceFindingListQuery>;

export const WorkspaceFindingItem = Type.Intersect([
  FindingItem,
  Type.Object({ tenant: WorkspaceTenantRef }),
]);
export type WorkspaceFindingItem = Static<typeof WorkspaceFindingItem>;

export const WorkspaceFindingPage = Type.Object({
  items: Type.Array(WorkspaceFindingItem),
  next_cursor: nextCursorSchema,
});
export type WorkspaceFindingPage = Static<typeof WorkspaceFindingPage>;

export const queueStatuses = ['pending', 'approved', 'rejected', 'expired', 'revoked'] as const;
export const ApprovalQueueQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    status: Type.Optional(
      Type.Enum(queueStatuses, {
        description: 'Default `pending`; with `review=overdue`, default pending and approved',
      }),
    ),
    review: Type.Optional(
      Type.Enum(['overdue'], { description: 'Only exceptions whose review date has passed' }),
    ),
    tenant: Type.Optional(TenantFilter),
  }),
]);
export type ApprovalQueueQuery = Static<typeof ApprovalQueueQuery>;

export const ApprovalQueueItem = Type.Object({
  exception: ExceptionView,
  finding: Type.Object({
    finding_id: Type.Integer(),
    title: Type.String(),
    severity: Severity,
  }),
  tenant: WorkspaceTenantRef,
  /**
   * Whether the caller may approve it now: pending, and not requested by the caller (docs/rules.md
   * "Finding lifecycle": another owner must decide).
   */
  can_approve: Type.Boolean(),
  /** Why not, when can_approve is false for a pending exception. */
  cannot_approve_reason: Nullable(Type.String()),
});
export type ApprovalQueueItem = Static<typeof ApprovalQueueItem>;

export const ApprovalQueuePage = Type.Object({
  items: Type.Array(ApprovalQueueItem),
  next_cursor: nextCursorSchema,
});
export type ApprovalQueuePage = Static<typeof ApprovalQueuePage>;

export const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'An SR reference, an id, or the start of a title or name',
  }),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchResults = Type.Object({
  q: Type.String(),
  support_requests: Type.Array(
    Type.Object({
      id: Type.Integer(),
      internal_reference: Type.String(),
      summary: Type.String(),
      tenant: WorkspaceTenantRef,
    }),
  ),
  findings: Type.Array(
    Type.Object({
      finding_id: Type.Integer(),
      title: Type.String(),
      severity: Severity,
      tenant: WorkspaceTenantRef,
    }),
  ),
  runs: Type.Array(
    Type.Object({
      id: Type.Integer(),
      type: Type.String(),
      status: RunStatus,
      outcome: Nullable(RunOutcome),
      /** Null for a workspace-level run. */
      tenant: Nullable(WorkspaceTenantRef),
    }),
  ),
  tenants: Type.Array(WorkspaceTenantRef),
});
export type SearchResults = Static<typeof SearchResults>;
