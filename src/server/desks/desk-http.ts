/**
 * The one outbound call every desk adapter makes: one request, no retry, no redirect followed, the whole
 * exchange (connect, TLS, headers, body) bounded by the budget, the body capped. Never throws.
 */

import { settleWithin } from '../core/deadline.ts';

export const MAX_ANSWER_BYTES = 1024 * 1024;

export interface DeskCallOptions {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** Sent exactly as given (the webhook signs these bytes). */
  body?: string;
  timeoutMs: number;
}

/** Why a call produced no usable HTTP answer. Carries no URL path, query or credential: only the host. */
export type DeskCallFailure =
  | { kind: 'timeout' }
  | { kind: 'refused' }
  | { kind: 'host-not-found' }
  | { kind: 'tls'; code: string }
  | { kind: 'connection-lost'; code: string }
  | { kind: 'redirect'; status: number; host: string | null }
  | { kind: 'oversized' }
  | { kind: 'invalid-url' };

export type DeskCallResult =
  | {
      kind: 'answered';
      status: number;
      headers: Headers;
      text: string;
      /** The body parsed as JSON; `undefined` when it is empty or not JSON. */
      json: unknown;
    }
  | { kind: 'failed'; failure: DeskCallFailure };

const refusedCodes = new Set(['ECONNREFUSED']);
const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA']);

export async function deskCall(options: DeskCallOptions): Promise<DeskCallResult> {
  const url = parseDeskUrl(options.url);
  if (!url) return { kind: 'failed', failure: { kind: 'invalid-url' } };
  // Not AbortSignal.timeout: its timer cannot be cleared, and until it fires the signal's listeners keep
  // the finished exchange reachable (fetch's state, the answer), some 2,000 calls' worth at 430 calls/s.
  const controller = new AbortController();
  // fetch honours the signal while connecting and reading; settling at the deadline as well makes the bound
  // hold even if some stage (a trickling body, a slow DNS lookup) did not observe the abort promptly.
  return settleWithin(exchange(url, options, controller.signal), options.timeoutMs, () => {
    controller.abort(new DOMException('The desk call took longer than its budget', 'TimeoutError'));
    return { kind: 'failed', failure: { kind: 'timeout' } };
  });
}

/** Only http(s) URLs without user info: fetch refuses credentials in URLs, and they would be secrets. */
function parseDeskUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password) return null;
    return url;
  } catch {
    return null;
  }
}

async function exchange(url: URL, options: DeskCallOptions, signal: AbortSignal): Promise<DeskCallResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    return { kind: 'failed', failure: classifyError(error, signal) };
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => {});
    return {
      kind: 'failed',
      failure: { kind: 'redirect', status: response.status, host: redirectHost(response, url) },
    };
  }
  const body = await readCapped(response, signal);
  if (body.kind === 'failed') return body;
  return {
    kind: 'answered',
    status: response.status,
    headers: response.headers,
    text: body.text,
    json: parseJson(body.text),
  };
}

async function readCapped(
  response: Response,
  signal: AbortSignal,
): Promise<{ kind: 'read'; text: string } | { kind: 'failed'; failure: DeskCallFailure }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => {});
    return { kind: 'failed', failure: { kind: 'oversized' } };
  }
  if (!response.body) return { kind: 'read', text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel().catch(() => {});
        return { kind: 'failed', failure: { kind: 'oversized' } };
      }
      chunks.push(value);
    }
  } catch (error) {
    return { kind: 'failed', failure: classifyError(error, signal) };
  }
  return { kind: 'read', text: Buffer.concat(chunks).toString('utf8') };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function redirectHost(response: Response, requested: URL): string | null {
  const location = response.headers.get('location');
  if (!location) return null;
  try {
    return new URL(location, requested).host || null;
  } catch {
    return null;
  }
}

/** Walks the cause chain (fetch wraps the socket error, happy eyeballs wraps several) for an error code. */
function errorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string' && candidate.code !== 'UND_ERR') return candidate.code;
    current = candidate.cause ?? candidate.errors?.[0];
  }
  return null;
}

function classifyError(error: unknown, signal: AbortSignal): DeskCallFailure {
  if (signal.aborted) return { kind: 'timeout' };
  const code = errorCode(error) ?? 'unknown';
  if (refusedCodes.has(code)) return { kind: 'refused' };
  if (dnsCodes.has(code)) return { kind: 'host-not-found' };
  if (/CERT|TLS|SSL/.test(code)) return { kind: 'tls', code };
  return { kind: 'connection-lost', code };
}
