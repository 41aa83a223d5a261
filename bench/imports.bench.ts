/**
 * Imports benchmark (issue 14), through the real app over a real socket on both databases (PostgreSQL from
 * BENCH_DATABASE_URL or TEST_DATABASE_URL, and PGlite; BENCH_ONLY = postgres | pglite runs one):
 * - a merged Maester file of 50 tenants × 300 failed checks (15,000 new findings, each test with its
 *   ScriptBlock, ErrorRecord and markdown as Maester writes them), streamed from disk to
 *   POST /admin/w/{workspace}/imports, against `fixtures load` of a file with the same number of findings
 *   (readFixtureFile + loadFixtures, what the command runs), in the same run: time per finding;
 * - the process's memory (the server runs in it) while it imports, sampled every 10 ms, against the file's size.
 * Targets: the import at least as fast per finding as the fixtures; memory growth < 2× the file.
 * Ratios within one run, not timed tests.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { type Database, queryRows } from '../src/server/db/client.ts';
import { loadFixtures, readFixtureFile } from '../src/server/features/tenancy/fixtures.ts';
import { createApiToken } from '../test/helpers/factories.ts';
import { maesterMerged, maesterResult } from '../test/helpers/result-files.ts';
import { openBenchPglite, openBenchPostgres } from './bench-databases.ts';

const TENANTS = 50;
const CHECKS = 300;
const FINDINGS = TENANTS * CHECKS;
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const writeOnly = process.argv[2] === '--write-files';
const dir = writeOnly
  ? (process.argv[3] as string)
  : fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bench-imports-'));

const directoryOf = (tenant: number) => `00000000-0000-4000-8000-${String(tenant).padStart(12, '0')}`;

/** The merged Maester file, written once: 50 tenants × 300 failed tests. */
function writeMaesterFile(): void {
  const file = path.join(dir, 'TestResults-merged.json');
  const results = Array.from({ length: TENANTS }, (_, t) =>
    maesterResult({
      tenantId: directoryOf(t + 1),
      executedAt: '2026-11-20T10:00:00Z',
      scriptPadding: 600,
      tests: Array.from({ length: CHECKS }, (_, i) => ({
        id: `MT.${1000 + i}`,
        title: `Conditional Access check ${i} is configured`,
        result: 'Failed' as const,
        severity: (['Critical', 'High', 'Medium', 'Low', 'Info'] as const)[i % 5],
        description: `## Why\n\nCheck ${i} protects sign-ins. See [the docs](https://maester.dev/docs/tests/MT.${1000 + i}).`,
        evidence: `| Policy | State |\n| --- | --- |\n| Policy ${i} | disabled |`,
      })),
    }),
  );
  fs.writeFileSync(file, JSON.stringify(maesterMerged(results)));
}

/** A fixture file with the same number of findings, over 50 tenants of a workspace of its own. */
function writeFixtureFile(): void {
  const file = path.join(dir, 'fixture.json');
  const tenants = Array.from({ length: TENANTS }, (_, t) => ({
    key: `t${t}`,
    workspace: 'fx',
    external_id: `fixture-tenant-${t}`,
    name: `Fixture tenant ${t}`,
  }));
  const findings = Array.from({ length: FINDINGS }, (_, i) => ({
    key: `f${i}`,
    tenant: `t${i % TENANTS}`,
    title: `Conditional Access check ${i} is configured`,
    severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4],
    workflow_status: 'new',
    detected_at: '2026-11-20T10:00:00Z',
  }));
  fs.writeFileSync(
    file,
    JSON.stringify({ workspaces: [{ key: 'fx', name: 'Fixtures', slug: 'fixtures' }], tenants, findings }),
  );
}

async function seed(database: Database) {
  const statements = [
    `insert into workspaces (slug, name) values ('bench-imports', 'Bench imports')`,
    `insert into users (email, display_name, active) values ('importer@example.test', 'Importer', true)`,
    `insert into tenants (workspace_id, external_id, name, directory_id)
       select w.id, 'bench-import-' || g, 'Bench import ' || g, '00000000-0000-4000-8000-' || lpad(g::text, 12, '0')
       from workspaces w, generate_series(1, ${TENANTS}) g where w.slug = 'bench-imports'`,
    `insert into workspace_memberships (workspace_id, user_id, role)
       select w.id, u.id, 'manager' from workspaces w, users u where w.slug = 'bench-imports'`,
    `insert into tenant_memberships (tenant_id, workspace_id, user_id, role)
       select t.id, t.workspace_id, u.id, 'manager' from tenants t, users u where t.external_id like 'bench-import-%'`,
  ];
  for (const statement of statements) await database.db.execute(sql.raw(statement));
  const [user] = await queryRows<{ id: number }>(
    database.db,
    sql`select id from users where email = 'importer@example.test'`,
  );
  return Number(user?.id);
}

