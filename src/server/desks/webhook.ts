/**
 * The generic webhook desk (docs/rules.md "Interfaces" and "Precise rules"): POST the exact payload as JSON to
 * SUPPORT_DESK_URL with `Idempotency-Key: <SR reference>` and, when SUPPORT_DESK_SECRET is set,
 * `X-TenantPilot-Signature: sha256=<hex HMAC-SHA256 of the body bytes sent>`. A 2xx
 * `{"reference": "...", "url": "..."}` is success; the url is optional.
 */
import { createHmac } from 'node:crypto';
import type { DeskConfig } from '../config.ts';
import { withinBudget } from './budget.ts';
import type { DeskCheckResult, SupportDesk, TicketRequest, TicketResult } from './desk.ts';
import { deskCall } from './desk-http.ts';
import {
  type DeskProfile,
  field,
  httpUrl,
  requestDesk,
  summaryContext,
  unexpectedAnswer,
} from './desk-request.ts';
import { callFailureSummary, deskText, httpProblemSummary, withoutSecrets } from './failure-summary.ts';

const MAX_REFERENCE = 200;

const profile: DeskProfile = {
  name: 'The webhook desk',
  deduplicates: false,
  notFoundHint: 'check SUPPORT_DESK_URL',
  credentialsHint: 'SUPPORT_DESK_SECRET and what the receiver expects',
  errorText: (json, text) =>
    deskText(field(json, 'error') ?? field(json, 'message') ?? (json === undefined ? text : null)),
};

/** The webhook body, field names exactly as docs/rules.md "Precise rules" fixes them. */
export function webhookPayload(request: TicketRequest) {
  const { context } = request;
  const run = context.operationRun;
  return {
    internal_reference: request.internalReference,
    severity: request.severity,
    summary: request.summary,
    reproduction_notes: request.reproductionNotes,
    contact: { name: request.contact.name, email: request.contact.email },
    context: {
      type: context.type,
      workspace: { id: context.workspace.id, name: context.workspace.name },
      tenant: { id: context.tenant.id, external_id: context.tenant.externalId, name: context.tenant.name },
      operation_run: run ? { id: run.id, type: run.type, status: run.status, outcome: run.outcome } : null,
    },
    submitted_by: { id: request.submittedBy.id, display_name: request.submittedBy.displayName },
    submitted_at: request.submittedAt.toISOString(),
    link: request.link,
  };
}

export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

async function createTicket(config: DeskConfig, request: TicketRequest): Promise<TicketResult> {
  const reference = request.internalReference;
  const body = JSON.stringify(webhookPayload(request));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': reference,
  };
  if (config.secret) headers['x-tenantpilot-signature'] = webhookSignature(config.secret, body);
  const answer = await requestDesk(config, profile, {
    method: 'POST',
    path: '',
    headers,
    body,
    operation: 'create',
    reference,
  });
  if (!answer.ok) return { kind: 'failed', summary: answer.summary };
  const ticket = field(answer.json, 'reference');
  if (typeof ticket !== 'string' || ticket.trim() === '') {
    const what = `HTTP ${answer.status} without a ticket reference`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'create', reference) };
  }
  if (ticket.length > MAX_REFERENCE) {
    const what = `HTTP ${answer.status} with a ticket reference longer than ${MAX_REFERENCE} characters`;
    return { kind: 'failed', summary: unexpectedAnswer(config, profile, what, 'create', reference) };
  }
  return { kind: 'created', reference: ticket, url: httpUrl(field(answer.json, 'url')) };
}

/**
 * A webhook has no read-only endpoint of its own, so the check GETs the URL: any answer but a redirect,
 * 404 or 5xx proves it is reachable (receivers often answer 405 or 401 to an unsigned GET).
 */
async function check(config: DeskConfig): Promise<DeskCheckResult> {
  if (!config.url) return { ok: false, summary: `${profile.name} needs SUPPORT_DESK_URL, which is not set.` };
  const result = await deskCall({
    method: 'GET',
    url: config.url,
    headers: { accept: 'application/json', 'user-agent': 'TenantPilot' },
    timeoutMs: config.timeoutMs,
  });
  const ctx = summaryContext(config, profile, 'check');
  if (result.kind === 'failed') {
    return { ok: false, summary: withoutSecrets(callFailureSummary(result.failure, ctx), config) };
  }
  if (result.status === 404 || result.status >= 500) {
    const problem = { status: result.status, deskText: null, retryAfter: result.headers.get('retry-after') };
    return { ok: false, summary: withoutSecrets(httpProblemSummary(problem, ctx), config) };
  }
  const signing = config.secret
    ? 'tickets will be signed'
    : 'tickets will not be signed (no SUPPORT_DESK_SECRET)';
  return {
    ok: true,
    detail: `reachable (HTTP ${result.status} to a read-only GET; tickets are sent by POST); ${signing}`,
  };
}

export function createWebhookDesk(config: DeskConfig): SupportDesk {
  return {
    provider: 'webhook',
    displayName: 'Support desk (webhook)',
    requiresCustomer: false,
    createTicket: (request, budgetMs) => createTicket(withinBudget(config, budgetMs), request),
    check: () => check(config),
  };
}
