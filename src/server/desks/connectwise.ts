/**
 * ConnectWise PSA (Manage REST API 3.0). SUPPORT_DESK_URL is the site with its codebase, e.g.
 * `https://api-na.myconnectwise.net/v4_6_release`; calls go to `{url}/apis/3.0/…` with Basic
 * `{company}+{public key}:{private key}` and the `clientId` header. A ticket is
 * `POST /apis/3.0/service/tickets` with `summary` (ConnectWise keeps 100 characters), `initialDescription`,
 * `board` (SUPPORT_DESK_BOARD_ID), `company` (the tenant's desk customer: a record id, or the company
 * identifier), `priority` (read from the desk's own `/service/priorities`, cached 10 minutes) and the
 * SR reference in `externalXRef`, which a hand-off again searches with
 * `GET /service/tickets?conditions=externalXRef="…"`. The reference stored is `#<id>`; the URL is the
 * agent's ticket page `…/services/system_io/Service/fv_sr100_request.rails?service_recid={id}`.
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
import { basicAuth, type DeskProfile, field, requestDesk, unexpectedAnswer } from './desk-request.ts';
import { deskText, joinDeskTexts } from './failure-summary.ts';
import {
  cacheKey,
  type Deadline,
  type DeskPriority,
  deadlineOf,
  type FetchOutcome,
  missingSettings,
  numericCustomer,
  priorityFor,
  psaDesk,
  psaTicketCreated,
  psaTicketFound,
  SharedCache,
  shareOf,
} from './psa.ts';
import { cutText, ticketBody, ticketSubject } from './ticket-text.ts';

/** ConnectWise's ticket summary holds 100 characters. */
export const CONNECTWISE_SUMMARY_MAX = 100;
const PRIORITIES_TTL_MS = 10 * 60_000;

/** `{"code": "InvalidObject", "message": "…", "errors": [{"code", "message", "resource", "field"}]}`. */
function connectwiseErrorText(json: unknown): string | null {
  const errors = field(json, 'errors');
  return joinDeskTexts([
    deskText(field(json, 'message')),
    ...(Array.isArray(errors)
      ? errors.map((item) => {
          const name = deskText(field(item, 'field'));
          const message = deskText(field(item, 'message'));
          return name && message && !message.toLowerCase().includes(name.toLowerCase())
            ? `${name}: ${message}`
            : message;
        })
      : []),
  ]);
}

const profile: DeskProfile = {
  name: 'ConnectWise PSA',
  deduplicates: false,
  notFoundHint:
    'check SUPPORT_DESK_URL (the API site with its codebase, e.g. https://api-na.myconnectwise.net/v4_6_release) and SUPPORT_DESK_BOARD_ID',
  credentialsHint:
    'SUPPORT_DESK_COMPANY_ID, SUPPORT_DESK_PUBLIC_KEY, SUPPORT_DESK_PRIVATE_KEY and SUPPORT_DESK_CLIENT_ID',
  permissionHint: "the API member's security role (Service Desk: Service Tickets add and inquire)",
  errorText: connectwiseErrorText,
};

/** Priorities of every ConnectWise configuration in this process, most urgent first. */
export const connectwisePriorities = new SharedCache<DeskPriority[]>();

function settingsMissing(config: DeskConfig): string | null {
  return missingSettings('ConnectWise PSA', [
    ['SUPPORT_DESK_URL', config.url],
    ['SUPPORT_DESK_COMPANY_ID', config.companyId],
    ['SUPPORT_DESK_PUBLIC_KEY', config.publicKey],
    ['SUPPORT_DESK_PRIVATE_KEY', config.privateKey],
    ['SUPPORT_DESK_CLIENT_ID', config.clientId],
    ['SUPPORT_DESK_BOARD_ID', config.boardId],
  ]);
}

function headers(config: DeskConfig): Record<string, string> {
  return {
    authorization: basicAuth(`${config.companyId}+${config.publicKey}`, config.privateKey as string),
    clientid: config.clientId as string,
  };
}

/** A company by record id when the desk customer is a number, else by its identifier (e.g. `Contoso`). */
export function companyReference(deskCustomerId: string): { id: number } | { identifier: string } {
  const id = numericCustomer(deskCustomerId);
  return id === null ? { identifier: deskCustomerId.trim() } : { id };
}

