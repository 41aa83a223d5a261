import type { InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { type Config, loadConfig } from '../../src/server/config.ts';
import type { Database, Db } from '../../src/server/db/client.ts';
import type { App } from '../../src/server/routing.ts';
import { createTestDatabase } from './db.ts';
import { TEST_PASSWORD } from './factories.ts';

export interface TestApp {
  app: App;
  db: Db;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

/** The real app on a database of its own. `env` is read like the process environment would be. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    database?: Database;
    beforeReady?: (app: App, db: Db) => void;
    logStream?: NodeJS.WritableStream;
    onRoute?: (route: RouteOptions) => void;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = await buildApp({ config, database, logStream: options.logStream, onRoute: options.onRoute });
  options.beforeReady?.(app, database.db);
  await app.ready();
  return {
    app,
    db: database.db,
    database,
    config,
    async close() {
      await app.close();
      if (!options.database) await database.close();
    },
  };
}

/** A signed-in browser: the session cookie, the CSRF cookie and the CSRF token, as the SPA holds them. */
export interface BrowserSession {
  cookie: string;
  csrfToken: string;
}

function cookieHeader(response: LightMyRequestResponse, previous = ''): string {
  const jar = new Map(
    previous ? previous.split('; ').map((pair) => pair.split('=') as [string, string]) : [],
  );
  for (const cookie of response.cookies) jar.set(cookie.name, cookie.value);
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

export async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<BrowserSession> {
  const response = await app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const withSession = cookieHeader(response);
  const session = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: withSession } });
  return { cookie: cookieHeader(session, withSession), csrfToken: session.json().csrf_token };
}

export type Credential = { bearer: string } | { session: BrowserSession } | null;

/** Sends a JSON request as a bearer client, a signed-in browser (with its CSRF token), or anonymously. */
export function request(app: App, credential: Credential, options: InjectOptions) {
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(options.headers as Record<string, string>),
  };
  if (credential && 'bearer' in credential) headers.authorization = `Bearer ${credential.bearer}`;
  if (credential && 'session' in credential) {
    headers.cookie = credential.session.cookie;
    headers['x-csrf-token'] = credential.session.csrfToken;
  }
  return app.inject({ ...options, headers });
}
