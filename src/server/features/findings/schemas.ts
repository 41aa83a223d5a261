import { type Static, Type } from 'typebox';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { Nullable } from '../../core/schema-parts.ts';
import { CapabilityList } from '../tenancy/schemas.ts';
import { exceptionStatuses, severities, workflowStatuses } from './tables.ts';

const DateTime = Type.String({ format: 'date-time' });
const UserId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

export const FINDING_LIST_SURFACE = 'tenant_findings_list' as const;
export const FINDING_COLLECTION_ROUTE = '/admin/t/{tenant}/findings' as const;
export const FINDING_DETAIL_SURFACE = 'finding_detail' as const;
export const FINDING_DETAIL_ROUTE = '/admin/t/{tenant}/findings/{finding}' as const;

export const UserRef = Type.Object({ id: Type.Integer(), display_name: Type.String() });
export type UserRef = Static<typeof UserRef>;

export const ResponsibilityState = Type.Enum(['orphaned_accountability', 'owned_unassigned', 'assigned']);
export type ResponsibilityState = Static<typeof ResponsibilityState>;
export const Severity = Type.Enum(severities);
export type Severity = Static<typeof Severity>;
export const WorkflowStatus = Type.Enum(workflowStatuses);
export type WorkflowStatus = Static<typeof WorkflowStatus>;
export const ExceptionStatus = Type.Enum(exceptionStatuses);
export type ExceptionStatus = Static<typeof ExceptionStatus>;
export const ChangeClassification = Type.Enum([
  'owner_only',
  'assignee_only',
  'owner_and_assignee',
  'clear_owner',
  'clear_assignee',
]);
export type ChangeClassification = Static<typeof ChangeClassification>;
/** The last segment of an exception action's path: /exceptions/{exception}/actions/{decision}. */
export const ExceptionDecision = Type.Enum(['approve', 'reject', 'revoke']);
export type ExceptionDecision = Static<typeof ExceptionDecision>;
export const MyWorkRole = Type.Enum(['owner', 'assignee']);
export type MyWorkRole = Static<typeof MyWorkRole>;

export const ExceptionView = Type.Object({
  id: Type.Integer(),
  status: ExceptionStatus,
  owner: UserRef,
  requested_by: UserRef,
  request_reason: Type.String(),
  review_due_at: DateTime,
  expires_at: Nullable(DateTime),
  requested_at: DateTime,
  decided_by: Nullable(UserRef),
  decided_at: Nullable(DateTime),
  /** Why it was decided: always present for a rejected or revoked exception. */
  decision_note: Nullable(Type.String()),
  review_overdue: Type.Boolean(),
});
export type ExceptionView = Static<typeof ExceptionView>;

/** The contract's FindingResponsibilitySummary, plus title, severity, detected_at and the current exception. */
export const FindingItem = Type.Object({
  finding_id: Type.Integer(),
  workflow_status: WorkflowStatus,
  owner: Nullable(UserRef),
  assignee: Nullable(UserRef),
  responsibility_state: ResponsibilityState,
  accountability_gap: Type.Boolean(),
  exception_owner: Nullable(UserRef),
  title: Type.String(),
  severity: Severity,
  detected_at: DateTime,
  exception: Nullable(ExceptionView),
  // docs/rules.md "Imports": what the tool that reported the finding said; all null for findings made here.
  source: Nullable(Type.String({ description: "The tool: maester, scubagear or a v1 file's tool" })),
  check_id: Nullable(Type.String()),
  description: Nullable(Type.String({ description: "The tool's markdown: untrusted, render it sanitized" })),
  evidence: Nullable(Type.String()),
  help_url: Nullable(Type.String()),
  last_seen_at: Nullable(DateTime),
});
export type FindingItem = Static<typeof FindingItem>;

const TenantRefView = Type.Object({ external_id: Type.String(), name: Type.String() });

