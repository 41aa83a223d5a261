import { AppError, conflict, invalidFields, notFound } from '../../core/errors.ts';
import type { ActorScope, WorkspaceScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { type AttemptLimit, releaseAttempt, reserveAttempt } from '../account/attempt-limit.ts';
import { deleteSessionsExcept, findAccount } from '../account/queries.ts';
import { checkPassword, LockedOut } from '../account/sign-in.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { digestSecret } from '../tenancy/credentials.ts';
import { findUserByEmail } from '../tenancy/queries.ts';
import {
  countMembersWithoutSecondFactor,
  countUnusedRecoveryCodes,
  deleteSecondFactor,
  findTotpFactor,
  findWorkspaceRequirement,
  hasSecondFactor,
  listMembersWithoutSecondFactor,
  listWorkspacesRequiring,
  replaceRecoveryCodes,
  savePendingFactor,
  setWorkspaceRequirement,
  takeStep,
} from './queries.ts';
import { MEMBERS_LISTED, newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from './rules.ts';
import type {
  EnrolmentConfirm,
  EnrolmentStart,
  RecoveryCodes,
  SecondFactorProof,
  SecondFactorStatus,
  WorkspaceSecurity,
  WorkspaceSecurityUpdate,
} from './schemas.ts';
import { enrolmentCode, matchingStep, newTotpSecret } from './totp.ts';
import { checkSecondFactor, secondFactorAttemptKey } from './verify.ts';

/** An audit event of one's own account: no workspace, the actor is the subject. */
const ownAccount = (scope: ActorScope, action: string, after?: unknown) => ({
  actorUserId: scope.actor.userId,
  subjectType: 'user',
  subjectId: scope.actor.userId,
  clientAddress: scope.clientAddress,
  action,
  after,
});

export async function getSecondFactor(scope: ActorScope): Promise<SecondFactorStatus> {
  const { db, actor } = scope;
  const factor = await findTotpFactor(db, actor.userId);
  const enrolledAt = factor?.confirmedAt ?? null;
  return {
    enrolled: enrolledAt !== null,
    enrolled_at: enrolledAt?.toISOString() ?? null,
    recovery_codes_remaining: enrolledAt ? await countUnusedRecoveryCodes(db, actor.userId) : 0,
    required_by: await listWorkspacesRequiring(db, actor.userId),
  };
}

/**
 * docs/rules.md "Second factor": a new secret, pending until one code from it confirms it. The answer is
 * the only place the secret ever appears (with its otpauth:// URI and QR code); starting again replaces a
 * pending secret. Someone already enrolled disables first (409).
 */
export async function startEnrolment(scope: ActorScope): Promise<EnrolmentStart> {
  const secret = newTotpSecret();
  if (!(await savePendingFactor(scope.db, scope.actor.userId, secret))) {
    throw conflict('You already have an authenticator: turn it off first to set up another one');
  }
  const code = await enrolmentCode(secret, scope.actor.email);
  return { secret, otpauth_uri: code.otpauthUri, qr_code: code.qrCode };
}

async function newRecoveryCodes(db: Db, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await replaceRecoveryCodes(
    db,
    userId,
    codes.map((code) => digestSecret(normalizeRecoveryCode(code))),
  );
  return codes;
}

/** One right code enrols the pending secret and answers ten recovery codes, shown this once. */
export async function confirmEnrolment(
  scope: ActorScope,
  input: EnrolmentConfirm,
  limit: AttemptLimit,
): Promise<RecoveryCodes> {
  const { db, actor } = scope;
  const factor = await findTotpFactor(db, actor.userId);
  if (!factor || factor.confirmedAt) {
    throw conflict(
      factor ? 'Your authenticator is already set up' : 'Start setting up an authenticator first',
    );
  }
  // A wrong code counts like a wrong sign-in code: the same counter (verify.ts).
  const attempt = await reserveAttempt(db, secondFactorAttemptKey(actor.userId), limit);
  if (!attempt.allowed) throw new LockedOut(attempt.retryAfterSeconds);
  const step = matchingStep(factor.secret, input.totp_code);
  if (step === null) {
    throw invalidFields({ totp_code: 'is not the current code: check the app and try the newest one' });
  }
  await releaseAttempt(db, attempt.reservation);
  return db.transaction(async (tx) => {
    if (!(await takeStep(tx, actor.userId, step, true))) {
      throw conflict('Your authenticator is already set up');
    }
    const codes = await newRecoveryCodes(tx, actor.userId);
    await recordAuditEvent(tx, ownAccount(scope, 'second_factor.enrolled', { method: 'totp' }));
    return { recovery_codes: codes };
  });
}

/** Proof that it is the person: their password, a current code or a recovery code (spent by this check). */
async function checkProof(scope: ActorScope, proof: SecondFactorProof, limit: AttemptLimit): Promise<void> {
  const { db, actor } = scope;
  if (proof.password !== undefined) {
    const account = await findAccount(db, actor.userId);
    if (!account) throw notFound();
    const checked = await checkPassword(db, {
      email: account.email,
      password: proof.password,
      clientAddress: scope.clientAddress,
      limit,
    });
    if (!checked.ok) throw invalidFields({ password: 'is not your password' });
    return;
  }
  const checked = await checkSecondFactor(db, actor.userId, proof, limit);
  if (checked.outcome === 'locked_out') throw new LockedOut(checked.retryAfterSeconds);
  if (checked.outcome === 'wrong') {
    const field = proof.recovery_code !== undefined ? 'recovery_code' : 'totp_code';
    throw invalidFields({ [field]: 'is not right, or has been used already' });
  }
}

async function requireEnrolled(scope: ActorScope): Promise<void> {
  if (!(await hasSecondFactor(scope.db, scope.actor.userId))) {
    throw conflict('You have no authenticator set up');
  }
}

/**
 * Turns the second factor off (the authenticator and every recovery code). A workspace that requires one
 * then sends the person to enrol again before they use it: that is how a lost phone is replaced.
 */
export async function disableSecondFactor(
  scope: ActorScope,
  proof: SecondFactorProof,
  limit: AttemptLimit,
): Promise<void> {
  await requireEnrolled(scope);
  await checkProof(scope, proof, limit);
  await scope.db.transaction(async (tx) => {
    await deleteSecondFactor(tx, scope.actor.userId);
    await recordAuditEvent(tx, ownAccount(scope, 'second_factor.disabled', { proof: proofKind(proof) }));
  });
}

export async function regenerateRecoveryCodes(
  scope: ActorScope,
  proof: SecondFactorProof,
  limit: AttemptLimit,
): Promise<RecoveryCodes> {
  await requireEnrolled(scope);
  await checkProof(scope, proof, limit);
  return scope.db.transaction(async (tx) => {
    const codes = await newRecoveryCodes(tx, scope.actor.userId);
    await recordAuditEvent(
      tx,
      ownAccount(scope, 'second_factor.recovery_codes_regenerated', { proof: proofKind(proof) }),
    );
    return { recovery_codes: codes };
  });
}

const proofKind = (proof: SecondFactorProof) =>
  proof.password !== undefined ? 'password' : proof.recovery_code !== undefined ? 'recovery_code' : 'totp';

export async function getWorkspaceSecurity(scope: WorkspaceScope): Promise<WorkspaceSecurity> {
  const requirement = await findWorkspaceRequirement(scope.db, scope.workspace.id);
  const counts = await countMembersWithoutSecondFactor(scope.db, scope.workspace.id);
  return {
    require_second_factor: requirement?.requireSecondFactor ?? false,
    members: counts.members,
    members_without_second_factor: counts.without,
    people_without_second_factor: await listMembersWithoutSecondFactor(
      scope.db,
      scope.workspace.id,
      MEMBERS_LISTED,
    ),
  };
}

/**
 * docs/rules.md "Second factor": an owner requires (or stops requiring) a second factor of the workspace's
 * members. Requiring it needs the owner's own authenticator first (409), so the page that turns it on is
 * never the last one they can open.
 */
export async function updateWorkspaceSecurity(
  scope: WorkspaceScope,
  change: WorkspaceSecurityUpdate,
): Promise<WorkspaceSecurity> {
  if (change.require_second_factor && !(await hasSecondFactor(scope.db, scope.actor.userId))) {
    throw conflict('Set up your own authenticator first: then you can require one of everyone');
  }
  await scope.db.transaction(async (tx) => {
    const before = await findWorkspaceRequirement(tx, scope.workspace.id, true);
    if (!before || before.requireSecondFactor === change.require_second_factor) return;
    await setWorkspaceRequirement(tx, scope.workspace.id, change.require_second_factor);
    await recordAuditEvent(tx, {
      ...actedIn(scope),
      action: 'workspace.second_factor_requirement_changed',
      subjectType: 'workspace',
      subjectId: scope.workspace.id,
      before: { require_second_factor: before.requireSecondFactor },
      after: { require_second_factor: change.require_second_factor },
    });
  });
  return getWorkspaceSecurity(scope);
}

/**
 * docs/rules.md "Second factor": the installation's operator (`tenantpilot users reset-second-factor`)
 * turns off the second factor of someone who lost both their phone and their recovery codes. Their
 * sessions end too; they sign in with the password alone and set up a new one. Audited with no actor.
 */
export async function resetSecondFactor(db: Db, email: string) {
  const user = await findUserByEmail(db, email.trim());
  if (!user) throw new AppError('not_found', `No user with email ${JSON.stringify(email.trim())}`);
  return db.transaction(async (tx) => {
    const had = await hasSecondFactor(tx, user.id);
    await deleteSecondFactor(tx, user.id);
    const sessionsEnded = await deleteSessionsExcept(tx, user.id, null);
    if (had) {
      await recordAuditEvent(tx, {
        actorUserId: null,
        action: 'second_factor.reset',
        subjectType: 'user',
        subjectId: user.id,
        after: { sessions_ended: sessionsEnded },
        clientAddress: null,
      });
    }
    return { id: user.id, email: user.email, hadSecondFactor: had, sessionsEnded };
  });
}
