/**
 * What every adapter does around the one outbound call: build the URL, send, and turn anything but a
 * 2xx JSON answer into a summary without secrets. Adapters only shape the request and read the 2xx body.
 */
import type { DeskConfig } from '../config.ts';
import { deskCall } from './desk-http.ts';
import {
  callFailureSummary,
  deskText,
  httpProblemSummary,
  type SummaryContext,
  withoutSecrets,
} from './failure-summary.ts';

/** What an adapter tells the shared code about its desk. */
export interface DeskProfile {
  name: string;
  deduplicates: boolean;
  notFoundHint: string;
  credentialsHint: string;
  /** Who needs the permission a 403 says is missing (see SummaryContext). */
  permissionHint?: string;
  /** Pulls the desk's own short error text out of an error body. */
  errorText(json: unknown, text: string): string | null;
}

export type DeskJson = { ok: true; status: number; json: unknown } | { ok: false; summary: string };

export interface DeskRequestOptions {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  operation: 'create' | 'check';
  reference?: string;
  /** Defaults to the configured budget; a second call in one check passes what is left of it. */
  timeoutMs?: number;
  /** Defaults to SUPPORT_DESK_URL; HaloPSA's token comes from SUPPORT_DESK_AUTH_URL. */
  baseUrl?: string | null;
}

/** Joins the configured base URL (which may carry a path, e.g. Jira Server under /jira) and a path. */
export function deskUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export function summaryContext(
  config: DeskConfig,
  profile: DeskProfile,
  operation: 'create' | 'check',
  reference?: string,
): SummaryContext {
  return {
    deskName: profile.name,
    operation,
    reference,
    timeoutMs: config.timeoutMs,
    deduplicates: profile.deduplicates,
    notFoundHint: profile.notFoundHint,
    credentialsHint: profile.credentialsHint,
    permissionHint: profile.permissionHint,
  };
}

/** A 2xx whose body is not what the desk documents: for a create, the ticket may exist all the same. */
export function unexpectedAnswer(
  config: DeskConfig,
  profile: DeskProfile,
  what: string,
  operation: 'create' | 'check',
  reference?: string,
): string {
  const maybe =
    operation === 'create' && reference
      ? ` — it may have created the ticket; search it for ${reference}`
      : '';
  return withoutSecrets(`${profile.name} answered ${what}${maybe}.`, config);
}

export async function requestDesk(
  config: DeskConfig,
  profile: DeskProfile,
  options: DeskRequestOptions,
): Promise<DeskJson> {
  const ctx = summaryContext(config, profile, options.operation, options.reference);
  const base = options.baseUrl === undefined ? config.url : options.baseUrl;
  if (!base) return { ok: false, summary: `${profile.name} needs SUPPORT_DESK_URL, which is not set.` };
  const result = await deskCall({
    method: options.method,
    url: deskUrl(base, options.path),
    headers: { accept: 'application/json', 'user-agent': 'TenantPilot', ...options.headers },
    body: options.body,
    timeoutMs: options.timeoutMs ?? config.timeoutMs,
  });
  if (result.kind === 'failed') {
    return { ok: false, summary: withoutSecrets(callFailureSummary(result.failure, ctx), config) };
  }
  if (result.status < 200 || result.status > 299) {
    const problem = {
      status: result.status,
      deskText: profile.errorText(result.json, result.text) ?? plainErrorText(result),
      retryAfter: result.headers.get('retry-after'),
    };
    return { ok: false, summary: withoutSecrets(httpProblemSummary(problem, ctx), config) };
  }
  if (result.json === undefined) {
    const what = `HTTP ${result.status} with a malformed answer (not JSON)`;
    return {
      ok: false,
      summary: unexpectedAnswer(config, profile, what, options.operation, options.reference),
    };
  }
  return { ok: true, status: result.status, json: result.json };
}

/** Some desks answer errors as text/plain; a short line of it helps, an HTML page does not. */
function plainErrorText(result: { text: string; json: unknown; headers: Headers }): string | null {
  if (result.json !== undefined) return null;
  if (!(result.headers.get('content-type') ?? '').startsWith('text/plain')) return null;
  return deskText(result.text);
}

/** Reads `value[key]` of an unknown JSON value without trusting its shape. */
export function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** An absolute http(s) URL of reasonable length, or null: desks' URLs are shown as links. */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}
