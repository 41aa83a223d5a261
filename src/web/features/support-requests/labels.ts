import type {
  AttemptKind,
  AttemptOutcome,
  ContextType,
  HandoffMode,
  HandoffOutcome,
  Severity,
} from './api.ts';

// Typed by the server's enums, so each map names every value; its order is the form's order.

export const outcomeLabels: Record<HandoffOutcome, string> = {
  internal_only: 'Internal only',
  external_ticket_created: 'Ticket created',
  external_ticket_linked: 'Ticket linked',
  external_handoff_failed: 'Handoff failed',
};

export const modeLabels: Record<HandoffMode, string> = {
  internal_only: 'Internal only',
  create_external_ticket: 'Create a ticket in the support desk',
  link_existing_ticket: 'Link an existing ticket',
};

export const severityLabels: Record<Severity, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  blocking: 'Blocking',
};

export const contextFilterLabels: Record<ContextType, string> = {
  tenant: 'Tenant only',
  operation_run: 'Any run',
};

export const attemptKindLabels: Record<AttemptKind, string> = {
  create: 'Submitted: create a ticket',
  hand_off_again: 'Handed off again',
  link: 'Ticket linked',
};

export const attemptOutcomeLabels: Record<AttemptOutcome, string> = {
  created: 'Ticket created',
  found: 'Existing ticket found',
  linked: 'Linked',
  failed: 'Failed',
};
