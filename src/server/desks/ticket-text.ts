/** The subject and body every desk ticket carries, rendered once for all providers. */
import type { TicketRequest } from './desk.ts';

/** The subject limit of most desks (Zendesk, Freshdesk, Jira, Halo, Autotask), in UTF-16 code units. */
export const MAX_SUBJECT = 255;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Cuts text to at most `max` UTF-16 code units (the unit Jira, ConnectWise and the others count in) by
 * whole characters (docs/rules.md "Support desks"): never half a surrogate pair, never an emoji
 * without its modifier or joiner sequence, ending in `…` when anything was cut.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - 1) break;
    kept += segment;
  }
  return `${kept}…`;
}

/** `[SR-…] <summary>`: the reference leads so agents can search for it in any desk; cut to the desk's limit. */
export function ticketSubject(request: TicketRequest, max = MAX_SUBJECT): string {
  return cutText(`[${request.internalReference}] ${request.summary.replace(/\s+/g, ' ').trim()}`, max);
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
