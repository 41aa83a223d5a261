import { passwordProblem } from '../../core/password-rules.ts';
import { nulCharacterFields } from '../../core/text-rules.ts';

const TEXT_FIELDS = ['workspace_name', 'workspace_slug', 'display_name', 'email', 'password'] as const;
const NAMES = ['workspace_name', 'display_name'] as const;

/** A setup token as printed: 256 random bits in base64url. Anything else names no token. */
export const SETUP_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * What the schema cannot say about a setup body (docs/rules.md "Administration"): names are not blank,
 * no field holds a NUL, the password follows the one password rule. Names every bad field.
 */
export function setupRuleFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const given = body as Record<string, unknown>;
  const fields = nulCharacterFields(body, TEXT_FIELDS);
  for (const name of NAMES) {
    const value = given[name];
    if (typeof value === 'string' && value.trim() === '') fields[name] ??= 'must not be blank';
  }
  const problem = typeof given.password === 'string' ? passwordProblem(given.password) : undefined;
  if (problem) fields.password ??= problem;
  return fields;
}
