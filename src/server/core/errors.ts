/** What the application refuses, in the domain's words. `http/errors.ts` maps each code to a status, once. */
export type ErrorCode =
  | 'unauthenticated'
  /** The password was right; the person has an authenticator and the request named no code (401). */
  | 'second_factor_required'
  /** The workspace requires a second factor and the person has none enrolled yet (403). */
  | 'second_factor_enrolment_required'
  | 'not_found'
  | 'forbidden'
  | 'invalid'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'bad_request';

/** Everything the application refuses. Mapped to an HTTP status and the error body in one place. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** One body for every "not yours or not there": nothing about existence leaks (docs/rules.md, access). */
export const notFound = () => new AppError('not_found', 'Not found');

/** A change the current state refuses (a second pending exception, an archived tenant). */
export const conflict = (message: string) => new AppError('conflict', message);

/** One 422 naming every bad field. */
export const invalidFields = (fields: Record<string, string>) =>
  new AppError('invalid', 'The request has invalid fields', fields);
