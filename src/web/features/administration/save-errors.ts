import { isApiError } from '../../app/http.ts';

/**
 * The validator's words are for developers ("must match pattern …"); a form shows people these instead.
 * Messages the server wrote in people's words (rules.ts) pass through unchanged.
 */
const technicalMessages: [RegExp, (match: RegExpMatchArray) => string][] = [
  [/^must not have fewer than 1 characters$/, () => 'is required'],
  [/^must not have more than (\d+) characters$/, (match) => `must be at most ${match[1]} characters`],
  [/^must not have fewer than (\d+) characters$/, (match) => `must be at least ${match[1]} characters`],
  [/^must match pattern/, () => 'is not in the expected form'],
  [/^must be equal to one of the allowed values$/, () => 'is not one of the choices'],
  [/^must not have more than (\d+) items$/, (match) => `can name at most ${match[1]}`],
  [/^must not have fewer than 1 items$/, () => 'needs at least one entry'],
  [/^must be (string|integer|number|boolean|null|object|array)/, () => 'is not valid'],
];

/** "is required" → "Is required": a message shown alone under its field reads as a sentence. */
function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function inPeoplesWords(message: string): string {
  for (const [pattern, replace] of technicalMessages) {
    const match = message.match(pattern);
    if (match) return sentence(replace(match));
  }
  return sentence(message);
}

/** A refusal's message for one field of a form (a 422, or a 409 such as "already taken"), in people's words. */
export function fieldMessage(error: unknown, ...fields: string[]): string | undefined {
  if (!isApiError(error)) return undefined;
  for (const field of fields) {
    const message = error.fields[field];
    if (message) return inPeoplesWords(message);
  }
  return undefined;
}

/** The API fields of a refusal that start with `prefix` (`tenant_roles`, `tenant_roles.2.role`). */
export function fieldsUnder(error: unknown, prefix: string): string[] {
  if (!isApiError(error)) return [];
  return Object.keys(error.fields).filter((field) => field === prefix || field.startsWith(`${prefix}.`));
}

export const NOTHING_SAVED = 'Nothing was saved.';
export const MAYBE_SAVED =
  'TenantPilot could not be reached, so the change may or may not have been saved. Check your connection, reload the page to see the current state, then try again.';

interface SaveErrorWords {
  /** API fields the form shows beside their own field: not repeated in the alert. */
  beside?: string[];
  /** The form's words for the other API fields it may hear about. */
  labels?: Record<string, string>;
}

/**
 * What the modal says when a change fails, always telling whether anything was saved: a refusal (4xx)
 * and a server failure (5xx, the transaction rolled back) saved nothing; a request that never got an
 * answer may have been saved. Field errors are beside their fields or named in the form's own words,
 * never as the API's field names.
 */
export function describeSaveError(error: unknown, words: SaveErrorWords = {}): Error | undefined {
  if (!error) return undefined;
  if (isApiError(error, 401)) return error;
  if (!isApiError(error)) return new Error(MAYBE_SAVED);
  if (error.status >= 500) {
    return new Error(`TenantPilot failed to make the change (error ${error.status}). ${NOTHING_SAVED}`);
  }
  if (Object.keys(error.fields).length > 0) {
    const beside = new Set(words.beside ?? []);
    const others = Object.entries(error.fields)
      .filter(([field]) => !beside.has(field))
      .map(([field, message]) => `${words.labels?.[field] ?? 'A value'}: ${inPeoplesWords(message)}.`);
    const lead = others.length > 0 ? others.join(' ') : 'Check the fields marked above.';
    return new Error(`${lead} ${NOTHING_SAVED}`);
  }
  return new Error(`${withStop(error.message)} ${NOTHING_SAVED}`);
}

function withStop(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
