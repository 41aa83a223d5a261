import type { AttemptRow } from './attempt-queries.ts';
import type { SupportRequestRow } from './queries.ts';
import { canHandOffAgain, canLink, interruptedSummary, readBackHandoff, summaryFlags } from './rules.ts';
import type {
  LatestSupportRequestHandoffSummary,
  SupportRequestAttempt,
  SupportRequestDetail,
  SupportRequestView,
} from './schemas.ts';

/** The run id for a run-context request, the tenant id for a tenant-context one (docs/rules.md "Precise rules"). */
function primaryContextId(row: SupportRequestRow): number {
  return row.primaryContextType === 'operation_run' && row.operationRunId !== null
    ? row.operationRunId
    : row.tenantId;
}

export function toSupportRequestView(row: SupportRequestRow, now: Date): SupportRequestView {
  const handoff = readBackHandoff(row, now);
  return {
    support_request_id: row.id,
    internal_reference: row.internalReference,
    severity: row.severity,
    summary: row.summary,
    reproduction_notes: row.reproductionNotes,
    contact_name: row.contactName,
    contact_email: row.contactEmail,
    handoff_mode: row.handoffMode,
    handoff_outcome: handoff.handoffOutcome,
    external_ticket_reference: handoff.externalTicketReference,
    external_ticket_url: handoff.externalTicketUrl,
    failure_summary: handoff.failureSummary,
    primary_context_type: row.primaryContextType,
    primary_context_id: primaryContextId(row),
    submitted_at: row.submittedAt.toISOString(),
    submitted_by: { id: row.submittedById, display_name: row.submittedByName },
    operation_run:
      row.operationRunId === null || row.runType === null || row.runStatus === null
        ? null
        : { id: row.operationRunId, type: row.runType, status: row.runStatus, outcome: row.runOutcome },
  };
}

export function toLatestSummary(row: SupportRequestRow, now: Date): LatestSupportRequestHandoffSummary {
  const view = toSupportRequestView(row, now);
  return {
    support_request_id: view.support_request_id,
    internal_reference: view.internal_reference,
    primary_context_type: view.primary_context_type,
    primary_context_id: view.primary_context_id,
    submitted_at: view.submitted_at,
    handoff_mode: view.handoff_mode,
    handoff_outcome: view.handoff_outcome,
    external_ticket_reference: view.external_ticket_reference,
    external_ticket_url: view.external_ticket_url,
    external_handoff_failure_summary: view.failure_summary,
    ...summaryFlags(view.handoff_outcome),
    summary: view.summary,
    severity: view.severity,
  };
}

/** An attempt as it reads back at `now`: one still open past its deadline was interrupted and reads as failed. */
export function toAttemptView(row: AttemptRow, reference: string, now: Date): SupportRequestAttempt {
  const interrupted = row.finishedAt === null && row.deadlineAt !== null && row.deadlineAt <= now;
  return {
    attempt_id: row.id,
    kind: row.kind,
    started_at: row.startedAt.toISOString(),
    finished_at: row.finishedAt?.toISOString() ?? null,
    outcome: interrupted ? 'failed' : row.outcome,
    external_ticket_reference: row.externalTicketReference,
    external_ticket_url: row.externalTicketUrl,
    summary: interrupted ? interruptedSummary(reference) : row.summary,
    actor: { id: row.actorId, display_name: row.actorName },
  };
}

/**
 * The request with every attempt and what may be done next (docs/rules.md "Support requests", follow-through):
 * nothing while an attempt is in flight, or for an actor without support_requests.create, or on an
 * archived tenant.
 */
export function toSupportRequestDetail(
  row: SupportRequestRow,
  attempts: AttemptRow[],
  mayAct: boolean,
  now: Date,
): SupportRequestDetail {
  const view = toSupportRequestView(row, now);
  const attemptViews = attempts.map((attempt) => toAttemptView(attempt, row.internalReference, now));
  const idle = mayAct && attemptViews.every((attempt) => attempt.outcome !== null);
  return {
    ...view,
    attempts: attemptViews,
    available_actions: {
      link: idle && canLink(view.handoff_outcome),
      hand_off_again: idle && canHandOffAgain(view.handoff_mode, view.handoff_outcome),
    },
  };
}