export const FindingListSurface = Type.Object({
  surface: Type.Literal(FINDING_LIST_SURFACE),
  collection_route: Type.Literal(FINDING_COLLECTION_ROUTE),
  primary_inspect_model: Type.Literal('finding'),
  items: Type.Array(FindingItem),
  next_cursor: nextCursorSchema,
});
export type FindingListSurface = Static<typeof FindingListSurface>;

export const FindingDetailSurface = Type.Intersect([
  FindingItem,
  Type.Object({
    surface: Type.Literal(FINDING_DETAIL_SURFACE),
    detail_route: Type.Literal(FINDING_DETAIL_ROUTE),
    tenant: TenantRefView,
    exceptions: Type.Array(ExceptionView),
    capabilities: CapabilityList,
  }),
]);
export type FindingDetailSurface = Static<typeof FindingDetailSurface>;

/** A status (the effective one), `open` (the default: new, triaged, in_progress, reopened) or `any`. */
export const WorkflowStatusFilter = Type.Enum([...workflowStatuses, 'open', 'any'], {
  description: 'An effective workflow status, `open` (the default) or `any`',
});
export type WorkflowStatusFilter = Static<typeof WorkflowStatusFilter>;

export const FindingSort = Type.Enum(['newest', 'oldest', 'severity', 'detected']);
export type FindingSort = Static<typeof FindingSort>;
const PersonFilter = Type.String({
  pattern: '^(me|none|[1-9][0-9]{0,9})$',
  description: 'A user id, `me` or `none`',
});

/** The list's filters and sort: the list's query, a bulk change's `filter`, the CSV export and part B's workspace list. */
export const FindingListFilters = Type.Object({
  sort: Type.Optional(FindingSort),
  responsibility_state: Type.Optional(ResponsibilityState),
  accountability_gap: Type.Optional(Type.Enum(['true', 'false'])),
  owner: Type.Optional(PersonFilter),
  assignee: Type.Optional(PersonFilter),
  severity: Type.Optional(Severity),
  workflow_status: Type.Optional(WorkflowStatusFilter),
  source: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 63,
      description: 'The tool that reported it (docs/rules.md "Imports")',
    }),
  ),
});
export type FindingListFilters = Static<typeof FindingListFilters>;

export const FindingListQuery = Type.Intersect([
  PageQuery,
  FindingListFilters,
  Type.Object({
    format: Type.Optional(
      Type.Enum(['json', 'csv'], { description: '`csv` streams every matching finding' }),
    ),
  }),
]);
export type FindingListQuery = Static<typeof FindingListQuery>;

export const FindingParams = Type.Object({
  tenant: Type.String({ description: 'The tenant external_id' }),
  finding: Type.String({ description: 'The finding id' }),
});
export type FindingParams = Static<typeof FindingParams>;
export const ExceptionParams = Type.Intersect([
  FindingParams,
  Type.Object({ exception: Type.String({ description: 'The exception id' }) }),
]);
export type ExceptionParams = Static<typeof ExceptionParams>;

export const ResponsibilityUpdate = Type.Object(
  {
    owner_user_id: Type.Optional(Nullable(UserId)),
    assignee_user_id: Type.Optional(Nullable(UserId)),
  },
  { additionalProperties: false },
);
export type ResponsibilityUpdate = Static<typeof ResponsibilityUpdate>;

export const ResponsibilityResult = Type.Object({
  change_classification: ChangeClassification,
  responsibility: FindingItem,
});
export type ResponsibilityResult = Static<typeof ResponsibilityResult>;

export const ExceptionRequestBody = Type.Object(
  {
    owner_user_id: UserId,
    request_reason: Type.String({ maxLength: 2000 }),
    review_due_at: Type.String({ format: 'date-time', maxLength: 64 }),
    expires_at: Type.Optional(Nullable(Type.String({ format: 'date-time', maxLength: 64 }))),
  },
  { additionalProperties: false },
);
export type ExceptionRequestBody = Static<typeof ExceptionRequestBody>;

export const ExceptionRequestResult = Type.Object({
  finding_owner_preserved: Type.Literal(true),
  exception_owner: UserRef,
  exception: ExceptionView,
  responsibility: FindingItem,
});
export type ExceptionRequestResult = Static<typeof ExceptionRequestResult>;

