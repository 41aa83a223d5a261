/**
 * Jira Service Management (customer request API). POST {url}/rest/servicedeskapi/request with Basic
 * `{email}:{api_token}`. The priority field is not on every request type, so the severity travels in
 * the description. The reference is the issue key (`SUP-12`); the URL is `_links.agent`.
 * A tenant's desk customer is a JSM organization: its id goes in the request type's Organizations field,
 * found in `GET …/requesttype/{id}/field` (read once, cached 10 minutes, at most half the budget).
 * `check()` reads the same fields and refuses a request type that needs more than TenantPilot fills.
 */
import type { DeskConfig } from '../config.ts';
import { withinBudget } from './budget.ts';
import type { DeskCheckResult, SupportDesk, TicketRequest, TicketResult } from './desk.ts';
import {
  basicAuth,
  type DeskProfile,
  field,
  httpUrl,
  requestDesk,
  unexpectedAnswer,
} from './desk-request.ts';
import { deskText, joinDeskTexts, withoutSecrets } from './failure-summary.ts';
import {
  cacheKey,
  type Deadline,
  deadlineOf,
  type FetchOutcome,
  numericCustomer,
  SharedCache,
  shareOf,
} from './psa.ts';
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
  permissionHint: 'the Jira account of SUPPORT_DESK_EMAIL (it must be an agent of that service desk)',
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

/** One field of the request type, as `GET …/requesttype/{id}/field` lists it. */
export interface RequestTypeField {
  fieldId: string;
  name: string;
  required: boolean;
  custom: string | null;
}

interface RequestTypeFields {
  fields: RequestTypeField[];
}

const ORGANIZATIONS_FIELD = 'com.atlassian.servicedesk:sd-customer-organizations';
/** What TenantPilot fills in every request: anything else required makes every ticket fail. */
const FILLED = new Set(['summary', 'description']);
const FIELDS_TTL_MS = 10 * 60_000;

/** The request type fields of every JSM configuration in this process. */
export const jiraRequestTypeFields = new SharedCache<RequestTypeFields>();

const fieldsKey = (config: DeskConfig) =>
  cacheKey(config.url, config.serviceDeskId, config.requestTypeId, config.email, config.apiToken);

const fieldsPath = (config: DeskConfig) =>
  `/rest/servicedeskapi/servicedesk/${encodeURIComponent(config.serviceDeskId as string)}/requesttype/${encodeURIComponent(config.requestTypeId as string)}/field`;

async function fetchFields(config: DeskConfig, timeoutMs: number): Promise<FetchOutcome<RequestTypeFields>> {
  const requestTypeProfile = { ...profile, notFoundHint: 'check SUPPORT_DESK_REQUEST_TYPE_ID' };
  const answer = await requestDesk(config, requestTypeProfile, {
    method: 'GET',
    path: fieldsPath(config),
    headers: { authorization: credentials(config) as string },
    operation: 'check',
    timeoutMs: Math.max(1, timeoutMs),
  });
  if (!answer.ok) return { ok: false, summary: answer.summary };
  const list = field(answer.json, 'requestTypeFields');
  if (!Array.isArray(list)) {
    const what = `HTTP ${answer.status} without the request type's fields`;
    return { ok: false, summary: unexpectedAnswer(config, profile, what, 'check') };
  }
  const fields = list
    .map((item) => ({
      fieldId: String(field(item, 'fieldId') ?? ''),
      name: deskText(field(item, 'name')) ?? String(field(item, 'fieldId') ?? ''),
      required: field(item, 'required') === true,
      custom: (field(field(item, 'jiraSchema'), 'custom') as string | undefined) ?? null,
    }))
    .filter((item) => item.fieldId !== '');
  return { ok: true, value: { fields }, ttlMs: FIELDS_TTL_MS };
}

function organizationsField(fields: RequestTypeField[]): RequestTypeField | undefined {
  return (
    fields.find((item) => item.custom === ORGANIZATIONS_FIELD) ??
    fields.find((item) => /^organi[sz]ations$/i.test(item.name))
  );
}

/** The required fields TenantPilot does not fill (docs/rules.md "Support desks"). */
export function unfilledRequiredFields(fields: RequestTypeField[]): RequestTypeField[] {
  const organizations = organizationsField(fields);
  return fields.filter((item) => item.required && !FILLED.has(item.fieldId) && item !== organizations);
}

