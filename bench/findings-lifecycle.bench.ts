/**
 * Finding lifecycle benchmark (issue 10, part A), through the real app on both databases (PostgreSQL from
 * BENCH_DATABASE_URL or TEST_DATABASE_URL, and PGlite; BENCH_ONLY = postgres | pglite runs one):
 * - a bulk change of 1,000 findings (one request) against 1,000 single responsibility changes, in the same run;
 * - the CSV export of 100,000 findings (streamed over a real socket) against paging the same list as JSON through
 *   its cursors (200 a page), in rows per second, and the server process's memory growth while it streams.
 * Targets: bulk ≥ 5× faster; CSV ≥ 5× the rows/s; memory growth < 50 MB. Ratios within one run, not timed tests.
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { type Database, queryRows } from '../src/server/db/client.ts';
import { createApiToken } from '../test/helpers/factories.ts';
import { openBenchPglite, openBenchPostgres } from './bench-databases.ts';

const FINDINGS = 100_000;
const BULK = 1_000;
const PAGE = 200;

/** One workspace, one tenant with a manager and two members to assign, 100,000 open findings (one statement each). */
async function seed(database: Database) {
  const db = database.db;
  const statements = [
    `insert into workspaces (slug, name) values ('bench-lifecycle', 'Bench lifecycle')`,
    `insert into users (email, display_name, active) select 'life-' || g || '@example.test', 'Life user ' || g, true from generate_series(1, 3) g`,
    `insert into tenants (workspace_id, external_id, name) select id, 'bench-life', 'Bench life' from workspaces where slug = 'bench-lifecycle'`,
    `insert into workspace_memberships (workspace_id, user_id, role) select w.id, u.id, 'manager' from workspaces w, users u where w.slug = 'bench-lifecycle'`,
    `insert into tenant_memberships (tenant_id, workspace_id, user_id, role) select t.id, t.workspace_id, u.id, 'manager' from tenants t, users u where t.external_id = 'bench-life'`,
    `insert into findings (tenant_id, workspace_id, title, severity, workflow_status, detected_at)
       select t.id, t.workspace_id, 'Bench finding ' || g || ', with "quotes"',
         (array['low','medium','high','critical'])[1 + g % 4], (array['new','triaged','in_progress','reopened'])[1 + g % 4],
         timestamptz '2026-01-01' + g * interval '1 minute'
       from tenants t, generate_series(1, ${FINDINGS}) g where t.external_id = 'bench-life'`,
    'analyze',
  ];
  for (const statement of statements) await db.execute(sql.raw(statement));
  const users = await queryRows<{ id: number }>(
    db,
    sql`select id from users where email like 'life-%' order by id`,
  );
  const ids = await queryRows<{ id: number }>(
    db,
    sql`select f.id from findings f join tenants t on t.id = f.tenant_id where t.external_id = 'bench-life' order by f.id limit ${2 * BULK}`,
  );
  return { userIds: users.map((row) => Number(row.id)), findingIds: ids.map((row) => Number(row.id)) };
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

async function run(label: string, database: Database) {
  await database.migrate();
  const started = performance.now();
  const { userIds, findingIds } = await seed(database);
  const [me, a, b] = userIds as [number, number, number];
  console.log(
    `\n${label}: seeded ${FINDINGS.toLocaleString('en')} findings in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const headers = { authorization: `Bearer ${await createApiToken(database.db, { userId: me })}` };
  const base = '/admin/t/bench-life/findings';

  // 1,000 single changes (one request each) against one bulk change of another 1,000 findings.
  const singles = findingIds.slice(0, BULK);
  const bulkIds = findingIds.slice(BULK, 2 * BULK);
  let t0 = performance.now();
  for (const id of singles) {
    const response = await app.inject({
      method: 'POST',
      url: `${base}/${id}/responsibility`,
      headers,
      payload: { owner_user_id: a, assignee_user_id: b },
    });
    if (response.statusCode !== 200)
      throw new Error(`single change: ${response.statusCode} ${response.body}`);
  }
  const singleMs = performance.now() - t0;
  t0 = performance.now();
  const bulk = await app.inject({
    method: 'POST',
    url: `${base}/actions/bulk`,
    headers,
    payload: { finding_ids: bulkIds, change: { owner_user_id: a, assignee_user_id: b } },
  });
  const bulkMs = performance.now() - t0;
  if (bulk.statusCode !== 200 || bulk.json().changed !== BULK)
    throw new Error(`bulk: ${bulk.statusCode} ${bulk.body.slice(0, 200)}`);
  console.log(
    `bulk change of ${BULK}: ${bulkMs.toFixed(0)} ms; ${BULK} single changes: ${singleMs.toFixed(0)} ms; bulk is ${(singleMs / bulkMs).toFixed(1)}× faster (target ≥ 5×)`,
  );

  // Paging the list as JSON through its cursors, over the socket.
  t0 = performance.now();
  let jsonRows = 0;
  let cursor: string | null = null;
  do {
    const query: string = `limit=${PAGE}&workflow_status=any${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await (await fetch(`${address}${base}?${query}`, { headers })).json()) as {
      items: unknown[];
      next_cursor: string | null;
    };
    jsonRows += page.items.length;
    cursor = page.next_cursor;
  } while (cursor !== null);
  const jsonMs = performance.now() - t0;

  // The CSV export, read as it streams and thrown away; the process's memory sampled meanwhile.
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 20);
  t0 = performance.now();
  const response = await fetch(`${address}${base}?format=csv&workflow_status=any`, { headers });
  let lines = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const byte of value) if (byte === 10) lines++;
  }
  const csvMs = performance.now() - t0;
  clearInterval(sampler);
  const csvRows = lines - 1 - 0; // the header row; titles hold no line break here
  if (csvRows !== FINDINGS || jsonRows !== FINDINGS)
    throw new Error(`rows: csv ${csvRows}, json ${jsonRows}`);
  const csvRate = csvRows / (csvMs / 1000);
  const jsonRate = jsonRows / (jsonMs / 1000);
  console.log(
    `export of ${FINDINGS.toLocaleString('en')}: CSV ${csvMs.toFixed(0)} ms (${csvRate.toFixed(0)} rows/s); JSON pages of ${PAGE}: ${jsonMs.toFixed(0)} ms (${jsonRate.toFixed(0)} rows/s); CSV is ${(csvRate / jsonRate).toFixed(1)}× the rows/s (target ≥ 5×)`,
  );
  console.log(
    `memory while streaming: rss ${mb(rssBefore)} before, peak ${mb(rssPeak)}, growth ${mb(rssPeak - rssBefore)} (target < 50 MB)`,
  );
  await app.close();
}

const only = process.env.BENCH_ONLY;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (only !== 'pglite') {
  if (!serverUrl) console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  else {
    const { database, drop } = await openBenchPostgres(serverUrl, 'lifecycle');
    try {
      await run('PostgreSQL', database);
    } finally {
      await drop();
    }
  }
}
if (only !== 'postgres') {
  const { database, drop } = await openBenchPglite('lifecycle');
  try {
    await run('PGlite', database);
  } finally {
    await drop();
  }
}
