/**
 * Jira Service Management (customer request API). POST {url}/rest/servicedeskapi/request with Basic
 * `{email}:{api_token}`. The priority field is not on every request type, so the severity travels in
 * the description. The reference is the issue key (`SUP-12`); the URL is `_links.agent`.
 */
import type { DeskConfig } from '../config.ts';
import type { DeskCheckResult, SupportDesk, TicketRequest, TicketResult } from './desk.ts';
import {
  basicAuth,
  type DeskProfile,
  field,
  httpUrl,
  requestDesk,
  unexpectedAnswer,
} from './desk-request.ts';
import { deskText, joinDeskTexts } from './failure-summary.ts';
import { ticketBody, ticketSubject } from './ticket-text.ts';

/** Service desk errors: `{"errorMessage": "..."}`; Jira platform errors: `{"errorMessages": [], "errors": {}}`. */
function jiraErrorText(json: unknown): string | null {
  const messages = field(json, 'errorMessages');
  const errors = field(json, 'errors');
  return joinDeskTexts([
    deskText(field(json, 'errorMessage')),
    ...(Array.isArray(messages) ? messages.map(deskText) : []),
    ...(errors && typeof errors === 'object'
      ? Object.entries(errors as Record<string, unknown>).map(([name, message]) =>
          deskText(typeof message === 'string' ? `${name}: ${message}` : null),
        )
      : []),
  ]);
}

const profile: DeskProfile = {
  name: 'Jira Service Management',
  deduplicates: false,
  notFoundHint:
    'check SUPPORT_DESK_URL, SUPPORT_DESK_SERVICE_DESK_ID and SUPPORT_DESK_REQUEST_TYPE_ID (or the account cannot see that service desk)',
  credentialsHint: 'SUPPORT_DESK_EMAIL and SUPPORT_DESK_API_TOKEN',
  errorText: jiraErrorText,
};

function credentials(config: DeskConfig): string | null {
  return config.email && config.apiToken ? basicAuth(config.email, config.apiToken) : null;
}

/** Which required settings are missing, as one sentence, or null when all are set. */
function missingSettings(config: DeskConfig): string | null {
  const missing = [
    config.email ? null : 'SUPPORT_DESK_EMAIL',
    config.apiToken ? null : 'SUPPORT_DESK_API_TOKEN',
    config.serviceDeskId ? null : 'SUPPORT_DESK_SERVICE_DESK_ID',
    config.requestTypeId ? null : 'SUPPORT_DESK_REQUEST_TYPE_ID',
  ].filter(Boolean);
  return missing.length
    ? `Jira Service Management needs ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set.`
    : null;
}

export function jiraRequest(request: TicketRequest, config: DeskConfig) {
  return {
    serviceDeskId: config.serviceDeskId,
    requestTypeId: config.requestTypeId,
    requestFieldValues: { summary: ticketSubject(request), description: ticketBody(request) },
  };
}

async function createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult> {
  const missing = missingSettings(config);
  if (missing) return { kind: 'failed', summary: missing };
  const reference = request.internalReference;
  const answer = await requestDesk(config, profile, {
    method: 'POST',
    path: '/rest/servicedeskapi/request',
    headers: { authorization: credentials(config) as string, 'content-type': 'application/json' },
    body: JSON.stringify(jiraRequest(request, config)),
    operation: 'create',
    reference,
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const issueKey = field(answer.json, 'issueKey');
  if (typeof issueKey !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(issueKey)) {
    const what = `HTTP ${answer.status} without an issue key`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'create', reference) };
  }
  return { kind: 'created', reference: issueKey, url: httpUrl(field(field(answer.json, '_links'), 'agent')) };
}

/** Two reads within one budget: the service desk (URL, credentials, id), then its request type. */
async function check(config: DeskConfig): Promise<DeskCheckResult> {
  const missing = missingSettings(config);
  if (missing) return { ok: false, summary: missing };
  const started = Date.now();
  const headers = { authorization: credentials(config) as string };
  const deskPath = `/rest/servicedeskapi/servicedesk/${encodeURIComponent(config.serviceDeskId as string)}`;
  const desk = await requestDesk(config, profile, {
    method: 'GET',
    path: deskPath,
    headers,
    operation: 'check',
  });
  if (!desk.ok) return { ok: false, summary: desk.summary };
  if (field(desk.json, 'id') === undefined) {
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, `HTTP ${desk.status} without a service desk`, 'check'),
    };
  }
  const remaining = Math.max(1, config.timeoutMs - (Date.now() - started));
  const typePath = `${deskPath}/requesttype/${encodeURIComponent(config.requestTypeId as string)}`;
  const requestTypeProfile = { ...profile, notFoundHint: 'check SUPPORT_DESK_REQUEST_TYPE_ID' };
  const type = await requestDesk(config, requestTypeProfile, {
    method: 'GET',
    path: typePath,
    headers,
    operation: 'check',
    timeoutMs: remaining,
  });
  if (!type.ok) return { ok: false, summary: type.summary };
  if (field(type.json, 'id') === undefined) {
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, `HTTP ${type.status} without a request type`, 'check'),
    };
  }
  const deskName = deskText(field(desk.json, 'projectName')) ?? `service desk ${config.serviceDeskId}`;
  const typeName = deskText(field(type.json, 'name')) ?? `request type ${config.requestTypeId}`;
  return {
    ok: true,
    detail: `credentials accepted (service desk "${deskName}", request type "${typeName}")`,
  };
}

export function createJiraServiceManagementDesk(config: DeskConfig): SupportDesk {
  return {
    provider: 'jira_service_management',
    displayName: 'Jira Service Management',
    requiresCustomer: false,
    createTicket: (request) => createTicket(config, request),
    check: () => check(config),
  };
}
