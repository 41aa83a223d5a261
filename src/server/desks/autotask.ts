/**
 * Datto Autotask PSA (REST API v1.0). SUPPORT_DESK_URL is the zone's web services host, e.g.
 * `https://webservices5.autotask.net`; calls go to `{url}/ATServicesRest/V1.0/…` with the headers
 * `ApiIntegrationCode`, `UserName` and `Secret`. A ticket is `POST /Tickets` with `companyID` (the
 * tenant's desk customer), `queueID` (SUPPORT_DESK_QUEUE_ID), `title` (the SR reference leads it;
 * Autotask has no external-reference field on tickets), `description` (8000 characters), `status` 1 (New)
 * and `priority` from the instance's own picklist (`GET /Tickets/entityInformation/fields`, cached 10
 * minutes; Autotask's defaults 4 Critical, 1 High, 2 Medium, 3 Low when it cannot be read). The answer
 * is `{"itemId": n}`; the reference stored is `#<id>`, the URL the ticket's page on the zone's web host
 * (`webservicesN` → `wwN`). A hand-off again finds an earlier ticket with
 * `GET /Tickets/query?search={"filter":[{"op":"beginsWith","field":"title","value":"[SR-…]"}]}`.
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
import { type DeskProfile, field, requestDesk, unexpectedAnswer } from './desk-request.ts';
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

const API = '/ATServicesRest/V1.0';
const STATUS_NEW = 1;
const DESCRIPTION_MAX = 8000;
const PICKLIST_TTL_MS = 10 * 60_000;
/** Autotask's shipped ticket priorities, used only when the instance's picklist cannot be read. */
export const autotaskDefaultPriority = { blocking: 4, high: 1, normal: 2, low: 3 } as const;

/** `{"errors": ["…"]}` (Autotask answers most refusals this way, often with HTTP 500). */
function autotaskErrorText(json: unknown): string | null {
  const errors = field(json, 'errors');
  return joinDeskTexts([
    ...(Array.isArray(errors)
      ? errors.map((item) => deskText(typeof item === 'string' ? item : field(item, 'message')))
      : []),
    deskText(field(json, 'message') ?? field(json, 'Message')),
  ]);
}

const profile: DeskProfile = {
  name: 'Autotask',
  deduplicates: false,
  notFoundHint:
    "check SUPPORT_DESK_URL (your zone's web services host, e.g. https://webservices5.autotask.net)",
  credentialsHint: 'SUPPORT_DESK_USERNAME, SUPPORT_DESK_SECRET and SUPPORT_DESK_API_INTEGRATION_CODE',
  permissionHint: "the API user's security level (tickets: add and view)",
  errorText: autotaskErrorText,
};

interface TicketPicklists {
  priorities: DeskPriority[];
  queues: Array<{ id: number; name: string; active: boolean }>;
}

/** The ticket picklists of every Autotask configuration in this process. */
export const autotaskPicklists = new SharedCache<TicketPicklists>();

function settingsMissing(config: DeskConfig): string | null {
  return missingSettings('Autotask', [
    ['SUPPORT_DESK_URL', config.url],
    ['SUPPORT_DESK_API_INTEGRATION_CODE', config.apiIntegrationCode],
    ['SUPPORT_DESK_USERNAME', config.username],
    ['SUPPORT_DESK_SECRET', config.secret],
    ['SUPPORT_DESK_QUEUE_ID', config.queueId],
  ]);
}

function headers(config: DeskConfig): Record<string, string> {
  return {
    apiintegrationcode: config.apiIntegrationCode as string,
    username: config.username as string,
    secret: config.secret as string,
  };
}

type Picklist = Array<{ value: number; label: string; active: boolean; sortOrder: number }>;

function picklistOf(fields: unknown[], name: string): Picklist {
  const entry = fields.find((item) => field(item, 'name') === name);
  const values = field(entry, 'picklistValues');
  if (!Array.isArray(values)) return [];
  return values
    .map((item) => ({
      value: Number(field(item, 'value')),
      label: deskText(field(item, 'label')) ?? '',
      active: field(item, 'isActive') !== false,
      sortOrder: Number(field(item, 'sortOrder')) || 0,
    }))
    .filter((item) => Number.isSafeInteger(item.value));
}

