/**
 * Freshdesk (Tickets API v2). POST {url}/api/v2/tickets with Basic `{api_token}:X`. Freshdesk needs a
 * requester email: the contact's, else SUPPORT_DESK_EMAIL. It does not de-duplicate, so the SR reference
 * goes in the subject and the tags. The reference stored is `#<id>`; the URL is the agent view
 * `{url}/a/tickets/{id}`.
 */
import type { DeskConfig } from '../config.ts';
import { withinBudget } from './budget.ts';
import type { DeskCheckResult, FindTicketResult, SupportDesk, TicketRequest, TicketResult } from './desk.ts';
import {
  basicAuth,
  type DeskProfile,
  deskUrl,
  field,
  requestDesk,
  unexpectedAnswer,
} from './desk-request.ts';
import { deskText, joinDeskTexts } from './failure-summary.ts';
import { numericCustomer } from './psa.ts';
import { ticketBodyHtml, ticketSubject } from './ticket-text.ts';

export const freshdeskPriority = { low: 1, normal: 2, high: 3, blocking: 4 } as const;
const STATUS_OPEN = 2;
const SOURCE_PORTAL = 2;

/** Freshdesk errors: `{"description": "Validation failed", "errors": [{field, message, code}]}` or `{code, message}`. */
function freshdeskErrorText(json: unknown): string | null {
  const errors = field(json, 'errors');
  const fieldTexts = Array.isArray(errors)
    ? errors.map((item) => {
        const name = deskText(field(item, 'field'));
        const message = deskText(field(item, 'message'));
        return name && message ? `${name}: ${message}` : message;
      })
    : [];
  return joinDeskTexts([
    deskText(field(json, 'description')) ?? deskText(field(json, 'message')),
    ...fieldTexts,
  ]);
}

const profile: DeskProfile = {
  name: 'Freshdesk',
  deduplicates: false,
  notFoundHint: 'check SUPPORT_DESK_URL (https://<domain>.freshdesk.com)',
  credentialsHint: 'SUPPORT_DESK_API_TOKEN',
  permissionHint: 'the Freshdesk agent whose API key this is',
  errorText: freshdeskErrorText,
};

const missingToken = 'Freshdesk needs SUPPORT_DESK_API_TOKEN, which is not set.';
const missingEmail =
  'Freshdesk needs a requester email: give a contact email, or set SUPPORT_DESK_EMAIL for requests without one.';

export function freshdeskTicket(request: TicketRequest, fallbackEmail: string | null) {
  const email = request.contact.email ?? fallbackEmail;
  const name = request.contact.email ? request.contact.name : null;
  const company = numericCustomer(request.deskCustomerId);
  return {
    subject: ticketSubject(request),
    description: ticketBodyHtml(request),
    email,
    ...(name ? { name } : {}),
    priority: freshdeskPriority[request.severity],
    status: STATUS_OPEN,
    source: SOURCE_PORTAL,
    tags: ['tenantpilot', request.internalReference],
    // The tenant's desk customer is its Freshdesk company; without one, the requester's own company.
    ...(company === null ? {} : { company_id: company }),
  };
}

async function createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult> {
  if (!config.apiToken) return { kind: 'failed', summary: missingToken };
  if (!request.contact.email && !config.email) return { kind: 'failed', summary: missingEmail };
  if (request.deskCustomerId && numericCustomer(request.deskCustomerId) === null) {
    return {
      kind: 'failed',
      summary: `Freshdesk files tickets under a company id (a number): the tenant's desk customer "${deskText(request.deskCustomerId)}" is not one.`,
    };
  }
  const reference = request.internalReference;
  const answer = await requestDesk(config, profile, {
    method: 'POST',
    path: '/api/v2/tickets',
    headers: { authorization: basicAuth(config.apiToken, 'X'), 'content-type': 'application/json' },
    body: JSON.stringify(freshdeskTicket(request, config.email)),
    operation: 'create',
    reference,
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const id = field(answer.json, 'id');
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    const what = `HTTP ${answer.status} without a ticket id`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'create', reference) };
  }
  return { kind: 'created', reference: `#${id}`, url: deskUrl(config.url as string, `/a/tickets/${id}`) };
}

/** `GET /api/v2/search/tickets?query="tag:'SR-…'"`: every ticket carries its SR reference as a tag. */
async function findTicket(config: DeskConfig, reference: string): Promise<FindTicketResult> {
  if (!config.apiToken) return { kind: 'failed', summary: missingToken };
  const query = encodeURIComponent(`"tag:'${reference.replace(/['"\\]/g, '')}'"`);
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: `/api/v2/search/tickets?query=${query}`,
    headers: { authorization: basicAuth(config.apiToken, 'X') },
    operation: 'check',
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const results = field(answer.json, 'results');
  if (!Array.isArray(results)) {
    const what = `HTTP ${answer.status} without search results`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'check') };
  }
  const id = field(results[0], 'id');
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) return { kind: 'not_found' };
  return { kind: 'found', reference: `#${id}`, url: deskUrl(config.url as string, `/a/tickets/${id}`) };
}

/** GET /api/v2/agents/me: answers only for an agent's API key. */
async function check(config: DeskConfig): Promise<DeskCheckResult> {
  if (!config.apiToken) return { ok: false, summary: missingToken };
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: '/api/v2/agents/me',
    headers: { authorization: basicAuth(config.apiToken, 'X') },
    operation: 'check',
  });
  if (!answer.ok) return { ok: false, summary: answer.summary };
  const id = field(answer.json, 'id');
  if (typeof id !== 'number') {
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without an agent`, 'check'),
    };
  }
  const email = deskText(field(field(answer.json, 'contact'), 'email'));
  const requester = config.email
    ? ''
    : '; note: without SUPPORT_DESK_EMAIL, requests without a contact email cannot become tickets';
  return { ok: true, detail: `credentials accepted (signed in as ${email ?? `agent ${id}`})${requester}` };
}

export function createFreshdeskDesk(config: DeskConfig): SupportDesk {
  return {
    provider: 'freshdesk',
    displayName: 'Freshdesk',
    requiresCustomer: false,
    createTicket: (request, budgetMs) => createTicket(withinBudget(config, budgetMs), request),
    findTicket: (reference) => findTicket(config, reference),
    check: () => check(config),
  };
}
