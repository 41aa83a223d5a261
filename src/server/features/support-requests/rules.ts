import { nulCharacterFields } from '../../core/text-rules.ts';
import type { TicketResult } from '../../desks/desk.ts';
import type { HandoffMode, HandoffOutcome } from './schemas.ts';

// The enums' types are their schemas' types; named here too for the callers of these rules.
export type { HandoffMode, HandoffOutcome } from './schemas.ts';

/**
 * How long after the handoff budget a request may still read as "in progress": the time the service
 * needs to write the desk's answer back. Past it, a request without an outcome was interrupted.
 */
export const WRITE_BACK_GRACE_MS = 2000;

export const NO_DESK_SUMMARY = 'No external support desk is configured for this installation';
/** docs/rules.md "Support requests": a PSA files every ticket under a customer; there is never a default one. */
export const NO_DESK_CUSTOMER_SUMMARY =
  'Handoff refused: no desk customer mapped for this tenant. A workspace owner sets it on the tenant ' +
  '(Administration → Tenants → Edit → Desk customer); nothing was sent to the desk';
export const ADAPTER_FAILED_SUMMARY =
  'The desk handoff failed unexpectedly inside TenantPilot; no ticket was confirmed';

const TEXT_FIELDS = [
  'summary',
  'reproduction_notes',
  'contact_name',
  'contact_email',
  'external_ticket_reference',
  'external_ticket_url',
] as const;
const LINK_ONLY_FIELDS = ['external_ticket_reference', 'external_ticket_url'] as const;

/** docs/rules.md "Precise rules": a field is "given" only when present and not null. */
export function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null;
}

const isBlank = (value: unknown) => typeof value === 'string' && value.trim() === '';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The rules a schema cannot say: NUL characters, blank text, the fields each handoff mode uses, and
 * http(s) links. Takes the raw body (it may also have failed the schema) and names every bad field.
 */
export function submissionRuleFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const input = body as Record<string, unknown>;
  const fields = nulCharacterFields(input, TEXT_FIELDS);
  if (isBlank(input.summary)) fields.summary ??= 'must not be blank';

  const mode = input.handoff_mode;
  if (mode === 'link_existing_ticket') {
    if (!isGiven(input.external_ticket_reference)) {
      fields.external_ticket_reference ??= 'is required to link an existing ticket';
    } else if (isBlank(input.external_ticket_reference)) {
      fields.external_ticket_reference ??= 'must not be blank';
    }
    const url = input.external_ticket_url;
    if (typeof url === 'string' && !isHttpUrl(url)) {
      fields.external_ticket_url ??= 'must be an absolute http:// or https:// URL';
    }
  } else if (mode === 'internal_only' || mode === 'create_external_ticket') {
    for (const name of LINK_ONLY_FIELDS) {
      if (isGiven(input[name])) fields[name] = `is not used with ${mode}; send null or leave it out`;
    }
  }
  return fields;
}

/** A tenant's desk customer as stored, trimmed; none when nothing (or only blanks) is mapped. */
export function deskCustomerOf(stored: string | null | undefined): string | null {
  const value = stored?.trim() ?? '';
  return value === '' ? null : value;
}

/** The outcome a request has the moment it is committed; null while a desk handoff is still to come. */
export function initialOutcome(mode: HandoffMode): HandoffOutcome | null {
  if (mode === 'internal_only') return 'internal_only';
  if (mode === 'link_existing_ticket') return 'external_ticket_linked';
  return null;
}

export function handoffDeadline(startedAt: Date, budgetMs: number): Date {
  return new Date(startedAt.getTime() + budgetMs + WRITE_BACK_GRACE_MS);
}

export function interruptedSummary(reference: string): string {
  return (
    'Handoff interrupted: the server stopped before the desk answered. ' +
    `The desk may still have created a ticket — search it for ${reference}.`
  );
}

export interface HandoffFields {
  handoffOutcome: HandoffOutcome | null;
  externalTicketReference: string | null;
  externalTicketUrl: string | null;
  failureSummary: string | null;
}

