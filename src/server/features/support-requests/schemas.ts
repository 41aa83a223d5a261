import { type Static, Type } from 'typebox';
import { deskProviders } from '../../config.ts';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { Nullable } from '../../core/schema-parts.ts';
import { UserRef } from '../findings/schemas.ts';
import { RunOutcome, RunStatus } from '../operation-runs/schemas.ts';
import {
  attemptKinds,
  attemptOutcomes,
  contextTypes,
  handoffModes,
  handoffOutcomes,
  supportSeverities,
} from './tables.ts';

/** docs/rules.md "Precise rules" text limits, in characters (code points). */
export const limits = {
  summary: 200,
  reproduction_notes: 10_000,
  contact_name: 200,
  contact_email: 254,
  external_ticket_reference: 200,
  external_ticket_url: 2048,
} as const;

export const Severity = Type.Enum(supportSeverities);
export type Severity = Static<typeof Severity>;
export const HandoffMode = Type.Enum(handoffModes);
export type HandoffMode = Static<typeof HandoffMode>;
export const HandoffOutcome = Type.Enum(handoffOutcomes);
export type HandoffOutcome = Static<typeof HandoffOutcome>;
export const ContextType = Type.Enum(contextTypes);
export type ContextType = Static<typeof ContextType>;

/** The contract's body. Mode-specific rules (fields a mode does not use, blank text, NUL) live in rules.ts. */
export const SupportRequestHandoffSubmission = Type.Object(
  {
    severity: Severity,
    summary: Type.String({ minLength: 1, maxLength: limits.summary }),
    reproduction_notes: Type.Optional(Nullable(Type.String({ maxLength: limits.reproduction_notes }))),
    contact_name: Type.Optional(Nullable(Type.String({ maxLength: limits.contact_name }))),
    contact_email: Type.Optional(Nullable(Type.String({ maxLength: limits.contact_email, format: 'email' }))),
    handoff_mode: HandoffMode,
    external_ticket_reference: Type.Optional(
      Nullable(
        Type.String({
          maxLength: limits.external_ticket_reference,
          description: 'Required (non-blank) for link_existing_ticket; refused for other modes',
        }),
      ),
    ),
    external_ticket_url: Type.Optional(
      Nullable(
        Type.String({
          maxLength: limits.external_ticket_url,
          format: 'uri',
          description: 'Absolute http(s) URL; only for link_existing_ticket',
        }),
      ),
    ),
    target_available: Type.Optional(
      Nullable(Type.Boolean({ description: 'UI hint only; ignored, the server decides' })),
    ),
  },
  { additionalProperties: false },
);
export type SupportRequestHandoffSubmission = Static<typeof SupportRequestHandoffSubmission>;

export const LatestSupportRequestHandoffSummary = Type.Object({
  support_request_id: Type.Integer(),
  internal_reference: Type.String(),
  primary_context_type: ContextType,
  primary_context_id: Type.Integer(),
  submitted_at: Type.String({ format: 'date-time' }),
  handoff_mode: HandoffMode,
  handoff_outcome: Nullable(HandoffOutcome),
  external_ticket_reference: Nullable(Type.String()),
  external_ticket_url: Nullable(Type.String()),
  external_handoff_failure_summary: Nullable(Type.String()),
  has_external_link: Type.Boolean(),
  has_failure: Type.Boolean(),
  summary: Type.String(),
  severity: Severity,
});
export type LatestSupportRequestHandoffSummary = Static<typeof LatestSupportRequestHandoffSummary>;
export const LatestSummaryOrNull = Nullable(LatestSupportRequestHandoffSummary);
export type LatestSummaryOrNull = Static<typeof LatestSummaryOrNull>;

export const SupportRequestHandoffResult = Type.Object({
  support_request_id: Type.Integer(),
  internal_reference: Type.String(),
  primary_context_type: ContextType,
  primary_context_id: Type.Integer(),
  handoff_mode: HandoffMode,
  handoff_outcome: HandoffOutcome,
  external_ticket_reference: Nullable(Type.String()),
  external_ticket_url: Nullable(Type.String()),
  failure_summary: Nullable(Type.String()),
  latest_summary: LatestSupportRequestHandoffSummary,
});
export type SupportRequestHandoffResult = Static<typeof SupportRequestHandoffResult>;

