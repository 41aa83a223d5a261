import { formatDateTime } from './format.ts';

/** A `<time>` element with a readable text, or an em dash when the moment is not set. */
export function DateTime({ value }: { value: string | null | undefined }) {
  if (!value) return <span>—</span>;
  return <time dateTime={value}>{formatDateTime(value)}</time>;
}
