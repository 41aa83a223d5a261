import type { MantineColor } from '@mantine/core';
import { DotBadge, PendingBadge } from '../../ui/status-badge.tsx';
import type { HandoffOutcome, Severity } from './api.ts';
import { outcomeLabels, severityLabels } from './labels.ts';

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
  const label = severityLabels[severity];
  return <DotBadge color={severityColors[severity]} label={named ? `${label} severity` : label} />;
}
