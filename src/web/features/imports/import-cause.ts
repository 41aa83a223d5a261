/**
 * docs/rules.md "Imports": a change an import made carries its cause in the audit event's `after`
 * (`{"cause": {"type": "import", "run_id": 12, "source": "maester"}}`); the history names it.
 */
export function importCause(after: unknown): string {
  if (typeof after !== 'object' || after === null) return '';
  const cause = (after as { cause?: { type?: unknown; run_id?: unknown } }).cause;
  if (cause?.type !== 'import') return '';
  return typeof cause.run_id === 'number' ? ` (import, run #${cause.run_id})` : ' (import)';
}
