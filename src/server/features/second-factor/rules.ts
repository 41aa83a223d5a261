import { randomInt } from 'node:crypto';

/**
 * docs/rules.md "Second factor": the pure parts — what a code looks like, how recovery codes are made and
 * compared, and which 30-second step a code was accepted for.
 */

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes of the step before and after the current one are accepted too: phones' clocks drift. */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
/** How many members without a second factor the security page names. */
export const MEMBERS_LISTED = 100;

/** Six digits; spaces people type or paste ("123 456") are allowed and dropped. */
export const TOTP_CODE_PATTERN = '^\\s*[0-9]{3}\\s?[0-9]{3}\\s*$';

export function normalizeTotpCode(code: string): string {
  return code.replaceAll(/\s/g, '');
}

// Crockford-like: no 0/O, 1/I/L, so a code read from paper is typed right.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_GROUP = 5;

/** `xxxxx-xxxxx`: 10 characters of a 31-letter alphabet, about 50 bits, shown once and stored as a digest. */
export function newRecoveryCode(): string {
  const pick = () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  const group = () => Array.from({ length: RECOVERY_GROUP }, pick).join('');
  return `${group()}-${group()}`;
}

/** What is compared with the stored digest: case, spaces and dashes are how it was written down, not the code. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replaceAll(/[\s-]/g, '');
}

/** The time step (RFC 6238 counter) the code matched, from the current one and the validator's delta. */
export function acceptedStep(nowMs: number, delta: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/**
 * A code is refused within its window once used: only a step newer than the last accepted one passes
 * (a stolen code cannot be replayed, and an older code after a newer one is refused too).
 */
export function stepIsFresh(step: number, lastUsedStep: number | null): boolean {
  return lastUsedStep === null || step > lastUsedStep;
}

/** Proof for disabling or regenerating: exactly one of the password, a current code, a recovery code. */
export function proofRuleFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const given = ['password', 'totp_code', 'recovery_code'].filter(
    (name) => (body as Record<string, unknown>)[name] !== undefined,
  );
  if (given.length === 1) return {};
  const message =
    given.length === 0
      ? 'give your password, a code from your authenticator app, or a recovery code'
      : 'give only one of password, totp_code and recovery_code';
  return { [given[1] ?? 'password']: message };
}
