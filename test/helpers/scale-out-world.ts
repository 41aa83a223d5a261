/**
 * The scale-out tests' world: two `tenantpilot serve` processes on one fresh PostgreSQL database, nginx
 * in front of them (round robin), a fake webhook desk both call, and an operator of one tenant with an
 * API token. Every request goes through nginx. Each test file starts its own (a file has the runner's
 * 120 s, and starting processes is most of it on a loaded machine).
 */
import type { Database } from '../../src/server/db/client.ts';
import { createTestDatabase } from './db.ts';
import * as make from './factories.ts';
import { type FakeDesk, startFakeDesk } from './fake-desk.ts';
import { type Nginx, startNginx } from './nginx.ts';
import { type ProxyClient, proxyClient } from './proxy-client.ts';
import { freePorts, type ServeProcess, startServeProcess } from './serve-process.ts';

/** Run only against a server: the embedded database belongs to one process. */
export const skipWithoutPostgres = process.env.TEST_DATABASE_URL
  ? false
  : 'needs a PostgreSQL server (TEST_DATABASE_URL): the embedded database belongs to one process';

export const DESK_BUDGET_MS = 3000;
export const SIGN_IN_LIMIT = 3;

export interface ScaleOutWorld extends ProxyClient {
  database: Database;
  desk: FakeDesk;
  servers: ServeProcess[];
  /** Each server as nginx names it in `X-Upstream` (`127.0.0.1:port`), sorted. */
  upstreams: string[];
  tenant: make.Tenant;
  operator: make.User;
  bearer: string;
  close(): Promise<void>;
}

export async function startScaleOutWorld(): Promise<ScaleOutWorld> {
  const database = await createTestDatabase();
  const desk = await startFakeDesk();
  const { tenant, operator, bearer } = await make.createTenantOperator(database.db);
  const env = {
    // Behind nginx, which replaces X-Forwarded-For with the address it sees (nginx.ts).
    TENANTPILOT_TRUST_PROXY: 'true',
    TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: String(SIGN_IN_LIMIT),
    SUPPORT_DESK_PROVIDER: 'webhook',
    SUPPORT_DESK_URL: desk.url,
    SUPPORT_DESK_TIMEOUT_MS: String(DESK_BUDGET_MS),
  };
  const ports = await freePorts(2);
  const started = await Promise.allSettled(
    ports.map((port) => startServeProcess(database.url as string, port, env)),
  );
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  let proxy: Nginx;
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    proxy = await startNginx(ports);
  } catch (error) {
    // Nothing left running when the world cannot be built: the runner would wait on it.
    await Promise.all(servers.map((server) => server.stop()));
    await desk.close();
    await database.close();
    throw error;
  }
  return {
    ...proxyClient(proxy.url),
    database,
    desk,
    servers,
    upstreams: ports.map((port) => `127.0.0.1:${port}`).sort(),
    tenant,
    operator,
    bearer,
    async close() {
      await proxy.close();
      await Promise.all(servers.map((server) => server.stop()));
      await desk.close();
      await database.close();
    },
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
