import type { AddressInfo } from 'node:net';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import { announceServer } from './db/data-dir-lock.ts';
import { scheduleEmbeddedMaintenance } from './db/embedded-maintenance.ts';
import { prepareFirstRun } from './features/setup/service.ts';
import {
  DEMO_SIGN_INS,
  formatDemoSignIns,
  hasDemoData,
  isDatabaseEmpty,
  seedDemo,
} from './features/tenancy/demo-seed.ts';

export interface StartOptions {
  config: Config;
  /** The database, already being opened (`serve` starts it while the HTTP stack loads); else opened here. */
  database?: Promise<Database>;
  /** Load the demo data into an empty database and print its sign-ins. */
  demo?: boolean;
  port?: number;
  host?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

async function prepareDemo(database: Database): Promise<string> {
  if (await isDatabaseEmpty(database.db)) return formatDemoSignIns(await seedDemo(database.db));
  if (await hasDemoData(database.db)) return formatDemoSignIns(DEMO_SIGN_INS);
  return 'Demo data not loaded: the database already holds other users.';
}

/** On a database with no user (and no demo asked for): the one-time link that creates the first owner. */
async function prepareSetupNote(database: Database): Promise<((url: string) => string) | null> {
  const token = await prepareFirstRun(database.db);
  if (!token) return null;
  return (url) =>
    'No one has an account yet. Open this one-time link to create the first workspace and its owner:\n' +
    `  ${url}/setup/${token}`;
}

function urlOf(address: AddressInfo): string {
  const unspecified = address.address === '0.0.0.0' || address.address === '::';
  const host = unspecified
    ? 'localhost'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  return `http://${host}:${address.port}`;
}

/** PGlite never calls fsync (checked with strace over start-up and commits): said at every embedded start. */
export const EMBEDDED_DURABILITY =
  'Embedded database: every acknowledged write survives a killed process, but an operating-system crash or ' +
  'power loss may lose recent commits (it does not fsync). Use PostgreSQL (DATABASE_URL) in production.';

/** Migrates, optionally seeds the demo, serves, and closes the app then the database on SIGINT/SIGTERM. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const database = await (options.database ?? openDatabase(config.database, { serving: true }));
  let close = () => database.close();
  try {
    await database.migrate();
    const demoNote = options.demo ? await prepareDemo(database) : null;
    const setupNote = options.demo ? null : await prepareSetupNote(database);
    const app = await buildApp({ config, database });
    close = async () => {
      await app.close();
      await database.close();
    };
    await app.listen({ host: options.host ?? config.host, port: options.port ?? config.port });
    const url = urlOf(app.server.address() as AddressInfo);
    if (config.database.kind === 'pglite') {
      // A CLI command refused by the data-directory lock names this server and its web UI.
      const withdraw = announceServer(config.database.dataDir, config.publicUrl ?? url);
      const maintenance = scheduleEmbeddedMaintenance(database.db, (error) =>
        app.log.error({ err: error }, 'embedded database maintenance failed; the next pass tries again'),
      );
      close = async () => {
        withdraw();
        await app.close();
        await maintenance.stop();
        await database.close();
      };
    }
    const note = demoNote ?? setupNote?.(config.publicUrl ?? url);
    const durability = config.database.kind === 'pglite' ? `${EMBEDDED_DURABILITY}\n` : '';
    process.stdout.write(`TenantPilot is running at ${url}\n${durability}${note ? `${note}\n` : ''}`);
    const stop = () => {
      close().then(
        () => process.exit(0),
        (error: Error) => {
          process.stderr.write(`tenantpilot: error while stopping: ${error.message}\n`);
          process.exit(1);
        },
      );
    };
    // `once`: a second Ctrl-C while closing falls through to Node's default and ends the process at once.
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return { url, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
