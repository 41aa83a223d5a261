/**
 * Issue 12's performance table in one run, on both databases: the findings list and a finding's detail at 32
 * in flight and `internal_only` submits at 16, each beside a bare node:http server replaying the same answer;
 * `create_external_ticket` at 100 in flight against a desk answering after 200 ms (beside the ideal 500/s);
 * 200 handoffs to a hung desk; `fixtures load` rows/s; start to /healthz; the server's peak memory.
 *
 *   npm run bench -- performance [--before <commit>] [--json <file>] [--rows 110000] [--measured 5000]
 *                                [--seconds 5] [--only pglite|postgres]
 *
 * Every server is `node bin/tenantpilot.js serve` in a process of its own, the load generator a worker thread
 * of this one. With --before, that commit is checked out as a git worktree beside this tree and benched in the
 * same run, database by database, so that "before", "now" and their ratio come from the same machine state.
 * PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL, else a server of its own on a loopback port.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { answer, startFakeDesk } from '../test/helpers/fake-desk.ts';
import { startBareServer } from './bare-server.ts';
import { createBenchPostgresDatabase, freePort, startBenchPostgresServer } from './bench-databases.ts';
import { BENCH_EMAIL, BENCH_TENANT, DETAIL_FINDING_KEY, writeBenchFixture } from './performance-fixture.ts';
import { measureRequests } from './performance-scenarios.ts';
import { checkoutTree, runCli, startServer, type Tree, treeEnv } from './performance-server.ts';
import { printTable, type TreeFigures, tableRows } from './performance-table.ts';

const { values: options } = parseArgs({
  options: {
    before: { type: 'string' },
    json: { type: 'string' },
    rows: { type: 'string', default: '110000' },
    measured: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
  allowPositionals: true,
});
const root = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bench-performance-'));
const seconds = Number(options.seconds);
const databases = (['pglite', 'postgres'] as const).filter((db) => !options.only || options.only === db);

const fixtureFile = path.join(work, 'fixture.json');
const fixtureRows = writeBenchFixture(fixtureFile, {
  rows: Number(options.rows),
  measured: Number(options.measured),
});
const now: Tree = { label: gitHead(), root, remove: () => {} };
const trees = options.before ? [checkoutTree(root, options.before), now] : [now];
console.log(
  `performance: ${fixtureRows.toLocaleString('en')}-row fixture (${options.measured} findings in the measured tenant); ` +
    `trees ${trees.map((t) => t.label).join(', ')}; ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)} at start`,
);

const desk = await startFakeDesk(answer.json(201, { reference: 'BENCH-1', url: null }));
const bare = await startBareServer();
const postgres = databases.includes('postgres') ? await startBenchPostgresServer() : null;
const figures: Record<string, Record<string, TreeFigures>> = {};
try {
  for (const database of databases) {
    figures[database] = {};
    for (const [i, tree] of trees.entries()) {
      const column = trees.length > 1 && i === 0 ? 'before' : 'now';
      console.log(`  ${database}, ${column} (${tree.label}) …`);
      (figures[database] as Record<string, TreeFigures>)[column] = await benchTree(tree, database, column);
    }
  }
} finally {
  await bare.close();
  await desk.close();
  await postgres?.stop();
  for (const tree of trees) tree.remove();
  fs.rmSync(work, { recursive: true, force: true });
}

const rows = tableRows(figures);
printTable(rows, databases, trees.length > 1);
if (options.json) {
  const report = {
    measured_at: new Date().toISOString(),
    machine: { cores: os.cpus().length, load_average_at_end: os.loadavg() },
    fixture_rows: fixtureRows,
    measured_findings: Number(options.measured),
    seconds_per_figure: seconds,
    trees: Object.fromEntries(
      trees.map((tree, i) => [trees.length > 1 && i === 0 ? 'before' : 'now', tree.label]),
    ),
    rows,
    raw: figures,
  };
  fs.mkdirSync(path.dirname(options.json), { recursive: true });
  fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nJSON: ${options.json}`);
}

function gitHead(): string {
  const head = execFileSync('git', ['rev-parse', '--short=8', 'HEAD'], { cwd: root }).toString().trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bin'], { cwd: root }).length > 0;
  return dirty ? `${head}+changes` : head;
}

/** One tree on a fresh database: migrate, load the fixture, start, measure, stop. */
async function benchTree(tree: Tree, database: 'pglite' | 'postgres', column: string): Promise<TreeFigures> {
  const label = `${database}-${column}`;
  const created =
    database === 'postgres' && postgres
      ? await createBenchPostgresDatabase(postgres.url, label.replace(/-/g, '_'))
      : null;
  const dataDir = path.join(work, label);
  const env = treeEnv(created ? { url: created.url } : { dataDir }, {
    SUPPORT_DESK_PROVIDER: 'webhook',
    SUPPORT_DESK_URL: desk.url,
  });
  try {
    await runCli(tree, env, ['migrate']);
    const load = await runCli(tree, env, ['fixtures', 'load', fixtureFile]);
    const ids = JSON.parse(load.stdout) as { findings: Record<string, number> };
    const token = await runCli(tree, env, ['tokens', 'create', '--email', BENCH_EMAIL]);
    const bearer = token.stdout.trim().split('\n').at(-1) ?? '';
    const server = await startServer(tree, env, await freePort(), path.join(work, `${label}.log`));
    try {
      const target = {
        url: server.url,
        bearer,
        tenant: BENCH_TENANT,
        findingId: ids.findings[DETAIL_FINDING_KEY] as number,
      };
      const requests = await measureRequests(target, desk, bare, seconds);
      return {
        ...requests,
        fixtureRowsPerSecond: fixtureRows / (load.ms / 1000),
        startToHealthzMs: server.startMs,
        peakRssMiB: server.peakRssMiB(),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await created?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
