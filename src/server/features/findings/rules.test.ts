import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../core/errors.ts';
import {
  accountabilityGap,
  applyResponsibilityChange,
  classifyChange,
  decide,
  effectiveExceptionStatus,
  effectiveWorkflowStatus,
  isExceptionShown,
  type Responsibility,
  type ResponsibilityChange,
  responsibilityState,
  reviewOverdue,
  validateExceptionRequest,
} from './rules.ts';

const now = new Date('2026-06-01T12:00:00Z');
const past = new Date('2026-05-01T00:00:00Z');
const future = new Date('2026-07-01T00:00:00Z');

describe('responsibilityState', () => {
  for (const [owner, assignee, state] of [
    [null, null, 'orphaned_accountability'],
    [null, 2, 'orphaned_accountability'],
    [1, null, 'owned_unassigned'],
    [1, 2, 'assigned'],
    [1, 1, 'assigned'],
  ] as const) {
    test(`owner ${owner}, assignee ${assignee} → ${state}`, () => {
      assert.equal(responsibilityState({ ownerUserId: owner, assigneeUserId: assignee }), state);
    });
  }
});

describe('accountabilityGap', () => {
  test('no owner is a gap whatever the membership answer', () => {
    assert.equal(accountabilityGap(null, false), true);
    assert.equal(accountabilityGap(null, true), true);
  });
  test('an owner who is not an active member is a gap; an active member is not', () => {
    assert.equal(accountabilityGap(5, false), true);
    assert.equal(accountabilityGap(5, true), false);
  });
});

describe('applyResponsibilityChange + classifyChange: every set / clear / unchanged combination', () => {
  // The stored state has both people; "set" names someone new, "clear" is null, "unchanged" is absent.
  const stored: Responsibility = { ownerUserId: 1, assigneeUserId: 2 };
  const moves = {
    set: (value: number) => value,
    clear: () => null,
    unchanged: () => undefined,
  } as const;
  const expected: Record<string, string> = {
    'set/set': 'owner_and_assignee',
    'set/clear': 'owner_and_assignee',
    'set/unchanged': 'owner_only',
    'clear/set': 'owner_and_assignee',
    'clear/clear': 'owner_and_assignee',
    'clear/unchanged': 'clear_owner',
    'unchanged/set': 'assignee_only',
    'unchanged/clear': 'clear_assignee',
    'unchanged/unchanged': '422',
  };
  for (const ownerMove of Object.keys(moves) as (keyof typeof moves)[]) {
    for (const assigneeMove of Object.keys(moves) as (keyof typeof moves)[]) {
      const key = `${ownerMove}/${assigneeMove}`;
      test(`owner ${ownerMove}, assignee ${assigneeMove} → ${expected[key]}`, () => {
        const change: ResponsibilityChange = {};
        const owner = moves[ownerMove](7);
        const assignee = moves[assigneeMove](8);
        if (owner !== undefined) change.owner_user_id = owner;
        if (assignee !== undefined) change.assignee_user_id = assignee;
        const next = applyResponsibilityChange(stored, change);
        if (expected[key] === '422') {
          assert.throws(
            () => classifyChange(stored, next),
            (e) => e instanceof AppError && e.code === 'invalid',
          );
        } else {
          assert.equal(classifyChange(stored, next), expected[key]);
        }
      });
    }
  }

  test('setting a field to the value it already has is "unchanged"', () => {
    const next = applyResponsibilityChange(stored, { owner_user_id: 1, assignee_user_id: 9 });
    assert.equal(classifyChange(stored, next), 'assignee_only');
    const same = applyResponsibilityChange(stored, { owner_user_id: 1, assignee_user_id: 2 });
    assert.throws(() => classifyChange(stored, same), /Nothing changed/);
  });

  test('clearing a field that is already empty is "unchanged"', () => {
    const empty: Responsibility = { ownerUserId: null, assigneeUserId: null };
    assert.throws(() => classifyChange(empty, applyResponsibilityChange(empty, { owner_user_id: null })));
    const next = applyResponsibilityChange(empty, { owner_user_id: null, assignee_user_id: 3 });
    assert.equal(classifyChange(empty, next), 'assignee_only');
  });

  test('an absent field keeps the stored value, null clears it', () => {
    assert.deepEqual(applyResponsibilityChange(stored, {}), stored);
    assert.deepEqual(applyResponsibilityChange(stored, { assignee_user_id: null }), {
      ownerUserId: 1,
      assigneeUserId: null,
    });
  });
});

