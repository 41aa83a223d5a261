import { AppError } from '../../core/errors.ts';
import type { FindingScope } from '../../core/scopes.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { getExceptionRow, getFindingRow } from './item-queries.ts';
import { isOpenStatus } from './open.ts';
import {
  type Decision,
  decide,
  decisionNote,
  effectiveExceptionStatus,
  validateExceptionRequest,
} from './rules.ts';
import type { ExceptionRequestBody, WorkflowStatus } from './schemas.ts';
import { toExceptionView, toFindingItem } from './views.ts';
import {
  assertActiveMembers,
  effectiveStatusOf,
  findBlockingException,
  insertPendingException,
  lockException,
  lockFinding,
  saveDecision,
} from './write-queries.ts';

const ONE_CURRENT = 'This finding already has a pending or approved exception';
/** The requester of an exception never approves it themselves. */
export const ANOTHER_OWNER = 'You requested this exception: another owner must decide';

/** 409 unless the finding's effective status is open (docs/rules.md "Finding lifecycle"). */
function assertOpen(status: WorkflowStatus, message: string): void {
  if (!isOpenStatus(status))
    throw new AppError('conflict', `${message}; this one is ${status.replace('_', ' ')}`);
}

/** The partial unique index finding_exceptions_one_pending_key refused a second pending exception. */
function isSecondPending(error: unknown): boolean {
  for (
    let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code === '23505' && (e.constraint ?? '').includes('one_pending')) return true;
  }
  return false;
}

/** Two requests racing past the service check meet the unique index: the loser gets the same 409. */
async function refusingSecondPending<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isSecondPending(error)) throw new AppError('conflict', ONE_CURRENT);
    throw error;
  }
}

function auditBase(scope: FindingScope) {
  return {
    ...actedIn(scope),
    // Exception events sit on the finding's own history.
    subjectType: 'finding',
    subjectId: scope.findingId,
  };
}

/**
 * docs/rules.md "Finding responsibility", exception request: a pending exception with its own owner; the finding's owner and
 * assignee stay as they are. One pending (or approved, unexpired) exception per finding: else 409.
 */
export async function requestException(scope: FindingScope, input: ExceptionRequestBody) {
  const now = new Date();
  const { reviewDueAt, expiresAt } = validateExceptionRequest(input, now);
  return refusingSecondPending(() =>
    scope.db.transaction(async (tx) => {
      const locked = await lockFinding(tx, scope.tenant.id, scope.findingId);
      await assertActiveMembers(tx, scope.tenant.id, { owner_user_id: input.owner_user_id });
      if (await findBlockingException(tx, scope.findingId, now)) throw new AppError('conflict', ONE_CURRENT);
      assertOpen(effectiveStatusOf(locked, now), 'An exception can be requested for an open finding only');
      const exceptionId = await insertPendingException(tx, {
        findingId: scope.findingId,
        ownerUserId: input.owner_user_id,
        requestedByUserId: scope.actor.userId,
        requestReason: input.request_reason,
        reviewDueAt,
        expiresAt,
      });
      await recordAuditEvent(tx, {
        ...auditBase(scope),
        action: 'finding_exception.requested',
        before: null,
        after: {
          exception_id: exceptionId,
          status: 'pending',
          owner_user_id: input.owner_user_id,
          review_due_at: reviewDueAt.toISOString(),
          expires_at: expiresAt?.toISOString() ?? null,
        },
      });
      const exception = toExceptionView(await getExceptionRow(tx, exceptionId), now);
      const finding = toFindingItem(await getFindingRow(tx, scope.tenant.id, scope.findingId, now), now);
      return {
        finding_owner_preserved: true as const,
        exception_owner: exception.owner,
        exception,
        responsibility: finding,
      };
    }),
  );
}

/** Approve, reject or revoke one exception of this finding (owner role; the route checks the capability). */
export async function decideException(
  scope: FindingScope,
  exceptionId: number,
  decision: Decision,
  note: string | undefined,
) {
  const now = new Date();
  return scope.db.transaction(async (tx) => {
    const locked = await lockFinding(tx, scope.tenant.id, scope.findingId);
    const stored = await lockException(tx, scope.findingId, exceptionId);
    // Four eyes (docs/rules.md "Finding lifecycle"): an authorization rule beside the capability, so 403 before 422/409.
    if (decision === 'approve' && stored.requestedByUserId === scope.actor.userId) {
      throw new AppError('forbidden', ANOTHER_OWNER);
    }
    const decisionNoteText = decisionNote(decision, note);
    const before = effectiveExceptionStatus(stored, now);
    const status = decide(decision, stored, now);
    if (decision === 'approve') {
      assertOpen(
        effectiveStatusOf(locked, now),
        'An exception can be approved while its finding is open only',
      );
    }
    await saveDecision(tx, exceptionId, {
      status,
      decidedByUserId: scope.actor.userId,
      decisionNote: decisionNoteText,
    });
    await recordAuditEvent(tx, {
      ...auditBase(scope),
      action: `finding_exception.${status}`,
      before: { exception_id: exceptionId, status: before, owner_user_id: stored.ownerUserId },
      after: { exception_id: exceptionId, status, owner_user_id: stored.ownerUserId, note: decisionNoteText },
    });
    const exception = toExceptionView(await getExceptionRow(tx, exceptionId), now);
    const finding = toFindingItem(await getFindingRow(tx, scope.tenant.id, scope.findingId, now), now);
    return { exception, responsibility: finding };
  });
}
