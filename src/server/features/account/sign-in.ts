import type { FastifyReply } from 'fastify';
import { AppError, invalidFields } from '../../core/errors.ts';
import type { Actor } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { hasSecondFactor } from '../second-factor/queries.ts';
import { checkSecondFactor, type SecondFactorAnswer } from '../second-factor/verify.ts';
import { hashPassword, verifyPassword } from '../tenancy/credentials.ts';
import { deleteExpiredSessions, findUserByEmail } from '../tenancy/queries.ts';
import { createSession, deleteSession, type NewSession } from '../tenancy/sessions.ts';
import { type AttemptLimit, releaseAttempt, reserveAttempt } from './attempt-limit.ts';
import { markSignedIn } from './queries.ts';
import { lockedOutMessage, normalizeEmail, signInAttemptKey, storable } from './rules.ts';

/** Too many failed attempts: 429, and the route tells the client when to come back (Retry-After). */
export class LockedOut extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', lockedOutMessage(retryAfterSeconds));
  }
}

/** Sends Retry-After (seconds) with a lock-out; every other refusal passes through untouched. */
export async function withRetryAfter<T>(reply: FastifyReply, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof LockedOut) reply.header('retry-after', String(error.retryAfterSeconds));
    throw error;
  }
}

/** How a session came to be, for the audit log. */
export type SessionOrigin = 'password' | 'invitation' | 'setup' | 'oidc';

/**
 * The one way a session starts, whoever starts it (password sign-in, an accepted invitation, first-run
 * setup): the session, the person's last sign-in time and the `session.signed_in` audit event, in one
 * transaction (a savepoint inside the caller's). The caller sets the cookie (tenancy/session-cookie.ts).
 */
export async function startSession(
  db: Db,
  input: {
    userId: number;
    clientAddress: string;
    /** The browser's User-Agent, shown in "Your sessions". */
    userAgent?: string | null;
    ttlHours: number;
    origin: SessionOrigin;
    /** The second factor the sign-in passed, when it asked for one. */
    secondFactor?: 'totp' | 'recovery_code';
  },
): Promise<NewSession> {
  return db.transaction(async (tx) => {
    await deleteExpiredSessions(tx, input.userId);
    const session = await createSession(tx, input.userId, input.ttlHours, input);
    await markSignedIn(tx, input.userId);
    await recordAuditEvent(tx, {
      actorUserId: input.userId,
      action: 'session.signed_in',
      subjectType: 'user',
      subjectId: input.userId,
      after: input.secondFactor
        ? { via: input.origin, second_factor: input.secondFactor }
        : { via: input.origin },
      clientAddress: input.clientAddress,
    });
    return session;
  });
}

// Verifying against a real hash when the email is unknown keeps both answers equally slow.
let decoyHash: Promise<string> | undefined;

type Failure = 'unknown_email' | 'no_password' | 'wrong_password' | 'inactive_user';

/**
 * Checks a password attempt under the attempt limit (attempt-limit.ts): a correct password costs
 * nothing, a wrong one takes a place, a full window refuses even a correct one (LockedOut). Answers the
 * user, or why not. Shared by sign-in and the password change, which guess the same secret.
 */
export async function checkPassword(
  db: Db,
  input: { email: string; password: string; clientAddress: string; limit: AttemptLimit },
) {
  const attempt = await reserveAttempt(db, signInAttemptKey(input.clientAddress, input.email), input.limit);
  if (!attempt.allowed) throw new LockedOut(attempt.retryAfterSeconds);
  const user = await findUserByEmail(db, normalizeEmail(input.email));
  decoyHash ??= hashPassword('decoy password that matches nothing');
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
  const failure: Failure | null = !user
    ? 'unknown_email'
    : !user.passwordHash
      ? 'no_password'
      : !valid
        ? 'wrong_password'
        : !user.active
          ? 'inactive_user'
          : null;
  if (failure === null && user) {
    await releaseAttempt(db, attempt.reservation);
    return { ok: true as const, user };
  }
  const { reservation } = attempt;
  const lockedUntil = reservation.count >= input.limit.max ? reservation.windowEndsAt : null;
  return { ok: false as const, failure: failure ?? 'wrong_password', userId: user?.id ?? null, lockedUntil };
}

