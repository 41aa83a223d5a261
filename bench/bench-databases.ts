/**
 * A fresh database for one benchmark run: a new database on the PostgreSQL server named by the bench's URL,
 * or a PGlite directory under the system's temporary folder; `drop` removes it again.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPostgresPool, type Database, openEmbedded, wrapPostgres } from '../src/server/db/client.ts';

export interface BenchDatabase {
  database: Database;
  drop: () => Promise<void>;
}

/** A fresh, empty database on the PostgreSQL server at `serverUrl`: its URL, and `drop` to remove it. */
export async function createBenchPostgresDatabase(serverUrl: string, label: string) {
  const name = `tp_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  return { url: url.toString(), drop };
}

export async function openBenchPostgres(serverUrl: string, label: string): Promise<BenchDatabase> {
  const created = await createBenchPostgresDatabase(serverUrl, label);
  const database = wrapPostgres(createPostgresPool(created.url));
  const drop = async () => {
    await database.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await created.drop();
  };
  return { database, drop };
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * The PostgreSQL server a bench runs on: BENCH_DATABASE_URL or TEST_DATABASE_URL when set, else a throwaway
 * server of its own (Debian's PostgreSQL 15, fsync off as in the tests) on a free loopback port.
 */
export async function startBenchPostgresServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bench-pg-'));
  const port = await freePort();
  // initdb refuses to run as root: the server then belongs to the postgres user.
  const asOwner = (command: string, args: string[]) =>
    process.getuid?.() === 0
      ? (['runuser', ['-u', 'postgres', '--', command, ...args]] as const)
      : ([command, args] as const);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  const run = (command: string, args: string[]) => {
    const [file, argv] = asOwner(command, args);
    execFileSync(file, [...argv], { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  run(`${PG_BIN}/initdb`, ['-D', `${dir}/data`, '-U', 'postgres', '--auth=trust']);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=300`;
  run(`${PG_BIN}/pg_ctl`, ['-D', `${dir}/data`, '-l', `${dir}/log`, '-o', options, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      run(`${PG_BIN}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'immediate', 'stop']);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function openBenchPglite(label: string): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tp-bench-${label}-`));
  // As a command opens it (on its own thread, PostgreSQL's default settings).
  const database = await openEmbedded({ dataDir: dir });
  const drop = async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { database, drop };
}