type Organization = { ok: true; values: Record<string, number[]> } | { ok: false; summary: string };

/** Where the tenant's organization goes in this request type: none without a desk customer. */
async function organizationValues(
  config: DeskConfig,
  request: TicketRequest,
  deadline: Deadline,
): Promise<Organization> {
  if (!request.deskCustomerId?.trim()) return { ok: true, values: {} };
  const organizationId = numericCustomer(request.deskCustomerId);
  if (organizationId === null) {
    return {
      ok: false,
      summary: `Jira Service Management files requests under an organization id (a number): the tenant's desk customer "${deskText(request.deskCustomerId)}" is not one.`,
    };
  }
  const outcome = await jiraRequestTypeFields.get(fieldsKey(config), shareOf(deadline, 0.5), (ms) =>
    fetchFields(config, ms),
  );
  if (!outcome.ok) {
    const why = 'timedOut' in outcome ? 'it did not answer in time' : outcome.summary;
    return {
      ok: false,
      summary: `Jira Service Management: the request type's fields could not be read, so the request was not sent under the tenant's organization (${why})`,
    };
  }
  const organizations = organizationsField(outcome.value.fields);
  if (!organizations) {
    return {
      ok: false,
      summary: `Jira Service Management: request type ${config.requestTypeId} has no Organizations field, so the request cannot be filed under the tenant's organization — add the Organizations field to the request type.`,
    };
  }
  return { ok: true, values: { [organizations.fieldId]: [organizationId] } };
}

export function jiraRequest(
  request: TicketRequest,
  config: DeskConfig,
  organization: Record<string, number[]> = {},
) {
  return {
    serviceDeskId: config.serviceDeskId,
    requestTypeId: config.requestTypeId,
    requestFieldValues: {
      summary: ticketSubject(request),
      description: ticketBody(request),
      ...organization,
    },
  };
}

async function createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult> {
  const missing = missingSettings(config);
  if (missing) return { kind: 'failed', summary: missing };
  const deadline = deadlineOf(config);
  const organization = await organizationValues(config, request, deadline);
  if (!organization.ok) return { kind: 'failed', summary: withoutSecrets(organization.summary, config) };
  const reference = request.internalReference;
  const answer = await requestDesk(config, profile, {
    method: 'POST',
    path: '/rest/servicedeskapi/request',
    headers: { authorization: credentials(config) as string, 'content-type': 'application/json' },
    body: JSON.stringify(jiraRequest(request, config, organization.values)),
    operation: 'create',
    reference,
    timeoutMs: Math.max(1, deadline.remaining()),
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const issueKey = field(answer.json, 'issueKey');
  if (typeof issueKey !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(issueKey)) {
    const what = `HTTP ${answer.status} without an issue key`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'create', reference) };
  }
  return { kind: 'created', reference: issueKey, url: httpUrl(field(field(answer.json, '_links'), 'agent')) };
}

/**
 * Three reads within one budget: the service desk (URL, credentials, id), its request type, and the
 * request type's fields: one that requires more than summary and description would fail every ticket.
 */
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
  const fields = await fetchFields(config, Math.max(1, config.timeoutMs - (Date.now() - started)));
  if (!fields.ok) return { ok: false, summary: fields.summary };
  jiraRequestTypeFields.drop(fieldsKey(config));
  const unfilled = unfilledRequiredFields(fields.value.fields);
  if (unfilled.length) {
    const names = unfilled.map((item) => `${item.name} (${item.fieldId})`).join(', ');
    return {
      ok: false,
      summary: withoutSecrets(
        `Jira Service Management: request type "${typeName}" requires fields TenantPilot does not fill: ${names} — every ticket would be refused; make them optional or choose a request type that needs only a summary and a description.`,
        config,
      ),
    };
  }
  const organizations = organizationsField(fields.value.fields)
    ? "tenants' organizations go in its Organizations field"
    : 'it has no Organizations field, so tenants with a desk customer cannot be handed off';
  return {
    ok: true,
    detail: `credentials accepted (service desk "${deskName}", request type "${typeName}"; ${organizations})`,
  };
}

export function createJiraServiceManagementDesk(config: DeskConfig): SupportDesk {
  return {
    provider: 'jira_service_management',
    displayName: 'Jira Service Management',
    requiresCustomer: false,
    createTicket: (request, budgetMs) => createTicket(withinBudget(config, budgetMs), request),
    check: () => check(config),
  };
}
