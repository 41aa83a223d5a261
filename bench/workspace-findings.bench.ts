/**
 * Workspace views benchmark (issue 10, part B): 1,000,000 findings over 50 tenants, an actor (owner) who sees all
 * 50, through the real app (buildApp + inject), on PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL) and
 * PGlite. Every figure is a ratio within one run:
 * - the workspace findings list, first page and a page 25,000 rows deep, unfiltered, accountability_gap=true
 *   and sort=severity, against the tenant findings list (its largest tenant) for the same filter and sort:
 *   p99 ≤ 2×; every plan printed (index walks);
 * - the workspace overview of 50 tenants against one tenant's dashboard: p99 ≤ 3×.
 *
 * BENCH_PGLITE_TOTAL (default 1,000,000) and BENCH_SEED_BUDGET_S (default 240) bound PGlite's seeding; BENCH_ONLY
 * = postgres | pglite runs one of the two.
 */
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/client.ts';
import type { App } from '../src/server/routing.ts';
import { createApiToken } from '../test/helpers/factories.ts';
import { openBenchPglite, openBenchPostgres } from './bench-databases.ts';
import { deepCursor, explainFindings, type Latency, measure, recordingDb } from './findings-measure.ts';
import { seedWorkspaceViews, TENANTS } from './workspace-findings-seed.ts';

const MAIN = 100_000;
const TOTAL = 1_000_000;
const DEEP_ROWS = 25_000;
const LIST_RATIO = 2;
const OVERVIEW_RATIO = 3;

const scenarios: [string, string][] = [
  ['unfiltered (newest)', ''],
  ['accountability_gap=true', 'accountability_gap=true'],
  ['sort=severity', 'sort=severity'],
];

const ms = (value: number) => value.toFixed(2).padStart(7);
const verdict = (ratio: number, limit: number) =>
  `${ratio.toFixed(2)}× ${ratio <= limit ? 'ok' : `OVER ${limit}×`}`;

interface Context {
  app: App;
  bearer: string;
  database: Database;
  recording: ReturnType<typeof recordingDb>;
  opts: { count: number; concurrency: number; seconds: number };
}

/** The figures of one page, and its plan (the last list query the app sent, explained with its parameters). */
async function measurePage(context: Context, url: string) {
  const figures = await measure(context.app, context.bearer, url, context.opts);
  await context.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${context.bearer}`, accept: 'application/json' },
  });
  const query = context.recording.lastListQuery();
  const plan = query ? await explainFindings(context.database.db, query) : null;
  const planText = plan
    ? `${plan.seqScan ? 'SEQ SCAN! ' : ''}${plan.indexes}; ${plan.findingsRows} rows; sort ${plan.largestSort}`
    : '?';
  return { figures, planText };
}

/** First page and the page DEEP_ROWS in (or as deep as the list goes) of one list and query. */
async function pagesOf(context: Context, base: string, query: string) {
  const deep = await deepCursor(context.app, context.bearer, `${base}${query}`, DEEP_ROWS);
  const pages: [string, string][] = [['first', `${base}${query}&limit=50`]];
  if (deep.cursor) {
    pages.push([`deep @${deep.seen}`, `${base}${query}&limit=50&cursor=${encodeURIComponent(deep.cursor)}`]);
  }
  return pages;
}

const line = (name: string, page: string, figures: Latency, extra: string) =>
  `${name.padEnd(44)} ${page.padEnd(13)} ${ms(figures.p50)} ${ms(figures.p99)} ${figures.rps.toFixed(0).padStart(7)}  ${extra}`;

async function run(label: string, database: Database, total: number, budgetMs: number) {
  await database.migrate();
  const seeded = await seedWorkspaceViews(database.db, {
    mainCount: MAIN,
    totalCount: total,
    chunk: 100_000,
    budgetMs,
  });
  console.log(
    `\n${label}: seeded ${seeded.total.toLocaleString('en')} findings over ${TENANTS} tenants (${MAIN.toLocaleString('en')} in the largest) in ${(seeded.seedMs / 1000).toFixed(1)} s`,
  );
  const recording = recordingDb(database.db);
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    database: { ...database, db: recording.db },
  });
  await app.ready();
  const bearer = await createApiToken(database.db, { userId: seeded.meId });
  const opts =
    label === 'PostgreSQL'
      ? { count: 300, concurrency: 8, seconds: 2 }
      : { count: 150, concurrency: 4, seconds: 2 };
  const context: Context = { app, bearer, database, recording, opts };
  const tenantBase = `/admin/t/${seeded.mainExternalId}/findings?`;
  const workspaceBase = `/admin/w/${seeded.workspaceSlug}/findings?`;
  console.log(
    `${'list, scenario'.padEnd(44)} ${'page'.padEnd(13)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(7)}  plan (findings indexes; rows read; largest sort) / ratio`,
  );
  for (const [name, query] of scenarios) {
    const tenantPages = await pagesOf(context, tenantBase, query);
    const workspacePages = await pagesOf(context, workspaceBase, query);
    for (const [index, [page, url]] of workspacePages.entries()) {
      const tenantPage = tenantPages[index] ?? tenantPages.at(-1);
      if (!tenantPage) continue;
      const tenant = await measurePage(context, tenantPage[1]);
      console.log(line(`tenant ${name}`, tenantPage[0], tenant.figures, tenant.planText));
      const workspace = await measurePage(context, url);
      console.log(line(`workspace ${name}`, page, workspace.figures, workspace.planText));
      console.log(
        `${''.padEnd(44)} ${''.padEnd(13)} workspace p99 / tenant p99 = ${verdict(workspace.figures.p99 / tenant.figures.p99, LIST_RATIO)}`,
      );
    }
  }
  const dashboard = await measure(app, bearer, `/admin/t/${seeded.mainExternalId}`, opts);
  console.log(line('GET /admin/t/{tenant} (one dashboard)', 'first', dashboard, ''));
  const overview = await measure(app, bearer, `/admin/w/${seeded.workspaceSlug}/overview`, opts);
  console.log(line(`GET /admin/w/{workspace}/overview (${TENANTS} tenants)`, 'first', overview, ''));
  console.log(
    `${''.padEnd(44)} ${''.padEnd(13)} overview p99 / dashboard p99 = ${verdict(overview.p99 / dashboard.p99, OVERVIEW_RATIO)}`,
  );
  for (const [name, url] of [
    ['approval queue (pending)', `/admin/w/${seeded.workspaceSlug}/exceptions`],
    ['search (title prefix)', `/admin/w/${seeded.workspaceSlug}/search?q=Bench%20finding%2012`],
  ] as const) {
    console.log(line(name, 'first', await measure(app, bearer, url, opts), ''));
  }
  await app.close();
}

const only = process.env.BENCH_ONLY;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (only !== 'pglite') {
  if (!serverUrl) console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  else {
    const { database, drop } = await openBenchPostgres(serverUrl, 'workspace');
    try {
      await run('PostgreSQL', database, TOTAL, Number.POSITIVE_INFINITY);
    } finally {
      await drop();
    }
  }
}
if (only !== 'postgres') {
  const { database, drop } = await openBenchPglite('workspace');
  try {
    const total = Number(process.env.BENCH_PGLITE_TOTAL ?? TOTAL);
    await run('PGlite', database, total, Number(process.env.BENCH_SEED_BUDGET_S ?? 240) * 1000);
  } finally {
    await drop(); // closes the database, then removes its directory
  }
}
