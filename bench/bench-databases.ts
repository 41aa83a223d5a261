/**
 * A fresh database for one benchmark run: a new database on the PostgreSQL server named by the bench's URL,
 * or a PGlite directory under the system's temporary folder; `drop` removes it again.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, wrapPglite, wrapPostgres } from '../src/server/db/client.ts';

export interface BenchDatabase {
  database: Database;
  drop: () => Promise<void>;
}

export async function openBenchPostgres(serverUrl: string, label: string): Promise<BenchDatabase> {
  const name = `tp_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = wrapPostgres(new pg.Pool({ connectionString: url.toString(), max: 10 }));
  const drop = async () => {
    await database.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  return { database, drop };
}

export async function openBenchPglite(label: string): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tp-bench-${label}-`));
  const client = new PGlite(dir);
  await client.waitReady;
  const database = wrapPglite(client);
  const drop = async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { database, drop };
}