type SignInContext = {
  clientAddress: string;
  userAgent?: string | null;
  ttlHours: number;
  limit: AttemptLimit;
};

async function recordFailedSignIn(
  db: Db,
  email: string,
  context: SignInContext,
  detail: { reason: string; userId: number | null; lockedUntil?: Date | null },
) {
  await recordAuditEvent(db, {
    actorUserId: null,
    action: 'session.sign_in_failed',
    subjectType: 'email',
    subjectId: normalizeEmail(email),
    after: {
      email: normalizeEmail(email),
      reason: detail.reason,
      user_id: detail.userId,
      locked_until: detail.lockedUntil?.toISOString() ?? null,
    },
    clientAddress: storable(context.clientAddress),
  });
}

/**
 * docs/rules.md "Second factor": after a right password, a person with an authenticator must also give a
 * code (or a recovery code). None given → 401 `second_factor_required`, no session; a wrong or used one →
 * 401; too many wrong ones → 429. Answers how the second factor was passed, or undefined when none is set up.
 */
async function passSecondFactor(
  db: Db,
  user: { id: number; email: string },
  answer: SecondFactorAnswer,
  context: SignInContext,
): Promise<'totp' | 'recovery_code' | undefined> {
  if (!(await hasSecondFactor(db, user.id))) return undefined;
  if (answer.totp_code === undefined && answer.recovery_code === undefined) {
    throw new AppError(
      'second_factor_required',
      'Enter the 6-digit code from your authenticator app, or one of your recovery codes',
    );
  }
  const checked = await checkSecondFactor(db, user.id, answer, context.limit);
  if (checked.outcome === 'locked_out') throw new LockedOut(checked.retryAfterSeconds);
  if (checked.outcome === 'passed') return checked.method;
  const reason = answer.recovery_code !== undefined ? 'wrong_recovery_code' : 'wrong_totp_code';
  await recordFailedSignIn(db, user.email, context, { reason, userId: user.id });
  throw new AppError('unauthenticated', 'That code is not right, or it has been used already');
}

/** Checks the password (and the second factor) and opens a session; the caller hands its cookie to the browser. */
export async function signIn(
  db: Db,
  input: { email: string; password: string } & SecondFactorAnswer,
  context: SignInContext,
) {
  if (input.totp_code !== undefined && input.recovery_code !== undefined) {
    throw invalidFields({ recovery_code: 'give either totp_code or recovery_code, not both' });
  }
  const checked = await checkPassword(db, { ...input, ...context });
  if (!checked.ok) {
    const { failure, userId, lockedUntil } = checked;
    await recordFailedSignIn(db, input.email, context, { reason: failure, userId, lockedUntil });
    throw new AppError('unauthenticated', 'Email or password is incorrect');
  }
  const { user } = checked;
  const secondFactor = await passSecondFactor(db, user, input, context);
  const session = await startSession(db, { userId: user.id, ...context, origin: 'password', secondFactor });
  return { session, view: { user: { id: user.id, email: user.email, display_name: user.displayName } } };
}

/** Ends the actor's browser session (a bearer request has none to end) and records it. */
export async function signOut(db: Db, actor: Actor, clientAddress: string): Promise<void> {
  if (!actor.sessionId) return;
  const sessionId = actor.sessionId;
  await db.transaction(async (tx) => {
    await deleteSession(tx, sessionId);
    await recordAuditEvent(tx, {
      actorUserId: actor.userId,
      action: 'session.signed_out',
      subjectType: 'user',
      subjectId: actor.userId,
      clientAddress,
    });
  });
}
