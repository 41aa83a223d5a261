import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { oneOf } from '../../db/checks.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { tenants, users, workspaces } from '../tenancy/tables.ts';

export const supportSeverities = ['low', 'normal', 'high', 'blocking'] as const;
export const handoffModes = ['internal_only', 'create_external_ticket', 'link_existing_ticket'] as const;
export const handoffOutcomes = [
  'internal_only',
  'external_ticket_created',
  'external_ticket_linked',
  'external_handoff_failed',
] as const;
export const contextTypes = ['tenant', 'operation_run'] as const;

export const supportRequests = pgTable(
  'support_requests',
  {
    id: serial('id').primaryKey(),
    internalReference: text('internal_reference').notNull().unique(),
    workspaceId: integer('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    tenantId: integer('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    primaryContextType: text('primary_context_type', { enum: contextTypes }).notNull(),
    operationRunId: integer('operation_run_id').references(() => operationRuns.id, { onDelete: 'cascade' }),
    severity: text('severity', { enum: supportSeverities }).notNull(),
    summary: text('summary').notNull(),
    reproductionNotes: text('reproduction_notes'),
    contactName: text('contact_name'),
    contactEmail: text('contact_email'),
    submittedByUserId: integer('submitted_by_user_id')
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    handoffMode: text('handoff_mode', { enum: handoffModes }).notNull(),
    /** Null while an outbound handoff is in flight; read back as failed once handoff_deadline_at has passed. */
    handoffOutcome: text('handoff_outcome', { enum: handoffOutcomes }),
    handoffDeadlineAt: timestamp('handoff_deadline_at', { withTimezone: true }),
    externalTicketReference: text('external_ticket_reference'),
    externalTicketUrl: text('external_ticket_url'),
    failureSummary: text('failure_summary'),
  },
  (t) => [
    index('support_requests_tenant_idx').on(t.tenantId, t.id.desc()),
    index('support_requests_tenant_context_idx').on(t.tenantId, t.primaryContextType, t.id.desc()),
    index('support_requests_run_idx').on(t.operationRunId, t.id.desc()),
    oneOf('support_requests_context_check', t.primaryContextType, contextTypes),
    oneOf('support_requests_severity_check', t.severity, supportSeverities),
    oneOf('support_requests_mode_check', t.handoffMode, handoffModes),
    oneOf('support_requests_outcome_check', t.handoffOutcome, handoffOutcomes),
    // A run-context request names its run; a tenant-context one names none.
    check(
      'support_requests_context_run_check',
      sql`(${t.primaryContextType} = 'operation_run') = (${t.operationRunId} is not null)`,
    ),
  ],
);

/** What one step of a request's follow-through was: the submit's desk call, a hand-off again, a manual link. */
export const attemptKinds = ['create', 'hand_off_again', 'link'] as const;
/** `found`: a hand-off again that found the ticket an earlier attempt had made, instead of making a second. */
export const attemptOutcomes = ['created', 'found', 'linked', 'failed'] as const;

/**
 * Every handoff attempt of a support request (docs/rules.md "Support requests", follow-through), listed on
 * its detail. An attempt is in flight while finished_at is null; the partial unique index lets a request
 * have one such attempt at a time, so a second hand-off is refused by the database itself, whichever
 * process tries it.
 */
export const supportRequestAttempts = pgTable(
  'support_request_attempts',
  {
    id: serial('id').primaryKey(),
    supportRequestId: integer('support_request_id')
      .notNull()
      .references(() => supportRequests.id, { onDelete: 'cascade' }),
    tenantId: integer('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: attemptKinds }).notNull(),
    actorUserId: integer('actor_user_id')
      .notNull()
      .references(() => users.id),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    /** For a desk call: past it, an attempt still without an outcome was interrupted. */
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    outcome: text('outcome', { enum: attemptOutcomes }),
    externalTicketReference: text('external_ticket_reference'),
    externalTicketUrl: text('external_ticket_url'),
    summary: text('summary'),
  },
  (t) => [
    index('support_request_attempts_request_idx').on(t.supportRequestId, t.id),
    uniqueIndex('support_request_attempts_one_in_flight_key')
      .on(t.supportRequestId)
      .where(sql`${t.finishedAt} is null`),
    oneOf('support_request_attempts_kind_check', t.kind, attemptKinds),
    oneOf('support_request_attempts_outcome_check', t.outcome, attemptOutcomes),
    // An attempt has an outcome exactly when it has finished.
    check('support_request_attempts_finished_check', sql`(${t.finishedAt} is null) = (${t.outcome} is null)`),
  ],
);
