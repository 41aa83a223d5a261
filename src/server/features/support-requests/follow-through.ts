import { AppError, conflict, notFound } from '../../core/errors.ts';
import type { TicketRequest } from '../../desks/desk.ts';
import { recordAuditEvent } from '../audit/record.ts';
import {
  closeInterruptedAttempts,
  findDeskCustomerId,
  finishAttempt,
  hasAttemptInFlight,
  insertAttempt,
  listAttemptRows,
  lockRequestHandoff,
  storeFollowThrough,
} from './attempt-queries.ts';
import { asHandoffRequest, attemptHandoff, type HandoffDeps } from './handoff-call.ts';
import { findSupportRequestRow, findTenantRun, type SupportRequestRow } from './queries.ts';
import {
  followThroughConflict,
  type HandoffFields,
  handoffDeadline,
  handoffFieldsOf,
  IN_FLIGHT_CONFLICT,
  interruptedSummary,
  readBackHandoff,
} from './rules.ts';
import type { LinkTicketBody } from './schemas.ts';
import { attemptEndOf, auditSubject, type SupportContext, toTicketResult } from './service.ts';
import { toSupportRequestDetail } from './views.ts';

/** The actor may follow a request through: support_requests.create on a tenant that is not archived. */
export interface FollowThroughContext extends SupportContext {
  mayAct: boolean;
}

/** The partial unique index support_request_attempts_one_in_flight_key refused a second attempt in flight. */
function isSecondInFlight(error: unknown): boolean {
  for (
    let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code === '23505' && (e.constraint ?? '').includes('one_in_flight')) return true;
  }
  return false;
}

/** Two hand-offs racing past the service's check meet the unique index: the loser gets the same 409. */
async function refusingSecondInFlight<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isSecondInFlight(error)) throw new AppError('conflict', IN_FLIGHT_CONFLICT);
    throw error;
  }
}

export async function getSupportRequestDetail(ctx: FollowThroughContext, id: number) {
  const row = await findSupportRequestRow(ctx.db, ctx.tenant.id, id);
  if (!row) throw notFound();
  const attempts = await listAttemptRows(ctx.db, ctx.tenant.id, id);
  return toSupportRequestDetail(row, attempts, ctx.mayAct, new Date());
}

/**
 * Locks the request, refuses (409) a follow-through its state does not allow or that meets an attempt in
 * flight, and closes attempts whose process stopped mid-call. Returns the handoff as it read back.
 */
async function lockForFollowThrough(
  ctx: SupportContext,
  id: number,
  action: 'link' | 'hand_off_again',
  now: Date,
): Promise<HandoffFields> {
  const current = await lockRequestHandoff(ctx.db, ctx.tenant.id, id);
  if (!current) throw notFound();
  const handoff = readBackHandoff(current, now);
  const refusal = followThroughConflict(action, current.handoffMode, handoff.handoffOutcome);
  if (refusal) throw conflict(refusal);
  if (await hasAttemptInFlight(ctx.db, id, now)) throw conflict(IN_FLIGHT_CONFLICT);
  await closeInterruptedAttempts(ctx.db, id, now, interruptedSummary(current.internalReference));
  return handoff;
}

/**
 * docs/rules.md "Support requests", follow-through: a ticket made outside TenantPilot is linked to a request
 * that has none (internal only, or a failed handoff) → external_ticket_linked; audited, and listed as an
 * attempt.
 */