/** A credential must never reach a stored summary, whatever an adapter put into it. */
export function redactSecrets(text: string, secrets: readonly (string | null)[]): string {
  let redacted = text;
  for (const secret of secrets) if (secret) redacted = redacted.split(secret).join('[redacted]');
  return redacted;
}

/** What is stored for a desk's answer. A failure always carries a non-empty summary and no link. */
export function handoffFieldsOf(result: TicketResult, secrets: readonly (string | null)[]): HandoffFields {
  if (result.kind === 'created' && result.reference.trim() !== '') {
    return {
      handoffOutcome: 'external_ticket_created',
      externalTicketReference: result.reference,
      externalTicketUrl: result.url ?? null,
      failureSummary: null,
    };
  }
  const summary = result.kind === 'failed' ? result.summary.trim() : '';
  return {
    handoffOutcome: 'external_handoff_failed',
    externalTicketReference: null,
    externalTicketUrl: null,
    failureSummary: redactSecrets(summary || 'The desk did not confirm a ticket', secrets),
  };
}

/**
 * The handoff as it reads back at `now`: a request still without an outcome after its deadline was
 * interrupted (its process stopped mid-handoff) and reads as failed, never as stuck.
 */
export function readBackHandoff(
  row: HandoffFields & { internalReference: string; handoffDeadlineAt: Date | null },
  now: Date,
): HandoffFields {
  const interrupted =
    row.handoffOutcome === null && row.handoffDeadlineAt !== null && row.handoffDeadlineAt <= now;
  if (!interrupted) {
    return {
      handoffOutcome: row.handoffOutcome,
      externalTicketReference: row.externalTicketReference,
      externalTicketUrl: row.externalTicketUrl,
      failureSummary: row.failureSummary,
    };
  }
  return {
    handoffOutcome: 'external_handoff_failed',
    externalTicketReference: null,
    externalTicketUrl: null,
    failureSummary: interruptedSummary(row.internalReference),
  };
}

export function summaryFlags(outcome: HandoffOutcome | null) {
  return {
    has_external_link: outcome === 'external_ticket_created' || outcome === 'external_ticket_linked',
    has_failure: outcome === 'external_handoff_failed',
  };
}

/** docs/rules.md "Support requests", follow-through: the link body's own rules (NUL, blank, http(s) only). */
export function linkRuleFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const input = body as Record<string, unknown>;
  const fields = nulCharacterFields(input, LINK_ONLY_FIELDS);
  if (isBlank(input.external_ticket_reference)) fields.external_ticket_reference ??= 'must not be blank';
  const url = input.external_ticket_url;
  if (typeof url === 'string' && !isHttpUrl(url)) {
    fields.external_ticket_url ??= 'must be an absolute http:// or https:// URL';
  }
  return fields;
}

/** A request that has no ticket yet can be linked to one: internal only, or a handoff that failed. */
export function canLink(outcome: HandoffOutcome | null): boolean {
  return outcome === 'internal_only' || outcome === 'external_handoff_failed';
}

/** Only a failed "create a ticket" is handed off again; a request that has a ticket never is. */
export function canHandOffAgain(mode: HandoffMode, outcome: HandoffOutcome | null): boolean {
  return mode === 'create_external_ticket' && outcome === 'external_handoff_failed';
}

/** Why a follow-through is refused in the request's current state (409), or null when it may go ahead. */
export function followThroughConflict(
  action: 'link' | 'hand_off_again',
  mode: HandoffMode,
  outcome: HandoffOutcome | null,
): string | null {
  if (outcome === null) return 'The desk handoff of this request is still in flight; wait for its answer';
  if (action === 'link') {
    return canLink(outcome) ? null : 'This request already has an external ticket';
  }
  if (mode !== 'create_external_ticket') {
    return 'Only a request filed to create a desk ticket can be handed off again; link a ticket instead';
  }
  return canHandOffAgain(mode, outcome) ? null : 'This request already has an external ticket';
}

export const IN_FLIGHT_CONFLICT = 'A hand-off of this request is already in flight; wait for its answer';
