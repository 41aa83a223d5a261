/**
 * HaloPSA (Halo API). A client-credentials token from `{SUPPORT_DESK_AUTH_URL}/token` (form body
 * `grant_type=client_credentials`, `client_id`, `client_secret`, `scope=all`; `?tenant=` for a hosted
 * Halo), cached until it expires and fetched inside the handoff's budget; then `POST {url}/api/Tickets`
 * with a JSON array of one ticket: `summary`, `details`, `client_id` (the tenant's desk customer),
 * `priority_id` (Halo's default priorities: 1 Critical, 2 High, 3 Medium, 4 Low). Halo has no
 * external-reference field on a ticket, so the SR reference leads the summary, and a hand-off again
 * finds an earlier ticket with `GET /api/Tickets?search=<SR reference>&client_id=…`. The reference
 * stored is `#<id>`; the URL is the agent view `{url}/ticket?id={id}`.
 */
import type { DeskConfig } from '../config.ts';
import {
  type DeskCheckResult,
  type FindTicketResult,
  NO_DESK_CUSTOMER,
  type SupportDesk,
  type TicketRequest,
  type TicketResult,
} from './desk.ts';
import { type DeskProfile, deskUrl, field, requestDesk, unexpectedAnswer } from './desk-request.ts';
import { deskText, joinDeskTexts, withoutSecrets } from './failure-summary.ts';
import {
  budgetSpent,
  cacheKey,
  type Deadline,
  deadlineOf,
  type FetchOutcome,
  missingSettings,
  numericCustomer,
  psaDesk,
  psaTicketCreated,
  psaTicketFound,
  SharedCache,
} from './psa.ts';
import { ticketBody, ticketSubject } from './ticket-text.ts';

export const haloPriority = { blocking: 1, high: 2, normal: 3, low: 4 } as const;
/** A token is not used in its last 30 s: a handoff that starts with it must still finish with it. */
const TOKEN_MARGIN_MS = 30_000;

/**
 * Halo errors come as a JSON string (`"Please select a valid Client"`), as `{"message"}` or
 * `{"ClassName", "Message"}`, or from the token endpoint as OAuth's `{"error", "error_description"}`.
 */
function haloErrorText(json: unknown, text: string): string | null {
  if (typeof json === 'string') return deskText(json);
  const errors = field(json, 'errors');
  return joinDeskTexts([
    deskText(field(json, 'message') ?? field(json, 'Message')),
    deskText(field(json, 'error_description')),
    deskText(field(json, 'error')),
    ...(Array.isArray(errors) ? errors.map((item) => deskText(field(item, 'message') ?? item)) : []),
    json === undefined && text.length < 300 && !/<[a-z!]/i.test(text) ? deskText(text) : null,
  ]);
}

const profile: DeskProfile = {
  name: 'HaloPSA',
  deduplicates: false,
  notFoundHint:
    'check SUPPORT_DESK_URL (the Halo web address, e.g. https://yourco.halopsa.com, without /api)',
  credentialsHint: 'SUPPORT_DESK_CLIENT_ID and SUPPORT_DESK_CLIENT_SECRET',
  permissionHint: "the API application's agent (Configuration > Integrations > Halo API)",
  errorText: haloErrorText,
};

const tokenProfile: DeskProfile = {
  ...profile,
  notFoundHint: 'check SUPPORT_DESK_AUTH_URL (the Authorisation Server shown in Halo API details)',
};

/** Tokens for every Halo configuration in this process, keyed by a hash of the settings. */
export const haloTokens = new SharedCache<string>();

function settingsMissing(config: DeskConfig): string | null {
  return missingSettings('HaloPSA', [
    ['SUPPORT_DESK_URL', config.url],
    ['SUPPORT_DESK_AUTH_URL', config.authUrl],
    ['SUPPORT_DESK_CLIENT_ID', config.clientId],
    ['SUPPORT_DESK_CLIENT_SECRET', config.clientSecret],
  ]);
}

