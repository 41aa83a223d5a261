import type { Db } from '../../db/client.ts';
import { type AttemptLimit, releaseAttempt, reserveAttempt } from '../account/attempt-limit.ts';
import { digestSecret } from '../tenancy/credentials.ts';
import { findTotpFactor, spendRecoveryCode, takeStep } from './queries.ts';
import { normalizeRecoveryCode } from './rules.ts';
import { matchingStep } from './totp.ts';

/** One of the two ways to answer the second-factor question. */
export interface SecondFactorAnswer {
  totp_code?: string;
  recovery_code?: string;
}

export type SecondFactorCheck =
  | { outcome: 'passed'; method: 'totp' | 'recovery_code' }
  | { outcome: 'wrong' }
  | { outcome: 'locked_out'; retryAfterSeconds: number };

/**
 * docs/rules.md "Second factor": codes are counted like passwords (decision 0006's counter), per person
 * (whoever knows the password, from whatever address, gets the same few guesses); a right code gives its
 * place back. A TOTP code is accepted once (its step is stored), a recovery code once (marked used).
 */
export const secondFactorAttemptKey = (userId: number) => `second-factor:${userId}`;

export async function checkSecondFactor(
  db: Db,
  userId: number,
  answer: SecondFactorAnswer,
  limit: AttemptLimit,
): Promise<SecondFactorCheck> {
  const attempt = await reserveAttempt(db, secondFactorAttemptKey(userId), limit);
  if (!attempt.allowed) return { outcome: 'locked_out', retryAfterSeconds: attempt.retryAfterSeconds };
  const method = answer.recovery_code !== undefined ? 'recovery_code' : 'totp';
  const passed =
    method === 'recovery_code'
      ? await spendRecoveryCode(db, userId, digestSecret(normalizeRecoveryCode(answer.recovery_code ?? '')))
      : await spendTotpCode(db, userId, answer.totp_code ?? '');
  if (!passed) return { outcome: 'wrong' };
  await releaseAttempt(db, attempt.reservation);
  return { outcome: 'passed', method };
}

async function spendTotpCode(db: Db, userId: number, code: string): Promise<boolean> {
  const factor = await findTotpFactor(db, userId);
  if (!factor?.confirmedAt) return false;
  const step = matchingStep(factor.secret, code);
  return step !== null && (await takeStep(db, userId, step));
}