async function fetchPicklists(config: DeskConfig, timeoutMs: number): Promise<FetchOutcome<TicketPicklists>> {
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: `${API}/Tickets/entityInformation/fields`,
    headers: headers(config),
    operation: 'check',
    timeoutMs: Math.max(1, timeoutMs),
  });
  if (!answer.ok) return { ok: false, summary: answer.summary };
  const fields = field(answer.json, 'fields');
  if (!Array.isArray(fields)) {
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without the ticket fields`, 'check'),
    };
  }
  // Autotask lists the priority picklist by label; its values are the instance's own.
  const priorities = picklistOf(fields, 'priority')
    .filter((item) => item.active)
    .map((item) => ({ id: item.value, name: item.label }));
  const queues = picklistOf(fields, 'queueID').map((item) => ({
    id: item.value,
    name: item.label,
    active: item.active,
  }));
  return { ok: true, value: { priorities, queues }, ttlMs: PICKLIST_TTL_MS };
}

const picklistKey = (config: DeskConfig) =>
  cacheKey(config.url, config.apiIntegrationCode, config.username, config.secret);

/** Priority must be set on an Autotask ticket: the instance's value for this severity, else the default. */
async function priorityOf(config: DeskConfig, severity: TicketRequest['severity'], deadline: Deadline) {
  const outcome = await autotaskPicklists.get(picklistKey(config), shareOf(deadline, 0.5), (ms) =>
    fetchPicklists(config, ms),
  );
  const byName = outcome.ok ? priorityFor(severity, namedOnly(outcome.value.priorities)) : null;
  return byName?.id ?? autotaskDefaultPriority[severity];
}

/** Only priorities whose names say how urgent they are: a picklist of other words keeps the defaults. */
function namedOnly(priorities: DeskPriority[]): DeskPriority[] {
  return priorities.filter((priority) =>
    /critical|urgent|emergency|high|medium|normal|low/i.test(priority.name),
  );
}

export function autotaskTicket(
  request: TicketRequest,
  config: DeskConfig,
  companyId: number,
  priority: number,
) {
  return {
    companyID: companyId,
    queueID: Number(config.queueId),
    title: ticketSubject(request),
    description: cutText(ticketBody(request), DESCRIPTION_MAX),
    status: STATUS_NEW,
    priority,
  };
}

/** The ticket's page on the zone's web host: `webservices5.autotask.net` → `ww5.autotask.net`. */
export function autotaskTicketUrl(config: DeskConfig, id: number): string | null {
  try {
    const url = new URL(config.url as string);
    const zone = /^webservices(\d*)\.autotask\.net$/i.exec(url.hostname);
    if (!zone) return null;
    return `https://ww${zone[1]}.autotask.net/Mvc/ServiceDesk/TicketDetail.mvc?workspace=False&ticketId=${id}`;
  } catch {
    return null;
  }
}

function positiveId(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

async function createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult> {
  const missing = settingsMissing(config);
  if (missing) return { kind: 'failed', summary: missing };
  if (!request.deskCustomerId?.trim()) return { kind: 'failed', summary: `Autotask: ${NO_DESK_CUSTOMER}.` };
  const companyId = numericCustomer(request.deskCustomerId);
  if (companyId === null) {
    return {
      kind: 'failed',
      summary: `Autotask files tickets under a company id (a number): the tenant's desk customer "${deskText(request.deskCustomerId)}" is not one.`,
    };
  }
  const deadline = deadlineOf(config);
  const priority = await priorityOf(config, request.severity, deadline);
  const reference = request.internalReference;
  const answer = await requestDesk(config, profile, {
    method: 'POST',
    path: `${API}/Tickets`,
    headers: { ...headers(config), 'content-type': 'application/json' },
    body: JSON.stringify(autotaskTicket(request, config, companyId, priority)),
    operation: 'create',
    reference,
    timeoutMs: Math.max(1, deadline.remaining()),
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const id = positiveId(field(answer.json, 'itemId'));
  return psaTicketCreated(
    config,
    profile,
    answer.status,
    id,
    (ticket) => autotaskTicketUrl(config, ticket),
    reference,
    'an itemId',
  );
}

async function findTicket(config: DeskConfig, reference: string): Promise<FindTicketResult> {
  const missing = settingsMissing(config);
  if (missing) return { kind: 'failed', summary: missing };
  const search = JSON.stringify({
    filter: [{ op: 'beginsWith', field: 'title', value: `[${reference}]` }],
    IncludeFields: ['id', 'ticketNumber', 'title'],
    MaxRecords: 5,
  });
  const answer = await requestDesk(config, profile, {
    method: 'GET',
    path: `${API}/Tickets/query?search=${encodeURIComponent(search)}`,
    headers: headers(config),
    operation: 'check',
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const items = field(answer.json, 'items');
  if (!Array.isArray(items)) {
    return {
      kind: 'failed',
      summary: unexpectedAnswer(config, profile, `HTTP ${answer.status} without items`, 'check'),
    };
  }
  const match = items.find((item) => String(field(item, 'title') ?? '').startsWith(`[${reference}]`));
  const id = positiveId(field(match, 'id'));
  return psaTicketFound(id, (ticket) => autotaskTicketUrl(config, ticket));
}

/**
 * `GET /Tickets/entityInformation/fields`: proves the zone, the three credentials and the API user's
 * access to tickets, and that SUPPORT_DESK_QUEUE_ID is an active queue of this instance.
 */
async function check(config: DeskConfig): Promise<DeskCheckResult> {
  const missing = settingsMissing(config);
  if (missing) return { ok: false, summary: missing };
  const outcome = await fetchPicklists(config, config.timeoutMs);
  if (!outcome.ok) return { ok: false, summary: outcome.summary };
  const queue = outcome.value.queues.find((item) => String(item.id) === config.queueId);
  if (!queue) {
    return {
      ok: false,
      summary: `Autotask has no ticket queue ${config.queueId} — check SUPPORT_DESK_QUEUE_ID (Admin > Features & Settings > Service Desk > Queues).`,
    };
  }
  if (!queue.active) {
    return {
      ok: false,
      summary: `Autotask queue "${queue.name}" (${config.queueId}) is inactive — tickets cannot be filed in it; check SUPPORT_DESK_QUEUE_ID.`,
    };
  }
  return { ok: true, detail: `credentials accepted (queue "${queue.name}")` };
}

export function createAutotaskDesk(config: DeskConfig): SupportDesk {
  return psaDesk('autotask', 'Autotask', config, { createTicket, findTicket, check });
}
