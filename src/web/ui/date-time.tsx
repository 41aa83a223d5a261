import { formatDateTime } from './format.ts';

/**
 * A `<time>` element with a readable text, or an em dash when the moment is not set. `dateOnly` for a list's
 * column: the day, with the full moment as the element's title.
 */
export function DateTime({
  value,
  dateOnly = false,
}: {
  value: string | null | undefined;
  dateOnly?: boolean;
}) {
  if (!value) return <span>—</span>;
  return (
    <time dateTime={value} title={dateOnly ? formatDateTime(value) : undefined}>
      {formatDateTime(value, dateOnly)}
    </time>
  );
}
