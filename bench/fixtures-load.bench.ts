/**
 * `fixtures load` and start-up benchmark (issue 12), on both databases (PostgreSQL from BENCH_DATABASE_URL or
 * TEST_DATABASE_URL, and PGlite; BENCH_ONLY = postgres | pglite runs one):
 * - rows/s loading the 110,000-row fixture (findings, a few users; BENCH_FIXTURE_ROWS changes the size) the
 *   way the command does (readFixtureFile, then loadFixtures), into a fresh migrated database;
 * - start to /healthz: `tenantpilot serve` spawned on that now existing database, the time until /healthz
 *   answers 200 (median of BENCH_STARTS runs, default 3).
 * BENCH_BEFORE_DIR names a checkout of the commit before (with node_modules): its loader and its `serve` are
 * measured in the same run, and the figures are printed as ratios. Targets: ≥ 20,000 rows/s, ≤ 1.2 s.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../src/server/db/client.ts';
import type { FixtureIds } from '../src/server/features/tenancy/fixtures.ts';
import { openBenchPglite, openBenchPostgres } from './bench-databases.ts';
import { largeFixture, recordCount } from './large-fixture.ts';

type Loader = {
  loadFixtures(db: Database['db'], data: unknown): Promise<FixtureIds>;
  readFixtureFile(file: string): Promise<unknown>;
};

const ROWS = Number(process.env.BENCH_FIXTURE_ROWS ?? 110_000);
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const root = path.resolve(import.meta.dirname, '..');
const beforeDir = process.env.BENCH_BEFORE_DIR ? path.resolve(process.env.BENCH_BEFORE_DIR) : null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bench-fixtures-'));

const trees: { label: string; root: string }[] = [
  { label: 'now', root },
  ...(beforeDir ? [{ label: 'before', root: beforeDir }] : []),
];

async function loaderOf(tree: string): Promise<Loader> {
  return (await import(path.join(tree, 'src/server/features/tenancy/fixtures.ts'))) as Loader;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

/** Spawns `tenantpilot serve` of `tree` on the database; ms until /healthz answers 200. */
async function startToHealthz(tree: string, env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(tree, 'bin/tenantpilot.js'), 'serve', '--port', String(port)],
    {
      cwd: tree,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr.slice(0, 500)}`);
      if (performance.now() - started > 120_000) throw new Error('serve did not answer /healthz in 120 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

interface Opened {
  database: Database;
  drop: () => Promise<void>;
  /** The environment that points `serve` at this database. */
  env: Record<string, string>;
  /** Closes the bench's own handle, so `serve` can open the database. */
  release: () => Promise<void>;
}

async function openPostgres(serverUrl: string, label: string): Promise<Opened> {
  const { database, drop } = await openBenchPostgres(serverUrl, label);
  const [row] = await queryRows<{ name: string }>(database.db, sql`select current_database() as name`);
  const url = new URL(serverUrl);
  url.pathname = `/${row?.name}`;
  return { database, drop, env: { DATABASE_URL: url.toString() }, release: async () => {} };
}

async function openPglite(label: string): Promise<Opened> {
  const { database } = await openBenchPglite(label);
  const dataDir = (database.db as unknown as { $client: { dataDir?: string } }).$client.dataDir as string;
  let released = false;
  return {
    database,
    env: { TENANTPILOT_DATA_DIR: dataDir },
    release: async () => {
      released = true;
      await database.close();
    },
    drop: async () => {
      if (!released) await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function run(kind: 'PostgreSQL' | 'PGlite', open: (label: string) => Promise<Opened>, file: string) {
  const rate: Record<string, number> = {};
  const start: Record<string, number> = {};
  for (const tree of trees) {
    const loader = await loaderOf(tree.root);
    const opened = await open(`fixtures_${tree.label}`);
    try {
      await opened.database.migrate();
      const t0 = performance.now();
      await loader.loadFixtures(opened.database.db, await loader.readFixtureFile(file));
      const ms = performance.now() - t0;
      rate[tree.label] = (ROWS * 1000) / ms;
      console.log(
        `${kind} ${tree.label}: fixtures load of ${ROWS.toLocaleString('en')} rows: ${ms.toFixed(0)} ms, ${rate[tree.label]?.toFixed(0)} rows/s (target ≥ 20,000)`,
      );
      await opened.release();
      const times: number[] = [];
      for (let i = 0; i < STARTS; i++) times.push(await startToHealthz(tree.root, opened.env));
      start[tree.label] = median(times);
      console.log(
        `${kind} ${tree.label}: start to /healthz on that database: median ${start[tree.label]?.toFixed(0)} ms of ${times.map((t) => t.toFixed(0)).join(', ')} (target ≤ 1,200)`,
      );
    } finally {
      await opened.drop();
    }
  }
  if (beforeDir) {
    console.log(
      `${kind}: fixtures load ${((rate.now as number) / (rate.before as number)).toFixed(1)}× the rows/s of before; start to /healthz ${((start.now as number) / (start.before as number)).toFixed(2)}× the time of before`,
    );
  }
}

const fixture = largeFixture(ROWS, 'bench');
if (recordCount(fixture) !== ROWS) throw new Error(`the fixture holds ${recordCount(fixture)} records`);
const file = path.join(dir, 'fixture.json');
fs.writeFileSync(file, JSON.stringify(fixture));
try {
  const only = process.env.BENCH_ONLY;
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (only !== 'pglite') {
    if (!serverUrl) console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    else await run('PostgreSQL', (label) => openPostgres(serverUrl, label), file);
  }
  if (only !== 'postgres') await run('PGlite', openPglite, file);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