export const SupportRequestView = Type.Object({
  support_request_id: Type.Integer(),
  internal_reference: Type.String(),
  severity: Severity,
  summary: Type.String(),
  reproduction_notes: Nullable(Type.String()),
  contact_name: Nullable(Type.String()),
  contact_email: Nullable(Type.String()),
  handoff_mode: HandoffMode,
  handoff_outcome: Nullable(HandoffOutcome),
  external_ticket_reference: Nullable(Type.String()),
  external_ticket_url: Nullable(Type.String()),
  failure_summary: Nullable(Type.String()),
  primary_context_type: ContextType,
  primary_context_id: Type.Integer(),
  submitted_at: Type.String({ format: 'date-time' }),
  submitted_by: UserRef,
  operation_run: Nullable(
    Type.Object({
      id: Type.Integer(),
      type: Type.String(),
      status: RunStatus,
      outcome: Nullable(RunOutcome),
    }),
  ),
});
export type SupportRequestView = Static<typeof SupportRequestView>;

export const SupportRequestPage = Type.Object({
  items: Type.Array(SupportRequestView),
  next_cursor: nextCursorSchema,
});
export type SupportRequestPage = Static<typeof SupportRequestPage>;

/** docs/rules.md "Support requests": the list filters by outcome, context (the tenant, or one given run) and severity. */
export const SupportRequestListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    outcome: Type.Optional(HandoffOutcome),
    context: Type.Optional(ContextType),
    run: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Only the requests about this run' }),
    ),
    severity: Type.Optional(Severity),
  }),
]);
export type SupportRequestListQuery = Static<typeof SupportRequestListQuery>;

export const SupportDeskView = Type.Object({
  target_available: Type.Boolean(),
  provider: Nullable(Type.Enum(deskProviders)),
  display_name: Nullable(Type.String()),
});
export type SupportDeskView = Static<typeof SupportDeskView>;

export const SupportRequestParams = Type.Object({
  tenant: Type.String({ description: 'The tenant external_id' }),
  id: Type.String({ description: 'The support request id' }),
});
export type SupportRequestParams = Static<typeof SupportRequestParams>;

export const AttemptKind = Type.Enum(attemptKinds);
export type AttemptKind = Static<typeof AttemptKind>;
export const AttemptOutcome = Type.Enum(attemptOutcomes);
export type AttemptOutcome = Static<typeof AttemptOutcome>;

/** One handoff attempt as it reads back: `outcome` null while in flight; an interrupted one reads as failed. */
export const SupportRequestAttempt = Type.Object({
  attempt_id: Type.Integer(),
  kind: AttemptKind,
  started_at: Type.String({ format: 'date-time' }),
  finished_at: Nullable(Type.String({ format: 'date-time' })),
  outcome: Nullable(AttemptOutcome),
  external_ticket_reference: Nullable(Type.String()),
  external_ticket_url: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  actor: UserRef,
});
export type SupportRequestAttempt = Static<typeof SupportRequestAttempt>;

/** One request with its follow-through: every attempt, oldest first, and what the actor may do next. */
export const SupportRequestDetail = Type.Object({
  ...SupportRequestView.properties,
  attempts: Type.Array(SupportRequestAttempt),
  available_actions: Type.Object({
    link: Type.Boolean({ description: 'Link a ticket: no ticket yet, nothing in flight, and allowed' }),
    hand_off_again: Type.Boolean({
      description: 'Hand off again: a failed create, nothing in flight, allowed',
    }),
  }),
});
export type SupportRequestDetail = Static<typeof SupportRequestDetail>;

/** Link a ticket made outside TenantPilot to a request that has none (section 7's rules for the fields). */
export const LinkTicketBody = Type.Object(
  {
    external_ticket_reference: Type.String({ minLength: 1, maxLength: limits.external_ticket_reference }),
    external_ticket_url: Type.Optional(
      Nullable(
        Type.String({
          maxLength: limits.external_ticket_url,
          format: 'uri',
          description: 'Absolute http(s) URL of the ticket',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type LinkTicketBody = Static<typeof LinkTicketBody>;
