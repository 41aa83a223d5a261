/**
 * Pure rules of sign-in through the identity provider (docs/rules.md "Sign-in through the identity
 * provider"): where a sign-in may lead back to, whose e-mail the provider vouches for, and the words of
 * each refusal.
 */

const MAX_NEXT_LENGTH = 2048;

/**
 * `next` must be a path of this site: one leading slash (not `//host` or `/\host`, which browsers read as
 * another site), no control characters. Answers the path, or null when it is not one.
 */
export function localPath(next: string | undefined): string | null {
  if (next === undefined || next === '') return '/admin';
  if (next.length > MAX_NEXT_LENGTH || !next.startsWith('/')) return null;
  if (next.startsWith('//') || next.startsWith('/\\')) return null;
  if ([...next].some((c) => c < ' ' || c === '\u007f' || c === '\\')) return null;
  return next;
}

/** The claims TenantPilot reads from a verified ID token. */
export interface IdentityClaims {
  iss: string;
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  xms_edov?: unknown;
}

/**
 * The e-mail the provider vouches for, or null: `email_verified: true`, or Microsoft Entra ID's
 * `xms_edov: true` (the domain owner verified it; Entra sends no email_verified). Only such an e-mail
 * may make a first link to an existing account.
 */
export function verifiedEmail(claims: IdentityClaims): string | null {
  if (typeof claims.email !== 'string' || claims.email.trim() === '') return null;
  const vouched = claims.email_verified === true || claims.xms_edov === true || claims.xms_edov === '1';
  return vouched ? claims.email.trim().toLowerCase() : null;
}

/** Why a sign-in through the provider was refused; the refusal page explains each (web/features/tenancy). */
export const refusalReasons = [
  'expired',
  'provider_refused',
  'provider_error',
  'provider_unavailable',
  'unknown_person',
  'unverified_email',
  'inactive',
  'already_linked',
  'invitation_gone',
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

/** The next re-check of a provider session: the interval after a good answer. */
export function nextRecheck(now: Date, minutes: number): Date {
  return new Date(now.getTime() + minutes * 60_000);
}

/**
 * A provider that cannot be reached is asked again a minute later; a session keeps going that way for at
 * most one more interval past its last good answer, then ends (docs/rules.md: re-checked at least hourly).
 */
export function unreachableOutcome(
  now: Date,
  lastGoodAnswer: Date,
  minutes: number,
): { end: true } | { end: false; retryAt: Date } {
  if (now.getTime() - lastGoodAnswer.getTime() >= 2 * minutes * 60_000) return { end: true };
  return { end: false, retryAt: new Date(now.getTime() + 60_000) };
}
