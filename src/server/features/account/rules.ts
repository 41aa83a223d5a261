import { passwordProblem } from '../../core/password-rules.ts';
import { nulCharacterFields } from '../../core/text-rules.ts';

/**
 * The rules a schema cannot say, for the account routes' bodies: blank names and NUL characters, and
 * the password rule (core/password-rules.ts) for a new password. Each takes the body as sent (it may
 * also have failed the schema) and names every bad field in people's words.
 */

const isBlank = (value: unknown) => typeof value === 'string' && value.trim() === '';

function nonBlankTextFields(body: unknown, names: readonly string[]): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const fields = nulCharacterFields(body, names);
  for (const name of names) {
    if (isBlank((body as Record<string, unknown>)[name])) fields[name] ??= 'must not be blank';
  }
  return fields;
}

export const meUpdateRuleFields = (body: unknown) => nonBlankTextFields(body, ['display_name']);

export const newTokenRuleFields = (body: unknown) => nonBlankTextFields(body, ['name']);

export function passwordChangeRuleFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const candidate = (body as Record<string, unknown>).new_password;
  const problem = typeof candidate === 'string' ? passwordProblem(candidate) : undefined;
  return problem ? { new_password: problem } : {};
}

/**
 * Text from the request that the database keeps (a counter key, an audit event): PostgreSQL cannot
 * store a NUL, which names no address and no person anyway, so it becomes U+FFFD.
 */
export const storable = (text: string) => text.replaceAll('\u0000', '\uFFFD');

/** The counter key of failed password attempts: one client address guessing one person's password. */
export function signInAttemptKey(clientAddress: string, email: string): string {
  return `sign-in:${storable(clientAddress)}|${normalizeEmail(email)}`;
}

/**
 * E-mail addresses are unique case-insensitively (docs/rules.md); surrounding spaces are a typing slip.
 * Safe to look up and to store (see `storable`).
 */
export function normalizeEmail(email: string): string {
  return storable(email.trim().toLowerCase());
}

/** "Try again in 14 minutes": the wait, rounded up, in the largest unit that keeps it readable. */
export function retryAfterWords(seconds: number): string {
  const wait = Math.max(1, Math.ceil(seconds));
  if (wait < 60) return `${wait} second${wait === 1 ? '' : 's'}`;
  const minutes = Math.ceil(wait / 60);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hours`;
}

export function lockedOutMessage(retryAfterSeconds: number): string {
  return `Too many failed sign-in attempts. Try again in ${retryAfterWords(retryAfterSeconds)}.`;
}

const browsers: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
];
const systems: [RegExp, string][] = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/**
 * "Chrome on Windows": what "Your sessions" calls the device a session was started from, read from its
 * User-Agent. Unknown parts are left out; no User-Agent at all is "Unknown device".
 */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'Unknown device';
}
