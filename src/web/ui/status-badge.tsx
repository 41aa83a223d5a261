import { Badge, type MantineColor } from '@mantine/core';
import { humanize } from './format.ts';

// Colour only reinforces the text; the label always says the state.
const statusColors: Record<string, MantineColor> = {
  queued: 'gray',
  running: 'blue',
  completed: 'indigo',
};

const outcomeColors: Record<string, MantineColor> = {
  succeeded: 'green',
  partially_succeeded: 'orange',
  failed: 'red',
};

/**
 * The one state badge: a coloured dot beside dark text (tinted text on a tinted background stays below
 * 4.5:1 at badge size). `compact` for table cells, where a row carries several badges side by side.
 */
export function DotBadge({
  color,
  label,
  compact,
}: {
  color: MantineColor;
  label: string;
  compact?: boolean;
}) {
  return (
    <Badge
      variant="dot"
      color={color}
      radius="sm"
      tt="none"
      fw={600}
      size={compact ? 'md' : 'lg'}
      miw="max-content"
    >
      {label}
    </Badge>
  );
}

/** A state that has not happened yet ("No outcome yet", "Handoff in progress"): outlined, no colour. */
export function PendingBadge({ label }: { label: string }) {
  return (
    <Badge
      variant="outline"
      color="gray"
      c="gray.7"
      radius="sm"
      tt="none"
      fw={500}
      size="lg"
      miw="max-content"
    >
      {label}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <DotBadge color={statusColors[status] ?? 'gray'} label={humanize(status)} />;
}

export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  if (outcome === null) return <PendingBadge label="No outcome yet" />;
  return <DotBadge color={outcomeColors[outcome] ?? 'gray'} label={humanize(outcome)} />;
}
