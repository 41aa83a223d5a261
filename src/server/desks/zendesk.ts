/**
 * Zendesk Support (Tickets API). POST {url}/api/v2/tickets.json with Basic `{email}/token:{api_token}`.
 * The SR reference goes in the `Idempotency-Key` header (Zendesk keeps one ticket per key) and in
 * `ticket.external_id`. The reference stored is `#<id>`, as agents see it in Zendesk; the URL is the agent
 * view `{url}/agent/tickets/{id}`.
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
import { ticketBody, ticketSubject } from './ticket-text.ts';

export const zendeskPriority = { low: 'low', normal: 'normal', high: 'high', blocking: 'urgent' } as const;

/** Zendesk errors: `{"error": "RecordInvalid", "description": "...", "details": {field: [{description}]}}`. */
function zendeskErrorText(json: unknown): string | null {
  const details = field(json, 'details');
  const detailTexts =
    details && typeof details === 'object'
      ? Object.values(details as Record<string, unknown>)
          .flatMap((list) => (Array.isArray(list) ? list : []))
          .map((item) => deskText(field(item, 'description')))
      : [];
  const error = field(json, 'error');
  const headline =
    deskText(field(json, 'description')) ??
    deskText(typeof error === 'string' ? error : field(error, 'message')) ??
    deskText(field(error, 'title'));
  return joinDeskTexts([headline, ...detailTexts]);
}

const profile: DeskProfile = {
  name: 'Zendesk',
  deduplicates: true,
  notFoundHint: 'check SUPPORT_DESK_URL (https://<subdomain>.zendesk.com)',
  credentialsHint: 'SUPPORT_DESK_EMAIL and SUPPORT_DESK_API_TOKEN',
  permissionHint: 'the Zendesk user of SUPPORT_DESK_EMAIL (it must be an agent)',
  errorText: zendeskErrorText,
};

function credentials(config: DeskConfig): string | null {
  return config.email && config.apiToken ? basicAuth(`${config.email}/token`, config.apiToken) : null;
}

const missingCredentials =
  'Zendesk needs SUPPORT_DESK_EMAIL and SUPPORT_DESK_API_TOKEN, which are not both set.';

export function zendeskTicket(request: TicketRequest) {
  const { contact } = request;
  const organization = numericCustomer(request.deskCustomerId);
  return {
    ticket: {
      subject: ticketSubject(request),
      comment: { body: ticketBody(request) },
      priority: zendeskPriority[request.severity],
      external_id: request.internalReference,
      tags: ['tenantpilot'],
      // The tenant's desk customer is its Zendesk organization; without one, Zendesk's own default.
      ...(organization === null ? {} : { organization_id: organization }),
      ...(contact.email ? { requester: { name: contact.name ?? contact.email, email: contact.email } } : {}),
    },
  };
}

async function createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult> {
  const authorization = credentials(config);
  if (!authorization) return { kind: 'failed', summary: missingCredentials };
  if (request.deskCustomerId && numericCustomer(request.deskCustomerId) === null) {
    return { kind: 'failed', summary: notAnOrganization(request.deskCustomerId) };
  }
  const reference = request.internalReference;
  const answer = await requestDesk(config, profile, {
    method: 'POST',
    path: '/api/v2/tickets.json',
    headers: { authorization, 'content-type': 'application/json', 'idempotency-key': reference },
    body: JSON.stringify(zendeskTicket(request)),
    operation: 'create',
    reference,
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const id = field(field(answer.json, 'ticket'), 'id');
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    const what = `HTTP ${answer.status} without a ticket id`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'create', reference) };
  }
  return {
    kind: 'created',
    reference: `#${id}`,
    url: deskUrl(config.url as string, `/agent/tickets/${id}`),
  };
}

const notAnOrganization = (value: string) =>
  `Zendesk files tickets under an organization id (a number): the tenant's desk customer "${deskText(value)}" is not one.`;

/** `GET /api/v2/tickets.json?external_id=`: the SR reference is the ticket's external_id. */
async function findTicket(config: DeskConfig, reference: string): Promise<FindTicketResult> {
  const authorization = credentials(config);
  if (!authorization) return { kind: 'failed', summary: missingCredentials };
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: `/api/v2/tickets.json?external_id=${encodeURIComponent(reference)}`,
    headers: { authorization },
    operation: 'check',
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const tickets = field(answer.json, 'tickets');
  if (!Array.isArray(tickets)) {
    const what = `HTTP ${answer.status} without a ticket list`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'check') };
  }
  const id = field(
    tickets.find((ticket) => field(ticket, 'external_id') === reference),
    'id',
  );
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) return { kind: 'not_found' };
  return { kind: 'found', reference: `#${id}`, url: deskUrl(config.url as string, `/agent/tickets/${id}`) };
}

/** GET /api/v2/users/me.json: Zendesk answers an unauthenticated call 200 with an anonymous end user. */
async function check(config: DeskConfig): Promise<DeskCheckResult> {
  const authorization = credentials(config);
  if (!authorization) return { ok: false, summary: missingCredentials };
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: '/api/v2/users/me.json',
    headers: { authorization },
    operation: 'check',
  });
  if (!answer.ok) return { ok: false, summary: answer.summary };
  const user = field(answer.json, 'user');
  const id = field(user, 'id');
  const role = field(user, 'role');
  if (user === undefined) {
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without a user`, 'check'),
    };
  }
  if (typeof id !== 'number' || role === 'end-user') {
    return {
      ok: false,
      summary: `Zendesk did not accept the credentials: it signed in ${id === null ? 'an anonymous user' : 'an end user, not an agent'} — check SUPPORT_DESK_EMAIL and SUPPORT_DESK_API_TOKEN.`,
    };
  }
  const email = deskText(field(user, 'email'));
  return {
    ok: true,
    detail: `credentials accepted (signed in as ${email ?? `user ${id}`}, role ${deskText(role) ?? 'unknown'})`,
  };
}

export function createZendeskDesk(config: DeskConfig): SupportDesk {
  return {
    provider: 'zendesk',
    displayName: 'Zendesk',
    requiresCustomer: false,
    createTicket: (request, budgetMs) => createTicket(withinBudget(config, budgetMs), request),
    findTicket: (reference) => findTicket(config, reference),
    check: () => check(config),
  };
}
