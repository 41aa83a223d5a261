// The app under test for support-requests.bench.ts, in a worker thread of its own: the load generator
// and the fake desk then don't share the server's event loop, as they wouldn't in production.
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { createTestDatabase } from '../test/helpers/db.ts';
import * as make from '../test/helpers/factories.ts';

export interface BenchServer {
  base: string;
  token: string;
  tenant: string;
}

/** The webhook at `deskUrl`, or any desk by its environment (`deskEnv`), and the tenant's desk customer. */
const { serverUrl, deskUrl, deskEnv, deskCustomerId } = workerData as {
  serverUrl: string | null;
  deskUrl: string;
  deskEnv?: Record<string, string>;
  deskCustomerId?: string | null;
};
if (serverUrl) process.env.TEST_DATABASE_URL = serverUrl;
else delete process.env.TEST_DATABASE_URL;

const database = await createTestDatabase();
const config = loadConfig({
  LOG_LEVEL: 'silent',
  ...(deskEnv ?? { SUPPORT_DESK_PROVIDER: 'webhook', SUPPORT_DESK_URL: deskUrl }),
});
const app = await buildApp({ config, database });
await app.listen({ host: '127.0.0.1', port: 0 });

const workspace = await make.createWorkspace(database.db);
const tenant = await make.createTenant(database.db, {
  workspaceId: workspace.id,
  deskCustomerId: deskCustomerId ?? null,
});
const user = await make.createUser(database.db);
await make.addTenantMember(database.db, { tenant, userId: user.id, role: 'operator' });
const ready: BenchServer = {
  base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
  token: await make.createApiToken(database.db, { userId: user.id }),
  tenant: tenant.externalId,
};
parentPort?.postMessage(ready);
parentPort?.once('message', async () => {
  await app.close();
  await database.close();
  parentPort?.postMessage('closed');
});
