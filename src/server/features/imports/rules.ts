import type { Severity, WorkflowStatus } from '../findings/schemas.ts';

/** docs/rules.md "Imports". Pure functions: every rule here has its table in rules.test.ts. */

/** What a tool said about one check, in TenantPilot's words. */
export type CheckStatus = 'failed' | 'passed' | 'other';
/** What an import did to the finding of one check. */
export type ImportOutcome = 'created' | 'reopened' | 'resolved' | 'unchanged' | 'ignored';
export type ImportCounts = Record<ImportOutcome, number>;

export const OPEN_FOR_IMPORT: readonly WorkflowStatus[] = ['new', 'triaged', 'in_progress', 'reopened'];

/**
 * Failed: no finding → new, a resolved or closed one → reopened, an open or risk-accepted one keeps its status.
 * Passed: an open finding → resolved, anything else keeps its status. Anything else changes nothing.
 * `current` is the finding's *effective* status (risk_accepted while an approved exception is live).
 */
export function importOutcome(check: CheckStatus, current: WorkflowStatus | null): ImportOutcome {
  if (check === 'other') return 'ignored';
  if (check === 'failed') {
    if (current === null) return 'created';
    return current === 'resolved' || current === 'closed' ? 'reopened' : 'unchanged';
  }
  return current !== null && OPEN_FOR_IMPORT.includes(current) ? 'resolved' : 'unchanged';
}

/** The status an outcome stores; null keeps the stored one. */
export function statusAfter(outcome: ImportOutcome): WorkflowStatus | null {
  if (outcome === 'created') return 'new';
  if (outcome === 'reopened') return 'reopened';
  if (outcome === 'resolved') return 'resolved';
  return null;
}

export const noCounts = (): ImportCounts => ({
  created: 0,
  reopened: 0,
  resolved: 0,
  unchanged: 0,
  ignored: 0,
});

const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/** Maester: Failed and Investigate are failures, Passed a pass; Skipped, NotRun, Error and the rest say nothing. */
export function maesterStatus(result: string): CheckStatus {
  const value = lower(result);
  if (value === 'failed' || value === 'investigate') return 'failed';
  return value === 'passed' ? 'passed' : 'other';
}

/** ScubaGear: Fail and Warning are failures, Pass a pass; N/A, Omitted, Error, "-" say nothing. */
export function scubaStatus(result: string): CheckStatus {
  const value = lower(result);
  if (value === 'fail' || value === 'warning') return 'failed';
  return value === 'pass' ? 'passed' : 'other';
}

/** Maester severities as given; Info is low; none (or a word Maester does not use) is medium. */
export function maesterSeverity(value: unknown): Severity {
  const given = lower(value);
  if (given === 'critical' || given === 'high' || given === 'medium' || given === 'low') return given;
  return given === 'info' || given === 'informational' ? 'low' : 'medium';
}

/** ScubaGear's baseline words: a Shall control is high, a Should control medium ("Shall/Not-Implemented" too). */
export function scubaSeverity(criticality: unknown): Severity {
  const given = lower(criticality);
  if (given.startsWith('shall')) return 'high';
  return 'medium';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A tool's HTML as plain text: tags dropped (a line break or block end is a space), entities decoded. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

export const TITLE_MAX = 500;
export const TEXT_MAX = 100_000;

/** Cut to at most `max` characters, never inside a surrogate pair, marked with an ellipsis. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text.slice(0, max));
  if (chars.join('').length > max - 1) chars.pop();
  return `${chars.join('')}…`;
}

/** A help link is kept only when it is an absolute http(s) URL of sane length. */
export function helpUrlOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 2048) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** Maester before 1.1 has no Id/Title: `Name` is "<Id>: <Title>", split at its first colon. */
export function splitMaesterName(name: string): { id: string; title: string } {
  const at = name.indexOf(':');
  if (at <= 0) return { id: name.trim(), title: name.trim() };
  return { id: name.slice(0, at).trim(), title: name.slice(at + 1).trim() || name.trim() };
}

export interface KeyedCheck {
  checkId: string;
  title: string;
  status: CheckStatus;
}

/**
 * A repeated Maester Id (one test run for several policies) is told apart by its title: every check whose Id
 * appears more than once is keyed "<Id> <Title>". Checks with the same key are one finding: failed wins over
 * passed, passed over anything else, and the first one's texts are kept.
 */
export function keyRepeatedIds<T extends KeyedCheck>(checks: T[]): T[] {
  const seen = new Map<string, number>();
  for (const check of checks) seen.set(check.checkId, (seen.get(check.checkId) ?? 0) + 1);
  const byKey = new Map<string, T>();
  const rank: Record<CheckStatus, number> = { failed: 2, passed: 1, other: 0 };
  for (const check of checks) {
    const checkId = (seen.get(check.checkId) ?? 0) > 1 ? `${check.checkId} ${check.title}` : check.checkId;
    const keyed = { ...check, checkId };
    const earlier = byKey.get(checkId);
    if (!earlier) byKey.set(checkId, keyed);
    else if (rank[keyed.status] > rank[earlier.status])
      byKey.set(checkId, { ...earlier, status: keyed.status });
  }
  return [...byKey.values()];
}

const TOOL_NAMES: Record<string, string> = { maester: 'Maester', scubagear: 'ScubaGear' };

/** The run's summary, from the counts: "Maester: 12 failed (3 new, 1 reopened), 40 passed (2 resolved), 5 not judged". */
export function runSummary(tool: string, counts: ImportCounts, failed: number, passed: number): string {
  const name = TOOL_NAMES[tool] ?? tool;
  const failedPart = `${failed} failed (${counts.created} new, ${counts.reopened} reopened)`;
  const passedPart = `${passed} passed (${counts.resolved} resolved)`;
  return `${name}: ${failedPart}, ${passedPart}, ${counts.ignored} not judged`;
}

/** "hh:mm:ss(.fff)" or "d.hh:mm:ss" (a .NET TimeSpan) in milliseconds; null when it is not one. */
export function timeSpanMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(value.trim());
  if (!match) return null;
  const [, days, hours, minutes, seconds, fraction] = match;
  const ms = Math.round(Number(`0.${fraction ?? '0'}`) * 1000);
  return (
    (((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + ms
  );
}
