import { Type } from 'typebox';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { CapabilityList } from '../tenancy/schemas.ts';
import { exceptionStatuses, severities, workflowStatuses } from './tables.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const UserId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

export const FINDING_LIST_SURFACE = 'tenant_findings_list' as const;
export const FINDING_COLLECTION_ROUTE = '/admin/t/{tenant}/findings' as const;
export const FINDING_DETAIL_SURFACE = 'finding_detail' as const;
export const FINDING_DETAIL_ROUTE = '/admin/t/{tenant}/findings/{finding}' as const;

export const UserRef = Type.Object({ id: Type.Integer(), display_name: Type.String() });
export const ResponsibilityStateSchema = Type.Enum([
  'orphaned_accountability',
  'owned_unassigned',
  'assigned',
]);
export const SeveritySchema = Type.Enum(severities);
export const WorkflowStatusSchema = Type.Enum(workflowStatuses);
export const ChangeClassificationSchema = Type.Enum([
  'owner_only',
  'assignee_only',
  'owner_and_assignee',
  'clear_owner',
  'clear_assignee',
]);

export const ExceptionView = Type.Object({
  id: Type.Integer(),
  status: Type.Enum(exceptionStatuses),
  owner: UserRef,
  requested_by: UserRef,
  request_reason: Type.String(),
  review_due_at: DateTime,
  expires_at: Nullable(DateTime),
  requested_at: DateTime,
  decided_by: Nullable(UserRef),
  decided_at: Nullable(DateTime),
  review_overdue: Type.Boolean(),
});

/** The contract's FindingResponsibilitySummary, plus title, severity, detected_at and the current exception. */
export const FindingItem = Type.Object({
  finding_id: Type.Integer(),
  workflow_status: WorkflowStatusSchema,
  owner: Nullable(UserRef),
  assignee: Nullable(UserRef),
  responsibility_state: ResponsibilityStateSchema,
  accountability_gap: Type.Boolean(),
  exception_owner: Nullable(UserRef),
  title: Type.String(),
  severity: SeveritySchema,
  detected_at: DateTime,
  exception: Nullable(ExceptionView),
});

const TenantRefView = Type.Object({ external_id: Type.String(), name: Type.String() });

export const FindingListSurface = Type.Object({
  surface: Type.Literal(FINDING_LIST_SURFACE),
  collection_route: Type.Literal(FINDING_COLLECTION_ROUTE),
  primary_inspect_model: Type.Literal('finding'),
  items: Type.Array(FindingItem),
  next_cursor: nextCursorSchema,
});

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

export const FindingSort = Type.Enum(['newest', 'oldest', 'severity', 'detected']);
const PersonFilter = Type.String({
  pattern: '^(me|none|[1-9][0-9]{0,9})$',
  description: 'A user id, `me` or `none`',
});

export const FindingListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    sort: Type.Optional(FindingSort),
    responsibility_state: Type.Optional(ResponsibilityStateSchema),
    accountability_gap: Type.Optional(Type.Enum(['true', 'false'])),
    owner: Type.Optional(PersonFilter),
    assignee: Type.Optional(PersonFilter),
    severity: Type.Optional(SeveritySchema),
    workflow_status: Type.Optional(WorkflowStatusSchema),
  }),
]);

export const FindingParams = Type.Object({
  tenant: Type.String({ description: 'The tenant external_id' }),
  finding: Type.String({ description: 'The finding id' }),
});
export const ExceptionParams = Type.Intersect([
  FindingParams,
  Type.Object({ exception: Type.String({ description: 'The exception id' }) }),
]);

export const ResponsibilityUpdate = Type.Object(
  {
    owner_user_id: Type.Optional(Nullable(UserId)),
    assignee_user_id: Type.Optional(Nullable(UserId)),
  },
  { additionalProperties: false },
);

export const ResponsibilityResult = Type.Object({
  change_classification: ChangeClassificationSchema,
  responsibility: FindingItem,
});

export const ExceptionRequestBody = Type.Object(
  {
    owner_user_id: UserId,
    request_reason: Type.String({ maxLength: 2000 }),
    review_due_at: Type.String({ format: 'date-time', maxLength: 64 }),
    expires_at: Type.Optional(Nullable(Type.String({ format: 'date-time', maxLength: 64 }))),
  },
  { additionalProperties: false },
);

export const ExceptionRequestResult = Type.Object({
  finding_owner_preserved: Type.Literal(true),
  exception_owner: UserRef,
  exception: ExceptionView,
  responsibility: FindingItem,
});

export const DecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export const DecisionResult = Type.Object({ exception: ExceptionView, responsibility: FindingItem });

export const HistoryEvent = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  actor: Nullable(UserRef),
  before: Type.Unknown(),
  after: Type.Unknown(),
  at: DateTime,
});
export const HistoryPage = Type.Object({ items: Type.Array(HistoryEvent), next_cursor: nextCursorSchema });

export const MyWorkQuery = Type.Intersect([
  PageQuery,
  Type.Object({ role: Type.Optional(Type.Enum(['owner', 'assignee'])) }),
]);
export const MyWorkItem = Type.Intersect([
  FindingItem,
  Type.Object({
    tenant: TenantRefView,
    my_roles: Type.Array(Type.Enum(['owner', 'assignee'])),
  }),
]);
export const MyWorkPage = Type.Object({ items: Type.Array(MyWorkItem), next_cursor: nextCursorSchema });

const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
});
/** The refusals of PRODUCT.md section 2, documented in the OpenAPI document with the one error body. */
export const errorResponses = {
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  422: ErrorResponse,
};
