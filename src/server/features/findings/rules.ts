import { AppError } from '../../core/errors.ts';
import type {
  ChangeClassification,
  ExceptionDecision,
  ExceptionRequestBody,
  ExceptionStatus,
  ResponsibilityState,
  ResponsibilityUpdate,
  WorkflowStatus,
} from './schemas.ts';

/** docs/rules.md "Finding responsibility". Pure functions: every rule here has its table in rules.test.ts. */

// The contract's types are their schemas' types (schemas.ts); the rules' callers know some by these names.
export type {
  ChangeClassification,
  ExceptionDecision as Decision,
  ResponsibilityState,
  ResponsibilityUpdate as ResponsibilityChange,
} from './schemas.ts';

export interface Responsibility {
  ownerUserId: number | null;
  assigneeUserId: number | null;
}

export function responsibilityState({ ownerUserId, assigneeUserId }: Responsibility): ResponsibilityState {
  if (ownerUserId === null) return 'orphaned_accountability';
  return assigneeUserId === null ? 'owned_unassigned' : 'assigned';
}

/** No owner, or an owner who is no longer an active member of the finding's tenant. */
export function accountabilityGap(ownerUserId: number | null, ownerIsActiveMember: boolean): boolean {
  return ownerUserId === null || !ownerIsActiveMember;
}

/** The request body: absent leaves a field as it is, null clears it, a number sets it. */
export function applyResponsibilityChange(
  current: Responsibility,
  change: ResponsibilityUpdate,
): Responsibility {
  return {
    ownerUserId: change.owner_user_id === undefined ? current.ownerUserId : change.owner_user_id,
    assigneeUserId: change.assignee_user_id === undefined ? current.assigneeUserId : change.assignee_user_id,
  };
}

export const NOTHING_CHANGED = 'Nothing changed: owner and assignee are already as requested';

/** Compares the result with the stored state; nothing changed is refused (422, nothing written). */
export function classifyChange(stored: Responsibility, next: Responsibility): ChangeClassification {
  const ownerChanged = stored.ownerUserId !== next.ownerUserId;
  const assigneeChanged = stored.assigneeUserId !== next.assigneeUserId;
  if (ownerChanged && assigneeChanged) return 'owner_and_assignee';
  if (ownerChanged) return next.ownerUserId === null ? 'clear_owner' : 'owner_only';
  if (assigneeChanged) return next.assigneeUserId === null ? 'clear_assignee' : 'assignee_only';
  throw new AppError('invalid', NOTHING_CHANGED, {
    owner_user_id: 'is unchanged',
    assignee_user_id: 'is unchanged',
  });
}

/** The one message for a user who is unknown, not a member, or inactive: existence does not leak. */
export const NOT_AN_ACTIVE_MEMBER = 'must be an active member of this tenant';

export interface ExceptionTiming {
  status: ExceptionStatus;
  expiresAt: Date | null;
}

/** An approved exception past its expiry reads as expired; there is no scheduler to write that. */
export function effectiveExceptionStatus(exception: ExceptionTiming, now: Date): ExceptionStatus {
  if (exception.status === 'approved' && exception.expiresAt !== null && exception.expiresAt <= now) {
    return 'expired';
  }
  return exception.status;
}

/** Pending, or approved and unexpired: the exception whose owner shows and that blocks a new request. */
export function isExceptionShown(exception: ExceptionTiming, now: Date): boolean {
  const status = effectiveExceptionStatus(exception, now);
  return status === 'pending' || status === 'approved';
}

/**
 * docs/rules.md "Finding lifecycle", effective status: `risk_accepted` while an approved exception is unexpired
 * (`riskAcceptedUntil` is the latest expiry of the finding's approved exceptions, Infinity when one never
 * expires, null without one); otherwise the stored status, except that a stored `risk_accepted` with no live
 * exception (imported or older data) reads as `reopened`. open.ts says the same in SQL.
 */
export function effectiveWorkflowStatus(
  stored: WorkflowStatus,
  riskAcceptedUntil: number | null,
  now: Date,
): WorkflowStatus {
  if (riskAcceptedUntil !== null && riskAcceptedUntil > now.getTime()) return 'risk_accepted';
  return stored === 'risk_accepted' ? 'reopened' : stored;
}

export function reviewOverdue(exception: ExceptionTiming & { reviewDueAt: Date }, now: Date): boolean {
  return isExceptionShown(exception, now) && exception.reviewDueAt <= now;
}

export const REASON_MAX = 2000;