async function fetchPriorities(config: DeskConfig, timeoutMs: number): Promise<FetchOutcome<DeskPriority[]>> {
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: '/apis/3.0/service/priorities?fields=id,name,sortOrder,defaultFlag&pageSize=100',
    headers: headers(config),
    operation: 'check',
    timeoutMs: Math.max(1, timeoutMs),
  });
  if (!answer.ok) return { ok: false, summary: answer.summary };
  if (!Array.isArray(answer.json)) {
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without a priority list`, 'check'),
    };
  }
  const priorities = answer.json
    .map((item) => ({
      id: field(item, 'id'),
      name: deskText(field(item, 'name')) ?? '',
      sortOrder: field(item, 'sortOrder'),
    }))
    .filter((item): item is { id: number; name: string; sortOrder: unknown } => typeof item.id === 'number')
    .sort((a, b) => (Number(a.sortOrder) || 0) - (Number(b.sortOrder) || 0))
    .map(({ id, name }) => ({ id, name }));
  return { ok: true, value: priorities, ttlMs: PRIORITIES_TTL_MS };
}

/**
 * The desk's priority for this severity. The read gets at most half of what is left of the budget; if
 * it fails, the ticket goes without one (the board's default) and the severity is still in its text.
 */
async function priorityOf(
  config: DeskConfig,
  severity: TicketRequest['severity'],
  deadline: Deadline,
): Promise<DeskPriority | null> {
  const half = shareOf(deadline, 0.5);
  const key = cacheKey(config.url, config.companyId, config.publicKey, config.privateKey);
  const outcome = await connectwisePriorities.get(key, half, (ms) => fetchPriorities(config, ms));
  return outcome.ok ? priorityFor(severity, outcome.value) : null;
}

export function connectwiseTicket(
  request: TicketRequest,
  config: DeskConfig,
  deskCustomerId: string,
  priority: DeskPriority | null,
) {
  const { name, email } = request.contact;
  return {
    summary: ticketSubject(request, CONNECTWISE_SUMMARY_MAX),
    initialDescription: ticketBody(request),
    board: { id: Number(config.boardId) },
    company: companyReference(deskCustomerId),
    externalXRef: request.internalReference,
    ...(priority ? { priority: { id: priority.id } } : {}),
    ...(name ? { contactName: cutText(name, 62) } : {}),
    ...(email ? { contactEmailAddress: email } : {}),
  };
}

/** The agent's ticket page: on the web host (`api-na.` → `na.`), under the same codebase. */
export function connectwiseTicketUrl(config: DeskConfig, id: number): string | null {
  try {
    const url = new URL(config.url as string);
    url.hostname = url.hostname.replace(/^api-/, '');
    const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    const company = encodeURIComponent(config.companyId ?? '');
    return `${base}/services/system_io/Service/fv_sr100_request.rails?service_recid=${id}&companyName=${company}`;
  } catch {
    return null;
  }
}

function ticketId(value: unknown): number | null {
  const id = field(value, 'id');
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

async function createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult> {
  const missing = settingsMissing(config);
  if (missing) return { kind: 'failed', summary: missing };
  if (!request.deskCustomerId?.trim()) {
    return { kind: 'failed', summary: `ConnectWise PSA: ${NO_DESK_CUSTOMER}.` };
  }
  const deadline = deadlineOf(config);
  const priority = await priorityOf(config, request.severity, deadline);
  const reference = request.internalReference;
  const answer = await requestDesk(config, profile, {
    method: 'POST',
    path: '/apis/3.0/service/tickets',
    headers: { ...headers(config), 'content-type': 'application/json' },
    body: JSON.stringify(connectwiseTicket(request, config, request.deskCustomerId, priority)),
    operation: 'create',
    reference,
    timeoutMs: Math.max(1, deadline.remaining()),
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const id = ticketId(answer.json);
  return psaTicketCreated(
    config,
    profile,
    answer.status,
    id,
    (ticket) => connectwiseTicketUrl(config, ticket),
    reference,
  );
}

/** `externalXRef` is ConnectWise's own field for another system's reference: an exact search. */
async function findTicket(config: DeskConfig, reference: string): Promise<FindTicketResult> {
  const missing = settingsMissing(config);
  if (missing) return { kind: 'failed', summary: missing };
  const conditions = encodeURIComponent(`externalXRef="${reference.replace(/["\\]/g, '')}"`);
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: `/apis/3.0/service/tickets?conditions=${conditions}&fields=id,summary,externalXRef&pageSize=5`,
    headers: headers(config),
    operation: 'check',
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  if (!Array.isArray(answer.json)) {
    return {
      kind: 'failed',
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without a ticket list`, 'check'),
    };
  }
  const match = answer.json.find((ticket) => field(ticket, 'externalXRef') === reference);
  const id = ticketId(match);
  return psaTicketFound(id, (ticket) => connectwiseTicketUrl(config, ticket));
}

/** `GET /service/boards/{board}`: proves the site, the keys, the client id and the board. */
async function check(config: DeskConfig): Promise<DeskCheckResult> {
  const missing = settingsMissing(config);
  if (missing) return { ok: false, summary: missing };
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: `/apis/3.0/service/boards/${encodeURIComponent(config.boardId as string)}`,
    headers: headers(config),
    operation: 'check',
  });
  if (!answer.ok) return { ok: false, summary: answer.summary };
  if (typeof field(answer.json, 'id') !== 'number') {
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without a board`, 'check'),
    };
  }
  if (field(answer.json, 'inactiveFlag') === true) {
    return {
      ok: false,
      summary: `ConnectWise PSA: board ${config.boardId} is inactive — tickets cannot be filed on it; check SUPPORT_DESK_BOARD_ID.`,
    };
  }
  const name = deskText(field(answer.json, 'name')) ?? `board ${config.boardId}`;
  return { ok: true, detail: `credentials accepted (service board "${name}")` };
}

export function createConnectWiseDesk(config: DeskConfig): SupportDesk {
  return psaDesk('connectwise_psa', 'ConnectWise PSA', config, { createTicket, findTicket, check });
}
