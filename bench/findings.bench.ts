/**
 * Findings list benchmark (issue 4, part 8): 100,000 findings in one tenant and 1,000,000 in the installation,
 * through the real app (buildApp + inject), first page and a deep cursor page (25,000 rows in, "page 500" at 50 a
 * page), unfiltered and filtered, on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL) and PGlite.
 *
 * BENCH_PGLITE_TOTAL (default 1,000,000) and BENCH_SEED_BUDGET_S (default 180) bound PGlite's seeding; BENCH_ONLY
 * = postgres | pglite runs one of the two.
 */
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/client.ts';
import { createApiToken } from '../test/helpers/factories.ts';
import { openBenchPglite, openBenchPostgres } from './bench-databases.ts';
import { deepCursor, explainFindings, measure, recordingDb } from './findings-measure.ts';
import { seedAll } from './findings-seed.ts';

const MAIN = 100_000;
const TOTAL = 1_000_000;
const DEEP_ROWS = 25_000;

const scenarios: [string, string][] = [
  ['unfiltered (newest)', ''],
  ['owner=me', 'owner=me'],
  ['accountability_gap=true', 'accountability_gap=true'],
  ['severity=critical', 'severity=critical'],
  ['sort=severity', 'sort=severity'],
  ['sort=detected', 'sort=detected'],
  ['responsibility_state=owned_unassigned', 'responsibility_state=owned_unassigned'],
  ['workflow_status=risk_accepted', 'workflow_status=risk_accepted'],
  ['gap=true & sort=severity', 'accountability_gap=true&sort=severity'],
];

const ms = (value: number) => value.toFixed(2).padStart(7);

async function run(label: string, database: Database, total: number, budgetMs: number) {
  await database.migrate();
  const seeded = await seedAll(database.db, { mainCount: MAIN, totalCount: total, chunk: 100_000, budgetMs });
  console.log(
    `\n${label}: seeded ${seeded.total.toLocaleString('en')} findings (${MAIN.toLocaleString('en')} in the measured tenant) in ${(seeded.seedMs / 1000).toFixed(1)} s`,
  );
  const recording = recordingDb(database.db);
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    database: { ...database, db: recording.db },
  });
  await app.ready();
  const bearer = await createApiToken(database.db, { userId: seeded.meId });
  const base = `/admin/t/${seeded.mainExternalId}/findings?`;
  const opts =
    label === 'PostgreSQL'
      ? { count: 300, concurrency: 8, seconds: 2 }
      : { count: 150, concurrency: 4, seconds: 2 };
  console.log(
    `${'scenario'.padEnd(40)} ${'page'.padEnd(13)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(7)}  plan (findings index; rows read; largest sort)`,
  );
  for (const [name, query] of scenarios) {
    const deep = await deepCursor(app, bearer, `${base}${query}`, DEEP_ROWS);
    const pages: [string, string][] = [[`first`, `${base}${query}&limit=50`]];
    if (deep.cursor)
      pages.push([
        `deep @${deep.seen}`,
        `${base}${query}&limit=50&cursor=${encodeURIComponent(deep.cursor)}`,
      ]);
    for (const [page, url] of pages) {
      const figures = await measure(app, bearer, url, opts);
      await app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
      });
      const query = recording.lastListQuery();
      const plan = query ? await explainFindings(database.db, query) : null;
      const planText = plan
        ? `${plan.seqScan ? 'SEQ SCAN! ' : ''}${plan.indexes}; ${plan.findingsRows}; ${plan.largestSort}`
        : '?';
      console.log(
        `${name.padEnd(40)} ${page.padEnd(13)} ${ms(figures.p50)} ${ms(figures.p99)} ${figures.rps.toFixed(0).padStart(7)}  ${planText}`,
      );
    }
  }
  for (const [name, url] of [
    ['GET /admin/my-work', '/admin/my-work?limit=50'],
    ['GET /admin/t/{tenant} (dashboard counts)', `/admin/t/${seeded.mainExternalId}`],
  ] as const) {
    const figures = await measure(app, bearer, url, opts);
    console.log(
      `${name.padEnd(40)} ${'first'.padEnd(13)} ${ms(figures.p50)} ${ms(figures.p99)} ${figures.rps.toFixed(0).padStart(7)}`,
    );
  }
  await app.close();
}

const only = process.env.BENCH_ONLY;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (only !== 'pglite') {
  if (!serverUrl) console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  else {
    const { database, drop } = await openBenchPostgres(serverUrl, 'findings');
    try {
      await run('PostgreSQL', database, TOTAL, Number.POSITIVE_INFINITY);
    } finally {
      await drop();
    }
  }
}
if (only !== 'postgres') {
  const { database, drop } = await openBenchPglite('findings');
  try {
    const total = Number(process.env.BENCH_PGLITE_TOTAL ?? TOTAL);
    await run('PGlite', database, total, Number(process.env.BENCH_SEED_BUDGET_S ?? 180) * 1000);
  } finally {
    await database.close();
    await drop();
  }
}
