import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  createPostgresPool,
  type Database,
  openEmbedded,
  wrapPglite,
  wrapPostgres,
} from '../../src/server/db/client.ts';

const migrationsDir = path.resolve(import.meta.dirname, '../../src/server/db/migrations');
const cacheDir = path.resolve(import.meta.dirname, '../../node_modules/.cache/tenantpilot');

/** Changes whenever a migration changes, so a stale template is never reused. */
function migrationsHash(): string {
  const digest = createHash('sha256');
  for (const file of fs.readdirSync(migrationsDir, { recursive: true }).map(String).sort()) {
    const full = path.join(migrationsDir, file);
    if (fs.statSync(full).isFile()) digest.update(file).update(fs.readFileSync(full));
  }
  return digest.digest('hex').slice(0, 12);
}

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(cacheDir, `pglite-template-${migrationsHash()}.tar.gz`);
  if (!fs.existsSync(file)) {
    const database = wrapPglite(new PGlite());
    await database.migrate();
    const dump = await (database as unknown as { db: { $client: PGlite } }).db.$client.dumpDataDir('gzip');
    await database.close();
    fs.mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file); // atomic: parallel test files never read half a template
  }
  return new Blob([fs.readFileSync(file)]);
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function postgresTemplate(admin: pg.Client, serverUrl: string): Promise<string> {
  const template = `tp_template_${migrationsHash()}`;
  await admin.query('select pg_advisory_lock(727002)');
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [template]);
    if (found.rowCount === 0) {
      await admin.query(`create database "${template}"`);
      const pool = createPostgresPool(withDatabase(serverUrl, template), 1);
      const database = wrapPostgres(pool);
      await database.migrate();
      await database.close();
    }
  } finally {
    await admin.query('select pg_advisory_unlock(727002)');
  }
  return template;
}

/**
 * A fresh, migrated database of its own for one test file: a PGlite loaded from a migrated template, or,
 * when TEST_DATABASE_URL names a PostgreSQL server, a new database created from a migrated template there.
 */
export async function createTestDatabase(): Promise<Database & { url: string | null }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    return {
      ...(await openEmbedded({ dataDir: undefined, loadDataDir: await pgliteTemplate() })),
      url: null,
    };
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `tp_test_${randomBytes(6).toString('hex')}`;
  try {
    const template = await postgresTemplate(admin, serverUrl);
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const database = wrapPostgres(createPostgresPool(url));
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      // pool.end() resolves before its sockets have closed; forcing the drop while they close makes the pool's
      // clients emit "terminating connection" as an uncaught error. Give them a moment to go first.
      for (let i = 0; i < 40; i++) {
        const open = await cleanup.query('select 1 from pg_stat_activity where datname = $1', [name]);
        if (open.rowCount === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await cleanup.query(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
