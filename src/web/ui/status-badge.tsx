import { Badge, type MantineColor } from '@mantine/core';

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