describe('exception status at read time', () => {
  test('an approved exception past its expiry is expired; without expiry it never expires', () => {
    assert.equal(effectiveExceptionStatus({ status: 'approved', expiresAt: past }, now), 'expired');
    assert.equal(effectiveExceptionStatus({ status: 'approved', expiresAt: now }, now), 'expired');
    assert.equal(effectiveExceptionStatus({ status: 'approved', expiresAt: future }, now), 'approved');
    assert.equal(effectiveExceptionStatus({ status: 'approved', expiresAt: null }, now), 'approved');
    assert.equal(effectiveExceptionStatus({ status: 'pending', expiresAt: past }, now), 'pending');
  });

  test('shown: pending, or approved and unexpired; never rejected, revoked or expired', () => {
    for (const [status, expiresAt, shown] of [
      ['pending', null, true],
      ['pending', past, true],
      ['approved', null, true],
      ['approved', future, true],
      ['approved', past, false],
      ['rejected', null, false],
      ['revoked', future, false],
      ['expired', null, false],
    ] as const) {
      assert.equal(isExceptionShown({ status, expiresAt }, now), shown, `${status} ${expiresAt}`);
    }
  });

  test('the workflow status is risk_accepted only while an approved exception is unexpired', () => {
    assert.equal(effectiveWorkflowStatus('triaged', future.getTime(), now), 'risk_accepted');
    assert.equal(effectiveWorkflowStatus('triaged', Number.POSITIVE_INFINITY, now), 'risk_accepted');
    assert.equal(effectiveWorkflowStatus('triaged', past.getTime(), now), 'triaged');
    assert.equal(effectiveWorkflowStatus('triaged', now.getTime(), now), 'triaged');
    assert.equal(effectiveWorkflowStatus('new', null, now), 'new');
    // A stored risk_accepted without a live exception (imported, or older data) reads as reopened.
    assert.equal(effectiveWorkflowStatus('risk_accepted', null, now), 'reopened');
    assert.equal(effectiveWorkflowStatus('risk_accepted', past.getTime(), now), 'reopened');
  });

  test('a review is overdue when its date passed while pending or approved', () => {
    assert.equal(reviewOverdue({ status: 'pending', expiresAt: null, reviewDueAt: past }, now), true);
    assert.equal(reviewOverdue({ status: 'approved', expiresAt: future, reviewDueAt: past }, now), true);
    assert.equal(reviewOverdue({ status: 'pending', expiresAt: null, reviewDueAt: future }, now), false);
    assert.equal(reviewOverdue({ status: 'rejected', expiresAt: null, reviewDueAt: past }, now), false);
    assert.equal(reviewOverdue({ status: 'approved', expiresAt: past, reviewDueAt: past }, now), false);
  });
});

describe('validateExceptionRequest', () => {
  const good = { request_reason: 'Vendor fix due next quarter', review_due_at: '2026-06-15T00:00:00Z' };
  const fieldsOf = (input: Parameters<typeof validateExceptionRequest>[0]) => {
    try {
      validateExceptionRequest(input, now);
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === 'invalid');
      return error.fields ?? {};
    }
    return {};
  };

  test('accepts a reason, a future review date and an expiry after it (or none)', () => {
    assert.deepEqual(fieldsOf(good), {});
    assert.deepEqual(fieldsOf({ ...good, expires_at: null }), {});
    const parsed = validateExceptionRequest({ ...good, expires_at: '2026-08-01T00:00:00Z' }, now);
    assert.equal(parsed.expiresAt?.toISOString(), '2026-08-01T00:00:00.000Z');
    assert.deepEqual(fieldsOf({ ...good, request_reason: 'x'.repeat(2000) }), {});
  });

  for (const [name, change, field] of [
    ['empty reason', { request_reason: '' }, 'request_reason'],
    ['blank reason', { request_reason: ' \n\t ' }, 'request_reason'],
    ['reason over 2000', { request_reason: 'x'.repeat(2001) }, 'request_reason'],
    ['reason with NUL', { request_reason: 'a\u0000b' }, 'request_reason'],
    ['review in the past', { review_due_at: '2026-05-01T00:00:00Z' }, 'review_due_at'],
    ['review now', { review_due_at: now.toISOString() }, 'review_due_at'],
    ['expiry before review', { expires_at: '2026-06-10T00:00:00Z' }, 'expires_at'],
    ['expiry equal to review', { expires_at: '2026-06-15T00:00:00Z' }, 'expires_at'],
  ] as const) {
    test(`refuses ${name}`, () => {
      assert.ok(fieldsOf({ ...good, ...change })[field], name);
    });
  }
});

describe('decide', () => {
  const pending = { status: 'pending' as const, expiresAt: null };
  const approved = { status: 'approved' as const, expiresAt: future };
  const lapsed = { status: 'approved' as const, expiresAt: past };
  const conflict = (e: unknown) => e instanceof AppError && e.code === 'conflict';

  test('approve and reject need a pending exception', () => {
    assert.equal(decide('approve', pending, now), 'approved');
    assert.equal(decide('reject', pending, now), 'rejected');
    for (const target of [approved, lapsed, { status: 'rejected' as const, expiresAt: null }]) {
      assert.throws(() => decide('approve', target, now), conflict);
      assert.throws(() => decide('reject', target, now), conflict);
    }
  });

  test('revoke needs an approved, unexpired exception', () => {
    assert.equal(decide('revoke', approved, now), 'revoked');
    assert.equal(decide('revoke', { status: 'approved', expiresAt: null }, now), 'revoked');
    for (const target of [pending, lapsed, { status: 'revoked' as const, expiresAt: null }]) {
      assert.throws(() => decide('revoke', target, now), conflict);
    }
  });
});
