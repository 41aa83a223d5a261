/**
 * CSV for spreadsheets (RFC 4180), safe to open: a cell a spreadsheet would run as a formula — one
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return — is prefixed with `'` (OWASP's advice on
 * CSV injection), then quoted when it holds a quote, comma or line break.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | null;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Compact JSON of a before/after value; an absent one is an empty cell. */
export function jsonCell(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