export function parseTimestamp(value: string): Date | null {
  // The schema checks the date-time format; this guards calendar nonsense such as 2026-02-31.
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Field-by-field refusals for an exception request, or the parsed dates. */
export function validateExceptionRequest(
  input: Pick<ExceptionRequestBody, 'request_reason' | 'review_due_at' | 'expires_at'>,
  now: Date,
) {
  const fields: Record<string, string> = {};
  const reason = input.request_reason;
  if (reason.trim() === '') fields.request_reason = 'must not be blank';
  else if (reason.length > REASON_MAX) fields.request_reason = `must be at most ${REASON_MAX} characters`;
  else if (reason.includes('\u0000')) fields.request_reason = 'must not contain a NUL character';
  const reviewDueAt = parseTimestamp(input.review_due_at);
  if (!reviewDueAt) fields.review_due_at = 'must be a date-time';
  else if (reviewDueAt <= now) fields.review_due_at = 'must be in the future';
  const expiresAt = input.expires_at == null ? null : parseTimestamp(input.expires_at);
  if (input.expires_at != null && !expiresAt) fields.expires_at = 'must be a date-time';
  else if (expiresAt && reviewDueAt && expiresAt <= reviewDueAt)
    fields.expires_at = 'must be after review_due_at';
  if (Object.keys(fields).length > 0) throw new AppError('invalid', 'The request has invalid fields', fields);
  return { reviewDueAt: reviewDueAt as Date, expiresAt };
}

export type DecidedStatus = Extract<ExceptionStatus, 'approved' | 'rejected' | 'revoked'>;
const decidedStatus: Record<ExceptionDecision, DecidedStatus> = {
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
};

/** approve/reject need a pending exception; revoke an approved, unexpired one. Else 409. */
export function decide(decision: ExceptionDecision, exception: ExceptionTiming, now: Date): DecidedStatus {
  const status = effectiveExceptionStatus(exception, now);
  const allowed = decision === 'revoke' ? status === 'approved' : status === 'pending';
  if (!allowed) {
    const needs = decision === 'revoke' ? 'an approved, unexpired' : 'a pending';
    throw new AppError(
      'conflict',
      `Only ${needs} exception can be ${decidedStatus[decision]}; this one is ${status}`,
    );
  }
  return decidedStatus[decision];
}

/**
 * docs/rules.md "Finding lifecycle", transitions by the *effective* status: from an open status to another
 * open one, resolved or closed; from resolved to closed or reopened; from closed to reopened. Nothing moves
 * while an approved exception holds the finding (risk_accepted).
 */
const reachable: Record<WorkflowStatus, readonly WorkflowStatus[]> = {
  new: ['triaged', 'in_progress', 'reopened', 'resolved', 'closed'],
  triaged: ['new', 'in_progress', 'reopened', 'resolved', 'closed'],
  in_progress: ['new', 'triaged', 'reopened', 'resolved', 'closed'],
  reopened: ['new', 'triaged', 'in_progress', 'resolved', 'closed'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  risk_accepted: [],
};

const STATUS_NOT_SETTABLE =
  'cannot be set directly: a finding is risk accepted while an owner-approved exception holds it';

/** 422 for what no finding could ever move to (risk_accepted); judged before any finding is read. */
export function assertSettableStatus(requested: WorkflowStatus): void {
  if (requested === 'risk_accepted') {
    throw new AppError('invalid', 'The request has invalid fields', { workflow_status: STATUS_NOT_SETTABLE });
  }
}

/** A status as people say it in a reason: in_progress → "in progress". */
const words = (status: WorkflowStatus) => status.replace('_', ' ');

export type StatusVerdict = { outcome: 'changed' } | { outcome: 'unchanged' | 'refused'; reason: string };

/** Judges one move without throwing: the bulk change reports each finding's verdict, the single change throws it. */
export function judgeTransition(effective: WorkflowStatus, requested: WorkflowStatus): StatusVerdict {
  if (effective === requested) return { outcome: 'unchanged', reason: `already ${requested}` };
  if (effective === 'risk_accepted') {
    return { outcome: 'refused', reason: 'risk accepted: an approved exception holds its status' };
  }
  if (!reachable[effective].includes(requested)) {
    return { outcome: 'refused', reason: `cannot move from ${words(effective)} to ${words(requested)}` };
  }
  return { outcome: 'changed' };
}

/** The single change: the same status is 422, an unreachable one 409, nothing written either way. */
export function transition(effective: WorkflowStatus, requested: WorkflowStatus): WorkflowStatus {
  assertSettableStatus(requested);
  const verdict = judgeTransition(effective, requested);
  if (verdict.outcome === 'unchanged') {
    throw new AppError('invalid', 'The request has invalid fields', {
      workflow_status: `is already ${requested}`,
    });
  }
  if (verdict.outcome === 'refused') throw new AppError('conflict', `The finding ${verdict.reason}`);
  return requested;
}

/** A note to reject or revoke (docs/rules.md "Finding lifecycle"): required, not blank, at most 2,000 characters. */
export function decisionNote(decision: ExceptionDecision, note: string | undefined): string | null {
  const given = note ?? '';
  if (given.trim() === '') {
    if (decision === 'approve') return null;
    throw new AppError('invalid', 'The request has invalid fields', {
      note: `is required to ${decision} an exception (say why)`,
    });
  }
  return given;
}
