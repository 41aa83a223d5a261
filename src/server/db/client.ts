import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg, NodePgSession } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { serverRoot } from '../server-root.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { EmbeddedThread } from './embedded-thread.ts';
import type { ThreadOpenOptions } from './embedded-thread-messages.ts';
import { migrationsPending } from './migrations-pending.ts';
import { preparingPglite } from './prepared-pglite.ts';
import { preparingClientClass } from './prepared-statements.ts';
import * as schema from './schema.ts';

/** The one database handle type: a transaction is assignable to it too, so queries take `Db` either way. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(serverRoot, 'db', 'migrations');
/**
 * A server keeps the embedded database's shared buffers at 16 MB: PostgreSQL's default 128 MB is memory the
 * WebAssembly heap touches and never gives back for as long as the server runs, and pages beyond them come from
 * the operating system's file cache, which is not the process's. A command keeps the default: it exits when
 * done, and a bulk load (fixtures load) with 16 MB spends a sixth of its time writing pages out and reading
 * them back. The database's thread gets an 8 MB young generation: the answers it builds die as soon as they
 * are sent: under the list, detail and submit loads of the performance fixture the serving process peaked at
 * 263–279 MiB with it and 297–305 MiB with V8's default, at the same rates within their noise.
 */
const SERVING_EMBEDDED_SETTINGS = { startParams: ['-c', 'shared_buffers=16MB'], youngGenerationMb: 8 };

export interface OpenOptions {
  /** For a server (long-running) rather than a command (see SERVING_EMBEDDED_SETTINGS). */
  serving?: boolean;
}
// Any constant shared by every TenantPilot process: serializes concurrent start-ups migrating one server.
const MIGRATION_LOCK_KEY = 727_001;

/** PGlite on this thread, for tests of the driver layer itself; the server runs it on its own (openEmbedded). */
export function wrapPglite(client: PGlite, onClose: () => void = () => {}): Database {
  return embeddedDatabase(preparingPglite(client), async () => {
    await client.close();
    onClose();
  });
}

/**
 * The embedded database on a thread of its own (embedded-thread.ts), as every server and command runs it:
 * a folder, a dump to start from (the test suite's template), or a database in memory.
 */
export async function openEmbedded(
  options: ThreadOpenOptions,
  onClose: () => void = () => {},
): Promise<Database> {
  const thread = await EmbeddedThread.open(options);
  return embeddedDatabase(thread, async () => {
    await thread.close();
    onClose();
  });
}

/** `client` is PGlite or what answers as it does (`query` and `transaction`: all Drizzle asks of it). */
function embeddedDatabase(client: PGlite | EmbeddedThread, close: () => Promise<void>): Database {
  const db = drizzlePglite({ client: client as PGlite, schema });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    async migrate() {
      if (await migrationsPending(db as unknown as Db, migrationsFolder))
        await migratePglite(db, { migrationsFolder });
    },
    close,
  };
}

/** The one way a pool is made, so that tests and benches run the server's statements as it does. */
export function createPostgresPool(url: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString: url, max, Client: preparingClientClass() });
}

export function wrapPostgres(pool: pg.Pool): Database {
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      if (!(await migrationsPending(db, migrationsFolder))) return;
      const connection = await pool.connect();
      try {
        await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migratePg(drizzlePg({ client: connection, schema }), { migrationsFolder });
      } finally {
        await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  if (config.kind === 'postgres') {
    const pool = createPostgresPool(config.url);
    // Fail at start-up, with the driver's reason, rather than on the first request.
    const probe = await pool.connect().catch(async (error: Error) => {
      await pool.end();
      throw new Error(`Cannot connect to PostgreSQL (DATABASE_URL): ${error.message}`);
    });
    probe.release();
    return wrapPostgres(pool);
  }
  const unlock = lockDataDir(config.dataDir);
  try {
    return await openEmbedded(
      { dataDir: config.dataDir, ...(options.serving ? SERVING_EMBEDDED_SETTINGS : {}) },
      unlock,
    );
  } catch (error) {
    unlock();
    throw error;
  }
}

export { schema };

/**
 * Whether independent transactions can run side by side: PostgreSQL through a pool; PGlite is one connection
 * and runs them one after the other. Asked of a transaction too, which has no `$client` of its own: the session
 * says which driver it runs on.
 */
export function runsConcurrently(db: Db): boolean {
  return (db as unknown as { session: unknown }).session instanceof NodePgSession;
}

/** Raw SQL rows on either driver (both answer `{ rows }`; int8 and numeric come back as a string on pg). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