export const DecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;
export const DecisionResult = Type.Object({ exception: ExceptionView, responsibility: FindingItem });
export type DecisionResult = Static<typeof DecisionResult>;

export const NOTE_MAX = 2000;

export const StatusChange = Type.Object(
  {
    workflow_status: WorkflowStatus,
    note: Type.Optional(Type.String({ maxLength: NOTE_MAX })),
  },
  { additionalProperties: false },
);
export type StatusChange = Static<typeof StatusChange>;
export const StatusChangeResult = Type.Object({ previous_status: WorkflowStatus, finding: FindingItem });
export type StatusChangeResult = Static<typeof StatusChangeResult>;

export const FindingCount = Type.Object({
  /** How many findings match, counted up to `limit`. */
  count: Type.Integer({ minimum: 0 }),
  /** True when more than `limit` match (the count stops there). */
  more: Type.Boolean(),
  limit: Type.Integer(),
});
export type FindingCount = Static<typeof FindingCount>;

export const BULK_IDS_MAX = 1000;
export const BULK_FILTER_MAX = 10_000;

export const BulkChangeBody = Type.Object(
  {
    finding_ids: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), {
        minItems: 1,
        maxItems: BULK_IDS_MAX,
      }),
    ),
    filter: Type.Optional(Type.Object(FindingListFilters.properties, { additionalProperties: false })),
    change: Type.Object(
      {
        owner_user_id: Type.Optional(Nullable(UserId)),
        assignee_user_id: Type.Optional(Nullable(UserId)),
        workflow_status: Type.Optional(WorkflowStatus),
        note: Type.Optional(Type.String({ maxLength: NOTE_MAX })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type BulkChangeBody = Static<typeof BulkChangeBody>;

export const BulkOutcome = Type.Enum(['changed', 'unchanged', 'refused']);
export type BulkOutcome = Static<typeof BulkOutcome>;
export const BulkChangeResult = Type.Object({
  results: Type.Array(
    Type.Object({ finding_id: Type.Integer(), outcome: BulkOutcome, reason: Nullable(Type.String()) }),
  ),
  changed: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  refused: Type.Integer({ minimum: 0 }),
});
export type BulkChangeResult = Static<typeof BulkChangeResult>;

export const HistoryEvent = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  actor: Nullable(UserRef),
  before: Type.Unknown(),
  after: Type.Unknown(),
  at: DateTime,
});
export type HistoryEvent = Static<typeof HistoryEvent>;
export const HistoryPage = Type.Object({
  items: Type.Array(HistoryEvent),
  next_cursor: nextCursorSchema,
  /** Everyone the page's events name by id (owners, assignees, exception owners), former members too. */
  people: Type.Array(UserRef),
});

export const FindingPerson = Type.Object({
  id: Type.Integer(),
  display_name: Type.String(),
  /** False for a former member or an inactive user, who may still own findings. */
  active_member: Type.Boolean(),
});
export type FindingPerson = Static<typeof FindingPerson>;
export const FindingPeople = Type.Object({
  owners: Type.Array(FindingPerson),
  assignees: Type.Array(FindingPerson),
});
export type FindingPeople = Static<typeof FindingPeople>;
export type HistoryPage = Static<typeof HistoryPage>;

export const MyWorkQuery = Type.Intersect([PageQuery, Type.Object({ role: Type.Optional(MyWorkRole) })]);
export type MyWorkQuery = Static<typeof MyWorkQuery>;
export const MyWorkItem = Type.Intersect([
  FindingItem,
  Type.Object({
    tenant: TenantRefView,
    my_roles: Type.Array(MyWorkRole),
  }),
]);
export type MyWorkItem = Static<typeof MyWorkItem>;
export const MyWorkPage = Type.Object({ items: Type.Array(MyWorkItem), next_cursor: nextCursorSchema });
export type MyWorkPage = Static<typeof MyWorkPage>;
