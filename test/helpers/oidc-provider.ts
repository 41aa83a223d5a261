/**
 * A real OpenID provider for the sign-in tests (oidc-provider-process.ts, in a process of its own), and a
 * small browser for them: a cookie jar per origin and redirects followed by hand, so each hop can be
 * read. The provider serves HTTPS with a certificate made for the run; `trustTestCertificate` lets this
 * process's fetch (the app's openid-client) trust it, as NODE_EXTRA_CA_CERTS does for a server process.
 */
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { ProviderOptions, ProviderPerson } from './oidc-provider-process.ts';

export type { ProviderPerson };

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The certificate to trust (NODE_EXTRA_CA_CERTS for a server started as a process). */
  certFile: string;
  /** OIDC_* settings for an app at `publicUrl`. */
  env(extra?: Record<string, string>): Record<string, string>;
  setPeople(people: ProviderPerson[]): Promise<void>;
  revokeGrants(sub: string): Promise<void>;
  rotateKeys(): Promise<void>;
  signWithUnpublishedKey(): Promise<void>;
  setClockOffset(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function makeCertificate(dir: string) {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

let trusted: string[] | undefined;
/** This process's TLS connections (fetch included) also trust `certFile`, beside the usual roots. */
export function trustTestCertificate(certFile: string): void {
  const pem = fs.readFileSync(certFile, 'utf8');
  if (trusted) {
    trusted.push(pem);
    return;
  }
  trusted = [...tls.rootCertificates, pem];
  const connect = tls.connect;
  (tls as { connect: typeof tls.connect }).connect = function (this: unknown, ...args: unknown[]) {
    const options = args.find((arg) => typeof arg === 'object' && arg !== null) as
      | tls.ConnectionOptions
      | undefined;
    if (options && !options.ca) options.ca = trusted;
    return (connect as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  } as typeof tls.connect;
}

export async function startTestProvider(input: {
  redirectUris: string[];
  people: ProviderPerson[];
  publicUrl: string;
}): Promise<TestProvider> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-oidc-'));
  const { certFile, keyFile } = makeCertificate(dir);
  const options: ProviderOptions = {
    port: await freePort(),
    certFile,
    keyFile,
    clientId: 'tenantpilot-test',
    clientSecret: `test-client-secret-${Math.random().toString(36).slice(2)}`,
    redirectUris: input.redirectUris,
    people: input.people,
  };
  const child = fork(path.join(import.meta.dirname, 'oidc-provider-process.ts'), [], {
    execArgv: ['--import', 'tsx', '--no-warnings'],
    env: { ...process.env, TEST_OIDC_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const issuer = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the test provider exited (${code})`)));
    child.on('message', (message: { ready?: string; id?: number; result?: unknown; error?: string }) => {
      if (message.ready) resolve(message.ready);
      const waiting = message.id ? pending.get(message.id) : undefined;
      if (!waiting || !message.id) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
  });
  const send = (command: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...command, id });
    });
  trustTestCertificate(certFile);
  return {
    issuer,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    certFile,
    env: (extra = {}) => ({
      TENANTPILOT_PUBLIC_URL: input.publicUrl,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: options.clientId,
      OIDC_CLIENT_SECRET: options.clientSecret,
      OIDC_PROVIDER_NAME: 'Test IdP',
      ...extra,
    }),
    setPeople: async (people) => void (await send({ command: 'setPeople', people })),
    revokeGrants: async (sub) => void (await send({ command: 'revokeGrants', sub })),
    rotateKeys: async () => void (await send({ command: 'rotateKeys' })),
    signWithUnpublishedKey: async () => void (await send({ command: 'signWithUnpublishedKey' })),
    setClockOffset: async (seconds) => void (await send({ command: 'setClockOffset', seconds })),
    async close() {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A browser without a screen: cookies kept per host, redirects followed one hop at a time. */
export class TestBrowser {
  readonly cookies = new Map<string, Map<string, string>>();
  /** Every URL visited, in order (the provider's and the app's). */
  readonly visited: string[] = [];

  cookieHeader(url: string): string {
    const jar = this.cookies.get(new URL(url).host);
    return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : '';
  }

  cookie(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).host)?.get(name);
  }

  private keep(url: string, response: Response) {
    const host = new URL(url).host;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(host, jar);
  }

  /** One request, no redirect followed. */
  async send(url: string, init: RequestInit = {}): Promise<Response> {
    this.visited.push(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    if (!headers.has('accept')) headers.set('accept', 'text/html');
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.keep(url, response);
    return response;
  }

  /** GET `url` and follow redirects until an answer that is not one; stops early where `stopAt` says. */
  async follow(url: string, stopAt?: (url: string) => boolean): Promise<{ url: string; response: Response }> {
    let current = url;
    for (let hop = 0; hop < 20; hop++) {
      const response = await this.send(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      await response.arrayBuffer();
      current = new URL(location, current).toString();
      if (stopAt?.(current)) return { url: current, response };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits the provider's login form as `login` and follows on; answers where the redirects end. */
  async logIn(loginPageUrl: string, login: string, stopAt?: (url: string) => boolean) {
    const response = await this.send(loginPageUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login }).toString(),
    });
    const location = response.headers.get('location');
    if (!location) return { url: loginPageUrl, response };
    await response.arrayBuffer();
    return this.follow(new URL(location, loginPageUrl).toString(), stopAt);
  }
}