export async function linkTicket(ctx: FollowThroughContext, id: number, input: LinkTicketBody) {
  const now = new Date();
  await refusingSecondInFlight(() =>
    ctx.db.transaction(async (tx) => {
      const scoped = { ...ctx, db: tx };
      const before = await lockForFollowThrough(scoped, id, 'link', now);
      const after: HandoffFields = {
        handoffOutcome: 'external_ticket_linked',
        externalTicketReference: input.external_ticket_reference,
        externalTicketUrl: input.external_ticket_url ?? null,
        failureSummary: null,
      };
      await storeFollowThrough(tx, ctx.tenant.id, id, after);
      await insertAttempt(tx, {
        supportRequestId: id,
        tenantId: ctx.tenant.id,
        kind: 'link',
        actorUserId: ctx.actor.userId,
        startedAt: now,
        finishedAt: now,
        outcome: 'linked',
        externalTicketReference: after.externalTicketReference,
        externalTicketUrl: after.externalTicketUrl,
      });
      await recordAuditEvent(tx, {
        ...auditSubject(ctx, id),
        action: 'support_request.ticket_linked',
        before,
        after,
      });
    }),
  );
  return getSupportRequestDetail(ctx, id);
}

/**
 * docs/rules.md "Support requests", follow-through: one more attempt for a failed create, never automatic,
 * under the same budget and SR reference. A desk that can be searched by the reference is asked first
 * for the ticket an earlier (timed-out) attempt may have made. One attempt in flight per request (409).
 */
export function handOffAgain(ctx: FollowThroughContext, deps: HandoffDeps, id: number) {
  return asHandoffRequest(() => handOffAgainWithin(ctx, deps, id));
}

async function handOffAgainWithin(ctx: FollowThroughContext, deps: HandoffDeps, id: number) {
  const startedAt = new Date();
  const { attemptId, before } = await refusingSecondInFlight(() =>
    ctx.db.transaction(async (tx) => {
      const before = await lockForFollowThrough({ ...ctx, db: tx }, id, 'hand_off_again', startedAt);
      const attemptId = await insertAttempt(tx, {
        supportRequestId: id,
        tenantId: ctx.tenant.id,
        kind: 'hand_off_again',
        actorUserId: ctx.actor.userId,
        startedAt,
        deadlineAt: handoffDeadline(startedAt, deps.budgetMs),
      });
      await recordAuditEvent(tx, {
        ...auditSubject(ctx, id),
        action: 'support_request.hand_off_again_started',
        before,
        after: { attemptId },
      });
      return { attemptId, before };
    }),
  );

  const row = await findSupportRequestRow(ctx.db, ctx.tenant.id, id);
  if (!row) throw notFound();
  const result = await attemptHandoff(deps, await ticketRequestOf(ctx, deps, row), { search: true });
  const fields = handoffFieldsOf(toTicketResult(result), deps.secrets);
  const end = attemptEndOf(fields, result.kind === 'found');
  await ctx.db.transaction(async (tx) => {
    await storeFollowThrough(tx, ctx.tenant.id, id, fields);
    await finishAttempt(tx, attemptId, end, new Date());
    await recordAuditEvent(tx, {
      ...auditSubject(ctx, id),
      action:
        fields.handoffOutcome === 'external_ticket_created'
          ? 'support_request.handoff_completed'
          : 'support_request.handoff_failed',
      before,
      after: { ...fields, attemptId, attemptOutcome: end.outcome },
    });
  });
  return getSupportRequestDetail(ctx, id);
}

/** The ticket of a stored request: what its submit sent, with the tenant's desk customer as it is now. */
async function ticketRequestOf(
  ctx: SupportContext,
  deps: HandoffDeps,
  row: SupportRequestRow,
): Promise<TicketRequest> {
  const run =
    row.operationRunId === null ? null : await findTenantRun(ctx.db, ctx.tenant.id, row.operationRunId);
  return {
    internalReference: row.internalReference,
    severity: row.severity,
    summary: row.summary,
    reproductionNotes: row.reproductionNotes,
    contact: { name: row.contactName, email: row.contactEmail },
    context: {
      type: row.primaryContextType,
      workspace: { id: ctx.workspace.id, name: ctx.workspace.name },
      tenant: ctx.tenant,
      operationRun: run ?? null,
    },
    submittedBy: { id: row.submittedById, displayName: row.submittedByName },
    submittedAt: row.submittedAt,
    link: deps.linkTo(ctx.tenant.externalId, row.id),
    deskCustomerId: await findDeskCustomerId(ctx.db, ctx.tenant.id),
  };
}