/** POSTs the file streamed from disk, as a client on another machine would; the answer's JSON. */
function postFile(
  address: string,
  url: string,
  token: string,
  file: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${address}${url}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': fs.statSync(file).size,
        accept: 'application/json',
      },
    });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    fs.createReadStream(file).pipe(request);
  });
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
const perFinding = (ms: number) => `${((ms * 1000) / FINDINGS).toFixed(0)} µs/finding`;

async function run(label: string, database: Database, maesterFile: string, fixtureFile: string) {
  await database.migrate();
  const userId = await seed(database);
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const token = await createApiToken(database.db, { userId });
  const size = fs.statSync(maesterFile).size;

  // The import, the process's memory sampled meanwhile.
  gc();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed + before.external + before.arrayBuffers;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    rssPeak = Math.max(rssPeak, now.rss);
    heapPeak = Math.max(heapPeak, now.heapUsed + now.external + now.arrayBuffers);
  }, 10);
  let t0 = performance.now();
  const answer = await postFile(address, '/admin/w/bench-imports/imports', token, maesterFile);
  const importMs = performance.now() - t0;
  clearInterval(sampler);
  if (answer.status !== 201) throw new Error(`import: ${answer.status} ${answer.body.slice(0, 300)}`);
  const counts = JSON.parse(answer.body).counts;
  if (counts.created !== FINDINGS) throw new Error(`import created ${counts.created}`);

  // fixtures load of the same number of findings: reading, checking and writing, as the command does.
  t0 = performance.now();
  await loadFixtures(database.db, await readFixtureFile(fixtureFile));
  const fixturesMs = performance.now() - t0;
  const [row] = await queryRows<{ n: number | string }>(database.db, sql`select count(*) as n from findings`);
  if (Number(row?.n) !== 2 * FINDINGS) throw new Error(`findings: ${row?.n}`);

  console.log(
    `\n${label}: import of a ${mb(size)} merged Maester file (${TENANTS} tenants × ${CHECKS} failed checks): ${importMs.toFixed(0)} ms, ${perFinding(importMs)}; fixtures load of ${FINDINGS.toLocaleString('en')} findings: ${fixturesMs.toFixed(0)} ms, ${perFinding(fixturesMs)}; the import is ${(fixturesMs / importMs).toFixed(2)}× as fast per finding (target ≥ 1×)`,
  );
  console.log(
    `memory while importing: rss ${mb(before.rss)} before, peak ${mb(rssPeak)}, growth ${mb(rssPeak - before.rss)} = ${((rssPeak - before.rss) / size).toFixed(2)}× the file; heap + buffers growth ${mb(heapPeak - (before.heapUsed + before.external + before.arrayBuffers))} (target < 2× the file, ${mb(2 * size)})`,
  );
  await app.close();
}

if (writeOnly) {
  writeMaesterFile();
  writeFixtureFile();
  process.exit(0);
}
// The files are written by a child process: building 33 MB of JSON here would grow this process's heap
// before the import is measured, and hide what the import itself needs.
const written = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--write-files', dir], {
  stdio: 'inherit',
});
if (written.status !== 0) throw new Error('writing the bench files failed');
const maesterFile = path.join(dir, 'TestResults-merged.json');
const fixtureFile = path.join(dir, 'fixture.json');
try {
  const only = process.env.BENCH_ONLY;
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (only !== 'pglite') {
    if (!serverUrl) console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    else {
      const { database, drop } = await openBenchPostgres(serverUrl, 'imports');
      try {
        await run('PostgreSQL', database, maesterFile, fixtureFile);
      } finally {
        await drop();
      }
    }
  }
  if (only !== 'postgres') {
    const { database, drop } = await openBenchPglite('imports');
    try {
      await run('PGlite', database, maesterFile, fixtureFile);
    } finally {
      await drop();
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
