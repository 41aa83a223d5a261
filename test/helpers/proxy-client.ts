/**
 * A client of TenantPilot over real HTTP, through a load balancer whose answers say which server answered
 * (`X-Upstream`, see nginx.ts): a bearer client, or a browser holding its cookies and CSRF token as the
 * SPA does.
 */
import assert from 'node:assert/strict';
import { TEST_PASSWORD } from './factories.ts';

export interface Answer {
  status: number;
  /** The server that answered (the last one nginx tried). */
  upstream: string;
  body: Record<string, unknown> | null;
  setCookies: string[];
}

export interface CallOptions {
  cookie?: string;
  csrfToken?: string;
  bearer?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Browser {
  cookie: string;
  csrfToken: string;
  /** The server that issued the CSRF token. */
  tokenFrom: string;
}

export interface ProxyClient {
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** Signs in with the test password, then reads the CSRF token, as the SPA does. */
  signIn(email: string): Promise<Browser>;
}

export function proxyClient(baseUrl: string): ProxyClient {
  async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrfToken) headers['x-csrf-token'] = options.csrfToken;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('application/json');
    return {
      status: response.status,
      upstream: (response.headers.get('x-upstream') ?? '').split(', ').at(-1) ?? '',
      body: isJson && text ? (JSON.parse(text) as Record<string, unknown>) : null,
      setCookies: response.headers.getSetCookie(),
    };
  }

  async function signIn(email: string): Promise<Browser> {
    const signedIn = await call('POST', '/api/session', { body: { email, password: TEST_PASSWORD } });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    const cookie = withCookies('', signedIn.setCookies);
    const session = await call('GET', '/api/session', { cookie });
    assert.equal(session.status, 200, JSON.stringify(session.body));
    return {
      cookie: withCookies(cookie, session.setCookies),
      csrfToken: String(session.body?.csrf_token),
      tokenFrom: session.upstream,
    };
  }

  return { call, signIn };
}

/** The cookie header after `setCookies`: a browser's jar, without attributes. */
function withCookies(previous: string, setCookies: string[]): string {
  const jar = new Map(
    previous ? previous.split('; ').map((pair) => pair.split('=') as [string, string]) : [],
  );
  for (const line of setCookies) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Sends one request after another (round robin then alternates the servers). */
export async function repeat(times: number, send: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < times; i++) answers.push(await send());
  return answers;
}

/** The servers that answered, sorted. */
export const answeredBy = (answers: Answer[]) => [...new Set(answers.map((a) => a.upstream))].sort();
