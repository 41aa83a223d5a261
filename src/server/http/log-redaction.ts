/**
 * Invitation and first-run setup links carry their token in the path: everything after `invitations/` or
 * `setup/` (however the slash is written, any case) up to the query is redacted.
 */
const SECRET_PATH = /(\/(?:invitations|setup)(?:\/|%2f)+)[^?#]+/gi;

/**
 * Sign-in through the identity provider carries secrets in the query: the authorization `code` and
 * `state` coming back, an invitation's token going out.
 */
const SECRET_QUERY = /([?&](?:code|state|invitation|session_state)=)[^&#]*/gi;

/** A request URL fit for a log: the token of an invitation or setup link never reaches one. */
export function redactSecretPaths(url: string): string {
  const redacted = url.replace(SECRET_PATH, '$1[redacted]');
  return /^\/auth\/oidc/i.test(redacted) ? redacted.replace(SECRET_QUERY, '$1[redacted]') : redacted;
}