const tokenKey = (config: DeskConfig) =>
  cacheKey(config.authUrl, config.haloTenant, config.clientId, config.clientSecret);

async function fetchToken(config: DeskConfig, timeoutMs: number): Promise<FetchOutcome<string>> {
  const tenant = config.haloTenant ? `?tenant=${encodeURIComponent(config.haloTenant)}` : '';
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: config.clientId as string,
    client_secret: config.clientSecret as string,
    scope: 'all',
  });
  const answer = await requestDesk(config, tokenProfile, {
    method: 'POST',
    baseUrl: config.authUrl,
    path: `/token${tenant}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    operation: 'check',
    timeoutMs: Math.max(1, timeoutMs),
  });
  if (!answer.ok) return { ok: false, summary: tokenFailure(answer.summary) };
  const token = field(answer.json, 'access_token');
  const expiresIn = field(answer.json, 'expires_in');
  if (typeof token !== 'string' || token.length < 8 || token.length > 8192) {
    return {
      ok: false,
      summary: unexpectedAnswer(
        config,
        tokenProfile,
        `HTTP ${answer.status} without an access token`,
        'check',
      ),
    };
  }
  const seconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn : 3600;
  return { ok: true, value: token, ttlMs: Math.max(0, seconds * 1000 - TOKEN_MARGIN_MS) };
}

/** OAuth answers wrong client credentials with 400/401 `invalid_client`: that is the credentials. */
function tokenFailure(summary: string): string {
  if (/invalid_client|unauthorized_client|HTTP 401/.test(summary)) {
    return 'HaloPSA rejected the credentials (token request) — check SUPPORT_DESK_CLIENT_ID, SUPPORT_DESK_CLIENT_SECRET and, for a hosted Halo, SUPPORT_DESK_HALO_TENANT.';
  }
  return summary
    .replace(/^HaloPSA/, 'HaloPSA (token request)')
    .replace('check SUPPORT_DESK_URL.', 'check SUPPORT_DESK_AUTH_URL.');
}

type Bearer = { ok: true; authorization: string; token: string } | { ok: false; summary: string };

async function bearer(
  config: DeskConfig,
  deadline: Deadline,
  operation: 'create' | 'check',
): Promise<Bearer> {
  const outcome = await haloTokens.get(tokenKey(config), deadline, (ms) => fetchToken(config, ms));
  if (outcome.ok) return { ok: true, authorization: `Bearer ${outcome.value}`, token: outcome.value };
  if ('timedOut' in outcome) {
    return { ok: false, summary: budgetSpent('HaloPSA', config, 'token request', operation) };
  }
  return { ok: false, summary: withoutSecrets(outcome.summary, config) };
}

/** The token is a secret too: whatever Halo echoes, it does not leave in a summary. */
function scrub(summary: string, auth: { token: string }): string {
  return summary.split(auth.token).join('[redacted]');
}

/** A 401 with a cached token means Halo no longer accepts it: the next handoff fetches a new one. */
function forgetRejectedToken(config: DeskConfig, summary: string): void {
  if (/HTTP 401/.test(summary)) haloTokens.drop(tokenKey(config));
}

export function haloTicket(request: TicketRequest, clientId: number) {
  const { name, email } = request.contact;
  const contact = name && email ? `${name} <${email}>` : (name ?? email);
  return [
    {
      summary: ticketSubject(request),
      details: ticketBody(request),
      client_id: clientId,
      priority_id: haloPriority[request.severity],
      ...(contact ? { reportedby: contact } : {}),
    },
  ];
}

function ticketUrl(config: DeskConfig, id: number): string {
  return deskUrl(config.url as string, `/ticket?id=${id}`);
}

function ticketId(value: unknown): number | null {
  const id = field(Array.isArray(value) ? value[0] : value, 'id');
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

async function createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult> {
  const missing = settingsMissing(config);
  if (missing) return { kind: 'failed', summary: missing };
  if (!request.deskCustomerId) return { kind: 'failed', summary: `HaloPSA: ${NO_DESK_CUSTOMER}.` };
  const clientId = numericCustomer(request.deskCustomerId);
  if (clientId === null) {
    return {
      kind: 'failed',
      summary: `HaloPSA files tickets under a client id (a number): the tenant's desk customer "${deskText(request.deskCustomerId)}" is not one.`,
    };
  }
  const deadline = deadlineOf(config);
  const auth = await bearer(config, deadline, 'create');
  if (!auth.ok) return { kind: 'failed', summary: auth.summary };
  if (deadline.expired()) {
    return { kind: 'failed', summary: budgetSpent('HaloPSA', config, 'token request', 'create') };
  }
  const reference = request.internalReference;
  const answer = await requestDesk(config, profile, {
    method: 'POST',
    path: '/api/Tickets',
    headers: { authorization: auth.authorization, 'content-type': 'application/json' },
    body: JSON.stringify(haloTicket(request, clientId)),
    operation: 'create',
    reference,
    timeoutMs: deadline.remaining(),
  });
  if (!answer.ok) {
    forgetRejectedToken(config, answer.summary);
    return { kind: 'failed', summary: scrub(answer.summary, auth) };
  }
  const id = ticketId(answer.json);
  return psaTicketCreated(
    config,
    profile,
    answer.status,
    id,
    (ticket) => ticketUrl(config, ticket),
    reference,
  );
}

