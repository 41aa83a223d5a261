/** The subject and body every desk ticket carries, rendered once for all providers. */
import type { TicketRequest } from './desk.ts';

const MAX_SUBJECT = 255;

/** `[SR-…] <summary>`: the reference leads so agents can search for it in any desk. */
export function ticketSubject(request: TicketRequest): string {
  const subject = `[${request.internalReference}] ${request.summary.replace(/\s+/g, ' ').trim()}`;
  return subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 1)}…` : subject;
}

function contactLine(contact: TicketRequest['contact']): string {
  if (contact.name && contact.email) return `${contact.name} <${contact.email}>`;
  return contact.name ?? contact.email ?? 'not given';
}

function runLines(run: TicketRequest['context']['operationRun']): string[] {
  if (!run) return [];
  return [
    `Operation run: #${run.id} ${run.type} — status ${run.status}, outcome ${run.outcome ?? 'none yet'}`,
    `Run summary: ${run.summary ?? 'none'}`,
  ];
}

/** Plain text, one fact per line, then the reporter's own words, then the way back to TenantPilot. */
export function ticketBody(request: TicketRequest): string {
  const { context } = request;
  const lines = [
    `TenantPilot support request ${request.internalReference}`,
    `Severity: ${request.severity}`,
    `Tenant: ${context.tenant.name} (external id ${context.tenant.externalId}, id ${context.tenant.id})`,
    `Workspace: ${context.workspace.name} (id ${context.workspace.id})`,
    `Context: ${context.type === 'operation_run' ? 'operation run' : 'tenant'}`,
    ...runLines(context.operationRun),
    `Submitted by: ${request.submittedBy.displayName} (id ${request.submittedBy.id}) at ${request.submittedAt.toISOString()}`,
    `Contact: ${contactLine(request.contact)}`,
    '',
    'Summary:',
    request.summary,
    '',
    'Reproduction notes:',
    request.reproductionNotes?.trim() ? request.reproductionNotes : 'none',
    '',
    `Open in TenantPilot: ${request.link}`,
  ];
  return lines.join('\n');
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The body for desks that take HTML (Freshdesk): every character escaped, line breaks as `<br>`. */
export function ticketBodyHtml(request: TicketRequest): string {
  return ticketBody(request)
    .replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char)
    .replace(/\r?\n/g, '<br>');
}
