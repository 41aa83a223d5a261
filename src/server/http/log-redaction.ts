/**
 * Invitation and first-run setup links carry their token in the path: everything after `invitations/` or
 * `setup/` (however the slash is written, any case) up to the query is redacted.
 */
const SECRET_PATH = /(\/(?:invitations|setup)(?:\/|%2f)+)[^?#]+/gi;

/** A request URL fit for a log: the token of an invitation or setup link never reaches one. */
export function redactSecretPaths(url: string): string {
  return url.replace(SECRET_PATH, '$1[redacted]');
}