/**
 * `GET /api/Tickets?search=<reference>`: Halo searches summaries and details; only a ticket whose
 * summary carries the reference (as TenantPilot wrote it) counts.
 */
async function findTicket(config: DeskConfig, reference: string): Promise<FindTicketResult> {
  const missing = settingsMissing(config);
  if (missing) return { kind: 'failed', summary: missing };
  const deadline = deadlineOf(config);
  const auth = await bearer(config, deadline, 'check');
  if (!auth.ok) return { kind: 'failed', summary: auth.summary };
  const query = new URLSearchParams({ search: reference, pageinate: 'true', page_size: '5', page_no: '1' });
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: `/api/Tickets?${query}`,
    headers: { authorization: auth.authorization },
    operation: 'check',
    timeoutMs: Math.max(1, deadline.remaining()),
  });
  if (!answer.ok) {
    forgetRejectedToken(config, answer.summary);
    return { kind: 'failed', summary: scrub(answer.summary, auth) };
  }
  const tickets = field(answer.json, 'tickets');
  if (!Array.isArray(tickets)) {
    return {
      kind: 'failed',
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without a ticket list`, 'check'),
    };
  }
  const match = tickets.find((ticket) => {
    const summary = field(ticket, 'summary');
    return typeof summary === 'string' && summary.startsWith(`[${reference}]`);
  });
  const id = ticketId(match);
  return psaTicketFound(id, (ticket) => ticketUrl(config, ticket));
}

/** The token, then `GET /api/Agent/me`: proves both servers, the credentials and the agent behind them. */
async function check(config: DeskConfig): Promise<DeskCheckResult> {
  const missing = settingsMissing(config);
  if (missing) return { ok: false, summary: missing };
  const deadline = deadlineOf(config);
  const auth = await bearer(config, deadline, 'check');
  if (!auth.ok) return { ok: false, summary: auth.summary };
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: '/api/Agent/me',
    headers: { authorization: auth.authorization },
    operation: 'check',
    timeoutMs: Math.max(1, deadline.remaining()),
  });
  if (!answer.ok) {
    forgetRejectedToken(config, answer.summary);
    return { ok: false, summary: scrub(answer.summary, auth) };
  }
  const id = field(answer.json, 'id');
  if (typeof id !== 'number') {
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without an agent`, 'check'),
    };
  }
  const name = deskText(field(answer.json, 'name'));
  return {
    ok: true,
    detail: `credentials accepted (token issued; API agent ${name ?? `#${id}`}); tickets go to each tenant's Halo client`,
  };
}

export function createHaloPsaDesk(config: DeskConfig): SupportDesk {
  return psaDesk('halopsa', 'HaloPSA', config, { createTicket, findTicket, check });
}
