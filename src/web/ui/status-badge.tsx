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

/** A coloured dot beside dark text: tinted text on a tinted background stays below 4.5:1 at badge size. */
function StateBadge({ color, label }: { color: MantineColor; label: string }) {
  return (
    <Badge variant="dot" color={color} radius="sm" tt="none" fw={600} size="lg" miw="max-content">
      {label}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <StateBadge color={statusColors[status] ?? 'gray'} label={humanize(status)} />;
}

export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  if (outcome === null) {
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
        No outcome yet
      </Badge>
    );
  }
  return <StateBadge color={outcomeColors[outcome] ?? 'gray'} label={humanize(outcome)} />;
}
