import { AppError, invalidFields, notFound } from '../../core/errors.ts';
import { passwordProblem } from '../../core/password-rules.ts';
import type { Db } from '../../db/client.ts';
import { type AttemptLimit, releaseAttempt, reserveAttempt } from '../account/attempt-limit.ts';
import { storable } from '../account/rules.ts';
import { LockedOut, startSession } from '../account/sign-in.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { digestSecret, hashPassword } from '../tenancy/credentials.ts';
import type { NewSession } from '../tenancy/sessions.ts';
import { findInvitation, setFirstPassword, useInvitation } from './invitation-queries.ts';
import { invitationState } from './rules.ts';
import type { AcceptInvitationResult, InvitationView } from './schemas.ts';

/** docs/rules.md "Administration": the invitation link, from the invitee's side (public, the token is the key). */

type InvitationRow = NonNullable<Awaited<ReturnType<typeof findInvitation>>>;

/** The invitation behind a link: unknown → 404; used, expired or no longer valid → 410. */
async function findUsableInvitation(db: Db, token: string): Promise<InvitationRow> {
  return findUsableInvitationByDigest(db, digestSecret(token));
}

/** The same, by the token's digest: a sign-in through the identity provider keeps only the digest. */
export async function findUsableInvitationByDigest(db: Db, tokenHash: string): Promise<InvitationRow> {
  const row = await findInvitation(db, tokenHash);
  if (!row) throw notFound();
  const state = invitationState(row);
  if (state === 'used' || row.hasPassword) {
    throw new AppError('gone', 'This invitation has been accepted already: sign in instead');
  }
  if (state === 'expired') throw new AppError('gone', 'This invitation has expired: ask for a new one');
  if (!row.userActive || row.membershipActive !== true) {
    throw new AppError('gone', 'This invitation is no longer valid');
  }
  return row;
}

export async function describeInvitation(db: Db, token: string): Promise<InvitationView> {
  const row = await findUsableInvitation(db, token);
  return {
    workspace: { name: row.workspaceName },
    email: row.email,
    display_name: row.displayName,
    expires_at: row.expiresAt.toISOString(),
  };
}

/** One client address guessing invitation links (or choosing a password on one): counted like sign-in. */
const attemptKey = (clientAddress: string) => `invitation:${storable(clientAddress)}`;

/**
 * Sets the person's password, uses the link up and signs them in (the caller sets the session cookie).
 * Answers in this order: 429 (a full attempt window, with Retry-After), 404 (unknown link), 410 (used,
 * expired, or the person was removed or suspended since), 422 (the body), then the change. Counted by the
 * sign-in attempt limit: an unknown or spent link takes a place; a success or a refused body gives it back.
 */
export async function acceptInvitation(
  db: Db,
  input: {
    token: string;
    password: string;
    /** Throws the body's schema errors (422): judged after the link, so a guessed one learns nothing. */
    checkBody(): void;
    clientAddress: string;
    userAgent?: string | null;
    sessionTtlHours: number;
    limit: AttemptLimit;
  },
): Promise<{ session: NewSession; view: AcceptInvitationResult }> {
  const attempt = await reserveAttempt(db, attemptKey(input.clientAddress), input.limit);
  if (!attempt.allowed) throw new LockedOut(attempt.retryAfterSeconds);
  const row = await findUsableInvitation(db, input.token);
  try {
    input.checkBody();
    const problem = passwordProblem(input.password);
    if (problem) throw invalidFields({ password: problem });
  } catch (error) {
    await releaseAttempt(db, attempt.reservation);
    throw error;
  }
  const passwordHash = await hashPassword(input.password);
  const session = await db.transaction(async (tx) => {
    const now = new Date();
    if (!(await useInvitation(tx, row.id, now)) || !(await setFirstPassword(tx, row.userId, passwordHash))) {
      throw new AppError('gone', 'This invitation has been accepted already: sign in instead');
    }
    await recordAuditEvent(tx, {
      actorUserId: row.userId,
      workspaceId: row.workspaceId,
      action: 'invitation.accepted',
      subjectType: 'invitation',
      subjectId: row.id,
      after: { user_id: row.userId, email: row.email },
      clientAddress: input.clientAddress,
    });
    return startSession(tx, {
      userId: row.userId,
      clientAddress: input.clientAddress,
      userAgent: input.userAgent,
      ttlHours: input.sessionTtlHours,
      origin: 'invitation',
    });
  });
  await releaseAttempt(db, attempt.reservation);
  return {
    session,
    view: {
      user: { id: row.userId, email: row.email, display_name: row.displayName },
      workspace: { slug: row.workspaceSlug, name: row.workspaceName },
    },
  };
}
