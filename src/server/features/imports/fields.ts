import { AppError } from '../../core/errors.ts';
import type { Severity } from '../findings/schemas.ts';
import type { JsonObject, JsonValue } from './read-json.ts';
import type { CheckStatus } from './rules.ts';

/** One check of an assessment, in TenantPilot's words, ready to be matched with a finding. */
export interface Check {
  checkId: string;
  title: string;
  severity: Severity;
  status: CheckStatus;
  description: string | null;
  evidence: string | null;
  helpUrl: string | null;
}

/** One tenant's assessment from a file: one run, its checks. */
export interface Assessment {
  /** Where in the file it is: `$` or `$.Tenants[2]`. */
  path: string;
  /** The finding source and the run type prefix: `maester`, `scubagear`, a v1 file's tool. */
  tool: string;
  runType: string;
  /** The tenant the file says it is about (its Entra tenant id); null only for a v1 file without one. */
  directoryId: string | null;
  /** Where the file says it: `$.Tenants[2].TenantId`, `$.MetaData.TenantId`, `$.directory_id`. */
  directoryPath: string;
  /** What names the assessment (Maester ExecutedAt, ScubaGear ReportUUID, v1 run.key). */
  assessmentKey: string;
  startedAt: Date;
  completedAt: Date;
  /** The tool itself reported errors (Maester Error results, ScubaGear Error controls). */
  toolReportedErrors: boolean;
  checks: Check[];
}

export type Format = 'maester' | 'scubagear' | 'tenantpilot.results.v1';

/** Collects every problem of a file as `{json path: what is wrong}`; thrown as one 422. */
export class Problems {
  readonly fields: Record<string, string> = Object.create(null);
  private count = 0;

  add(path: string, message: string): void {
    this.count += 1;
    if (Object.keys(this.fields).length < 20) this.fields[path] ??= message;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  throwIfAny(what: string): void {
    if (this.empty) return;
    const more = this.count - Object.keys(this.fields).length;
    throw new AppError(
      'invalid',
      `The ${what} file has ${this.count} problem${this.count === 1 ? '' : 's'}${more > 0 ? ` (the first 20 are listed)` : ''}`,
      this.fields,
    );
  }
}

export const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A required non-blank string, or a problem at `path`. */
export function requiredString(
  value: JsonValue | undefined,
  path: string,
  problems: Problems,
): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  problems.add(path, value === undefined || value === null ? 'is required' : 'must be a non-empty string');
  return null;
}

/** An optional string: null when absent or null, a problem when it is something else. */
export function optionalString(
  value: JsonValue | undefined,
  path: string,
  problems: Problems,
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  problems.add(path, 'must be a string');
  return null;
}

/** A required timestamp (ISO 8601, an offset allowed), or a problem at `path`. */
export function requiredDate(value: JsonValue | undefined, path: string, problems: Problems): Date | null {
  const text = requiredString(value, path, problems);
  if (text === null) return null;
  const date = /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    problems.add(path, 'must be a date and time such as 2026-12-01T09:00:00Z');
    return null;
  }
  return date;
}

export function requiredArray(value: JsonValue | undefined, path: string, problems: Problems): JsonValue[] {
  if (Array.isArray(value)) return value;
  problems.add(path, value === undefined || value === null ? 'is required' : 'must be an array');
  return [];
}

/** Entra tenant ids are GUIDs; compared in lower case, as tenants store them. */
export const normalizeDirectoryId = (value: string) => value.trim().toLowerCase();

/** A text a NUL would make unstorable (PostgreSQL text cannot hold one). */
export const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);
