import { isApiError, isNetworkError } from '../app/http.ts';

/**
 * What a form says when the server refuses or fails, in people's words: field errors beside their field
 * and named by the form's label, never by the API's field name (`current_password`), and every failed
 * change saying whether anything was saved.
 */

/** The validator's words are for developers ("must match pattern …"); people get these instead. */
const technicalMessages: [RegExp, (match: RegExpMatchArray) => string][] = [
  [/^must not have fewer than 1 characters?$/, () => 'is required'],
  [/^must not have more than (\d+) characters?$/, (match) => `must be at most ${match[1]} characters`],
  [/^must not have fewer than (\d+) characters?$/, (match) => `must be at least ${match[1]} characters`],
  [/^must match pattern/, () => 'is not in the expected form'],
  [/^must be equal to one of the allowed values$/, () => 'is not one of the choices'],
  [/^must not have more than (\d+) items$/, (match) => `can name at most ${match[1]}`],
  [/^must not have fewer than 1 items$/, () => 'needs at least one entry'],
  [/^must be (string|integer|number|boolean|null|object|array)/, () => 'is not valid'],
];

export const NOTHING_SAVED = 'Nothing was saved.';

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

function withStop(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/**
 * A server message for one field as a sentence. Fragments ("must be at least 12 characters") read
 * after the field's label when there is one ("New password must be at least 12 characters"); messages
 * the server already wrote as sentences pass through.
 */
export function inPeoplesWords(message: string, label?: string): string {
  let words = message;
  for (const [pattern, replace] of technicalMessages) {
    const match = message.match(pattern);
    if (match) {
      words = replace(match);
      break;
    }
  }
  const fragment = /^[a-z]/.test(words);
  return fragment && label ? `${label} ${words}` : sentence(words);
}

/**
 * The refusal's message for one form field (a 422, or a 409 that names a field such as "already
 * taken"), for the field's `error` prop. Several API names may feed one field.
 */
export function fieldError(error: unknown, field: string | string[], label?: string): string | undefined {
  if (!isApiError(error)) return undefined;
  for (const name of Array.isArray(field) ? field : [field]) {
    const message = error.fields[name];
    if (message) return inPeoplesWords(message, label);
  }
  return undefined;
}

export interface SaveErrorWords {
  /**
   * API fields the form shows beside their own input: not repeated in the summary. Left out, every
   * field is taken to be shown beside its input.
   */
  beside?: string[];
  /** The form's label for each API field, used for fields not shown beside an input. */
  labels?: Record<string, string>;
}

/**
 * What a failed change says, always telling whether anything was saved: a refusal (4xx) and a server
 * failure (5xx: the transaction rolled back) saved nothing, and neither did a request that never got an
 * answer. A plain Error is the form's own words (a local check, a conflict the caller worded) and
 * passes through. A 401 is on its way to sign-in and says nothing.
 */
export function describeSaveError(error: unknown, words: SaveErrorWords = {}): Error | undefined {
  if (!error || isApiError(error, 401)) return undefined;
  if (isNetworkError(error)) return error;
  if (!isApiError(error)) return error instanceof Error ? error : new Error('Something went wrong.');
  if (error.status >= 500) {
    return new Error(`The server failed to make the change (error ${error.status}). ${NOTHING_SAVED}`);
  }
  const fields = Object.entries(error.fields);
  if (fields.length > 0) {
    const beside = words.beside ? new Set(words.beside) : undefined;
    const others = fields
      .filter(([field]) => beside !== undefined && !beside.has(field))
      .map(([field, message]) => {
        const label = words.labels?.[field];
        // An unlabelled field is one the form does not send on purpose (a stale page): no API name.
        return label ? withStop(inPeoplesWords(message, label)) : 'The form is out of date: reload the page.';
      });
    const lead = others.length > 0 ? [...new Set(others)].join(' ') : 'Check the fields marked above.';
    return new Error(`${lead} ${NOTHING_SAVED}`);
  }
  return new Error(`${withStop(error.message)} ${NOTHING_SAVED}`);
}

/** What a failed read says: the server's refusal, its failure, or that it could not be reached. */
export function describeLoadError(error: unknown): string {
  if (isNetworkError(error)) return error.message;
  if (isApiError(error) && error.status >= 500) {
    return `The server failed to answer (error ${error.status}). Try again in a moment.`;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** "in 14 minutes", "in 40 seconds", "in 2 hours": for a `Retry-After` in seconds. */
export function waitFor(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? 'in a second' : `in ${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? 'in a minute' : `in ${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? 'in an hour' : `in ${hours} hours`;
}
