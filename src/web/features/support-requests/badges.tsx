import type { MantineColor } from '@mantine/core';
import { DotBadge, PendingBadge } from '../../ui/status-badge.tsx';
import type { HandoffMode, HandoffOutcome, Severity } from './api.ts';

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

// Colour only reinforces the label. A failed handoff is a warning, not an error: the request is saved.
const outcomeColors: Record<HandoffOutcome, MantineColor> = {
  internal_only: 'gray',
  external_ticket_created: 'green',
  external_ticket_linked: 'indigo',
  external_handoff_failed: 'orange',
};

const severityColors: Record<Severity, MantineColor> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  blocking: 'red',
};

export function HandoffOutcomeBadge({ outcome }: { outcome: HandoffOutcome | null }) {
  if (outcome === null) return <PendingBadge label="Handoff in progress" />;
  return <DotBadge color={outcomeColors[outcome]} label={outcomeLabels[outcome]} />;
}

/** `named` adds the word "severity" where no column header says what the badge is. */
export function SeverityBadge({ severity, named = false }: { severity: Severity; named?: boolean }) {
  const label = severityLabels[severity] ?? severity;
  return <DotBadge color={severityColors[severity] ?? 'gray'} label={named ? `${label} severity` : label} />;
}
