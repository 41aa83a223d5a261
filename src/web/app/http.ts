/**
 * The one fetch wrapper every feature api.ts uses: JSON in and out, the session cookie, the CSRF
 * header on writes, errors parsed into ApiError, and a 401 sending the browser to sign-in.
 */

export type ApiErrorFields = Record<string, string>;

/** The server answered, and refused (4xx) or failed (5xx): its error body, parsed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: ApiErrorFields = {},
    /** From `Retry-After` (a 429, a 503): how long to wait before trying again, in seconds. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

export const UNREACHABLE_READ = 'The server could not be reached. Check your connection and try again.';
export const UNREACHABLE_WRITE =
  'Nothing was saved: the server could not be reached. Check your connection and try again.';

/**
 * The request never got an answer (offline, the server down, the connection refused): unlike an
 * ApiError there is no refusal to show, only what happened and, for a change, that nothing was saved.
 */
export class NetworkError extends Error {
  constructor(readonly write: boolean) {
    super(write ? UNREACHABLE_WRITE : UNREACHABLE_READ);
    this.name = 'NetworkError';
  }
}

export function isNetworkError(error: unknown): error is NetworkError {
  return error instanceof NetworkError;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  query?: Record<string, string | number | null | undefined>;
  signal?: AbortSignal;
  /** Sign-in and the session probe expect 401 as an answer, not as "go and sign in". */
  redirectOnUnauthenticated?: boolean;
  /** Sign-in has no session yet, so there is no CSRF token to fetch. */
  csrf?: boolean;
  /** A JSON file sent as the body as it is (an import), instead of `body` serialized. */
  file?: Blob;
}

const SESSION_PATH = '/api/session';

let csrfToken: string | null = null;
let onUnauthenticated: (currentPath: string) => void = (currentPath) => {
  window.location.assign(`/sign-in?${new URLSearchParams({ next: currentPath })}`);
};

/** The session endpoint hands out the token; the tenancy api remembers it whenever it reads the session. */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The router installs a client-side navigation here so a 401 keeps the SPA alive. */
export function setUnauthenticatedHandler(handler: (currentPath: string) => void): void {
  onUnauthenticated = handler;
}

async function ensureCsrfToken(): Promise<string | null> {
  if (csrfToken) return csrfToken;
  const response = await fetch(SESSION_PATH, {
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!response.ok) return null;
  const body = (await response.json()) as { csrf_token?: string };
  csrfToken = body.csrf_token ?? null;
  return csrfToken;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return params.size > 0 ? `${path}?${params}` : path;
}

/** `Retry-After` is either a number of seconds or an HTTP date. */
function retryAfterSeconds(response: Response): number | null {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = retryAfterSeconds(response);
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; fields?: ApiErrorFields };
    };
    if (body.error?.code) {
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message ?? response.statusText,
        body.error.fields,
        retryAfter,
      );
    }
  } catch {
    // Not JSON (a proxy page, an empty body): fall through to a generic error.
  }
  return new ApiError(
    response.status,
    'http_error',
    `The server answered with an error (${response.status})`,
    {},
    retryAfter,
  );
}

/** fetch, with "no answer at all" turned into a NetworkError that says whether anything was saved. */
async function send(path: string, options: RequestOptions, method: Method): Promise<Response> {
  try {
    return await sendOnce(path, options, method);
  } catch (error) {
    // A cancelled query is not a failure to report.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(method !== 'GET');
  }
}

async function sendOnce(path: string, options: RequestOptions, method: Method): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined || options.file) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && options.csrf !== false) {
    const token = await ensureCsrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  return fetch(buildUrl(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    // The page and its JSON share URLs: never let the HTTP cache answer a fetch with the HTML document.
    cache: 'no-store',
    body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    signal: options.signal,
  });
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  let response = await send(path, options, method);
  if (response.status === 403 && method !== 'GET' && csrfToken) {
    // The token may belong to an earlier session (signed in again in another tab): refresh it once.
    csrfToken = null;
    response = await send(path, options, method);
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401) {
      csrfToken = null;
      const here = `${window.location.pathname}${window.location.search}`;
      if (options.redirectOnUnauthenticated !== false && window.location.pathname !== '/sign-in') {
        onUnauthenticated(here);
      }
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
