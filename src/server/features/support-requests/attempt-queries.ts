import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { tenants, users } from '../tenancy/tables.ts';
import { deskCustomerOf, type HandoffFields } from './rules.ts';
import type { AttemptOutcome } from './schemas.ts';
import { supportRequestAttempts, supportRequests } from './tables.ts';

export type NewAttempt = typeof supportRequestAttempts.$inferInsert;

export interface AttemptEnd {
  outcome: AttemptOutcome;
  externalTicketReference: string | null;
  externalTicketUrl: string | null;
  summary: string | null;
}

/**
 * Records an attempt. One still in flight for the same request makes the partial unique index
 * support_request_attempts_one_in_flight_key refuse the insert (23505), whichever process holds it.
 */
export async function insertAttempt(db: Db, values: NewAttempt): Promise<number> {
  const [row] = await db
    .insert(supportRequestAttempts)
    .values(values)
    .returning({ id: supportRequestAttempts.id });
  if (!row) throw new Error('the attempt insert returned no row');
  return row.id;
}

/** The attempt, while still in flight: one already ended (closed as interrupted) stays as it is. */
function attemptInFlight(attemptId: number) {
  return and(eq(supportRequestAttempts.id, attemptId), isNull(supportRequestAttempts.finishedAt));
}

/** Ends an attempt still in flight. */
export async function finishAttempt(db: Db, attemptId: number, end: AttemptEnd, at: Date): Promise<void> {
  await db
    .update(supportRequestAttempts)
    .set({ ...end, finishedAt: at })
    .where(attemptInFlight(attemptId));
}

/** Closes the attempts whose process stopped before the desk answered: past their deadline, still open. */
export async function closeInterruptedAttempts(db: Db, requestId: number, now: Date, summary: string) {
  await db
    .update(supportRequestAttempts)
    .set({ finishedAt: now, outcome: 'failed', summary })
    .where(
      and(
        eq(supportRequestAttempts.supportRequestId, requestId),
        isNull(supportRequestAttempts.finishedAt),
        lte(supportRequestAttempts.deadlineAt, now),
      ),
    );
}

/** Whether an attempt of the request is in flight and within its deadline. */
export async function hasAttemptInFlight(db: Db, requestId: number, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: supportRequestAttempts.id })
    .from(supportRequestAttempts)
    .where(
      and(
        eq(supportRequestAttempts.supportRequestId, requestId),
        isNull(supportRequestAttempts.finishedAt),
        or(isNull(supportRequestAttempts.deadlineAt), sql`${supportRequestAttempts.deadlineAt} > ${now}`),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** A request's attempts, oldest first, with who made each (support_request_attempts_request_idx). */
export function listAttemptRows(db: Db, tenantId: number, requestId: number) {
  return db
    .select({
      id: supportRequestAttempts.id,
      kind: supportRequestAttempts.kind,
      startedAt: supportRequestAttempts.startedAt,
      deadlineAt: supportRequestAttempts.deadlineAt,
      finishedAt: supportRequestAttempts.finishedAt,
      outcome: supportRequestAttempts.outcome,
      externalTicketReference: supportRequestAttempts.externalTicketReference,
      externalTicketUrl: supportRequestAttempts.externalTicketUrl,
      summary: supportRequestAttempts.summary,
      actorId: users.id,
      actorName: users.displayName,
    })
    .from(supportRequestAttempts)
    .innerJoin(users, eq(users.id, supportRequestAttempts.actorUserId))
    .where(
      and(
        eq(supportRequestAttempts.supportRequestId, requestId),
        eq(supportRequestAttempts.tenantId, tenantId),
      ),
    )
    .orderBy(asc(supportRequestAttempts.id));
}
export type AttemptRow = Awaited<ReturnType<typeof listAttemptRows>>[number];

/** The request's handoff state, locked: link and hand-off again of one request take turns. */
export async function lockRequestHandoff(db: Db, tenantId: number, id: number) {
  const [row] = await db
    .select({
      id: supportRequests.id,
      internalReference: supportRequests.internalReference,
      handoffMode: supportRequests.handoffMode,
      handoffOutcome: supportRequests.handoffOutcome,
      handoffDeadlineAt: supportRequests.handoffDeadlineAt,
      externalTicketReference: supportRequests.externalTicketReference,
      externalTicketUrl: supportRequests.externalTicketUrl,
      failureSummary: supportRequests.failureSummary,
    })
    .from(supportRequests)
    .where(and(eq(supportRequests.id, id), eq(supportRequests.tenantId, tenantId)))
    .for('update');
  return row;
}

/**
 * Writes a follow-through's result onto the request: only one that has no ticket (internal only, failed,
 * or interrupted) changes. Returns whether it did.
 */
export async function storeFollowThrough(db: Db, tenantId: number, id: number, fields: HandoffFields) {
  const changed = await db
    .update(supportRequests)
    .set(fields)
    .where(
      and(
        eq(supportRequests.id, id),
        eq(supportRequests.tenantId, tenantId),
        or(
          isNull(supportRequests.handoffOutcome),
          sql`${supportRequests.handoffOutcome} in ('internal_only', 'external_handoff_failed')`,
        ),
      ),
    )
    .returning({ id: supportRequests.id });
  return changed.length > 0;
}

/** The tenant's desk customer (docs/rules.md "Support requests"); null when none is mapped. */
export async function findDeskCustomerId(db: Db, tenantId: number): Promise<string | null> {
  const [row] = await db
    .select({ deskCustomerId: tenants.deskCustomerId })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .limit(1);
  return deskCustomerOf(row?.deskCustomerId);
}
