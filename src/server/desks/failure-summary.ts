/**
 * Turns what went wrong with a desk into one short sentence for the people who read the support request
 * or run `tenantpilot desk check`. A summary names the desk, the HTTP status and the desk's own short
 * error text, never a credential: every configured secret is also scrubbed from the final text.
 */
import type { DeskConfig } from '../config.ts';
import type { DeskCallFailure } from './desk-http.ts';

const MAX_DESK_TEXT = 200;
const MAX_SUMMARY = 600;

export interface SummaryContext {
  deskName: string;
  /** `create` makes timeouts and lost connections say the ticket may exist; `check` does not. */
  operation: 'create' | 'check';
  /** The SR reference of the ticket being created. */
  reference?: string;
  timeoutMs: number;
  /** Zendesk keeps one ticket per Idempotency-Key; the others may create a duplicate if sent again. */
  deduplicates: boolean;
  /** What a 404 means for this desk, e.g. "check SUPPORT_DESK_URL". */
  notFoundHint: string;
  /** Which settings hold the credentials, e.g. "SUPPORT_DESK_EMAIL and SUPPORT_DESK_API_TOKEN". */
  credentialsHint: string;
  /** Who lacks permission on a 403, e.g. "the API member's security role". Defaults to the account. */
  permissionHint?: string;
}

/** The desk's answer to an HTTP error, with the desk's own error text when it gave one. */
export interface HttpProblem {
  status: number;
  deskText: string | null;
  retryAfter: string | null;
}

export function budgetText(timeoutMs: number): string {
  const seconds = timeoutMs / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1).replace(/\.0$/, '')} s`;
}

function unconfirmed(ctx: SummaryContext, what: string): string {
  const search = ctx.reference ? `; search it for ${ctx.reference}` : '';
  const duplicate = ctx.deduplicates
    ? ` (${ctx.deskName} keeps one ticket per reference, so sending it again would not duplicate it)`
    : '';
  return `${what} — the desk may still have created it${search}${duplicate}.`;
}

export function callFailureSummary(failure: DeskCallFailure, ctx: SummaryContext): string {
  const desk = ctx.deskName;
  switch (failure.kind) {
    case 'timeout':
      return ctx.operation === 'create'
        ? unconfirmed(ctx, `Not confirmed within ${budgetText(ctx.timeoutMs)}`)
        : `${desk} did not answer within ${budgetText(ctx.timeoutMs)}.`;
    case 'connection-lost':
      return ctx.operation === 'create'
        ? unconfirmed(ctx, `${desk}: connection lost before an answer (${failure.code})`)
        : `${desk}: connection lost before an answer (${failure.code}).`;
    case 'refused':
      return `${desk} could not be reached: connection refused — check SUPPORT_DESK_URL.`;
    case 'host-not-found':
      return `${desk} could not be reached: desk host not found — check SUPPORT_DESK_URL.`;
    case 'tls':
      return `${desk} could not be reached: its TLS certificate was not accepted (${failure.code}).`;
    case 'redirect':
      return `${desk} answered with a redirect to ${failure.host ?? 'an unknown location'} (HTTP ${failure.status}) — check SUPPORT_DESK_URL; redirects are not followed.`;
    case 'oversized':
      return `${desk} answered with more than 1 MiB; the answer was not read.`;
    case 'invalid-url':
      return 'SUPPORT_DESK_URL is not an http(s) URL without a user name or password.';
  }
}

export function httpProblemSummary(problem: HttpProblem, ctx: SummaryContext): string {
  const { status } = problem;
  const desk = ctx.deskName;
  const deskSays = problem.deskText ? `: ${problem.deskText}` : '.';
  // A 401 is the credentials; a 403 is an account the desk knows that may not do this (docs/rules.md
  // "Support desks"): telling people to re-enter working credentials sends them the wrong way.
  if (status === 401) return `${desk} rejected the credentials (HTTP 401) — check ${ctx.credentialsHint}.`;
  if (status === 403) {
    const what = ctx.operation === 'create' ? 'create this ticket' : 'read what the check reads';
    const who = ctx.permissionHint ?? 'the desk account TenantPilot signs in as';
    return `${desk} refused: the account lacks permission to ${what} (HTTP 403)${deskSays === '.' ? '' : deskSays} — grant it to ${who}.`;
  }
  if (status === 404) return `${desk} answered 404 Not Found — ${ctx.notFoundHint}.`;
  if (status === 400 || status === 422) {
    const what = ctx.operation === 'create' ? 'refused the ticket as invalid' : 'refused the request';
    return `${desk} ${what} (HTTP ${status})${deskSays}`;
  }
  if (status === 429) {
    const wait = problem.retryAfter ? `; it asks to retry after ${retryAfterText(problem.retryAfter)}` : '';
    return `${desk} is rate limiting requests (HTTP 429)${wait}.`;
  }
  if (status >= 500) return `${desk} had an error (HTTP ${status})${deskSays}`;
  return `${desk} answered HTTP ${status}${deskSays}`;
}

/** Retry-After is seconds or an HTTP date; anything else is not repeated. */
function retryAfterText(value: string): string {
  const trimmed = value.trim();
  if (/^\d{1,7}$/.test(trimmed)) return `${trimmed} s`;
  const date = new Date(trimmed);
  return Number.isNaN(date.getTime()) || trimmed.length > 40 ? 'a while' : date.toISOString();
}

/** A desk's own error text, made safe for one line: no control characters, bounded length. */
export function deskText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return null;
  return text.length > MAX_DESK_TEXT ? `${text.slice(0, MAX_DESK_TEXT - 1)}…` : text;
}

/** Joins pieces of desk error text (several fields may be wrong) into one bounded text. */
export function joinDeskTexts(parts: Array<string | null>): string | null {
  return deskText(parts.filter(Boolean).join('; '));
}

/**
 * The last guard: whatever the desk echoed, no configured secret leaves in a summary. Covers the API
 * token, the webhook secret, and a key carried in the desk URL's user info or query string.
 */
export function withoutSecrets(summary: string, config: DeskConfig): string {
  const secrets = [
    config.apiToken,
    config.secret,
    config.clientSecret,
    config.privateKey,
    config.apiIntegrationCode,
    ...urlSecrets(config.url),
    ...urlSecrets(config.authUrl),
  ].filter((value): value is string => typeof value === 'string' && value.length >= 4);
  let safe = summary;
  for (const secret of secrets) safe = safe.split(secret).join('[redacted]');
  return safe.length > MAX_SUMMARY ? `${safe.slice(0, MAX_SUMMARY - 1)}…` : safe;
}

function urlSecrets(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const url = new URL(raw);
    const values = [...url.searchParams.values()];
    return [url.username, url.password, url.search.slice(1), ...values].filter(Boolean);
  } catch {
    return [];
  }
}
