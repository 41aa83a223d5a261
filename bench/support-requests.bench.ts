// Support-request throughput and the handoff's effect on other requests, against the real app over HTTP.
// Run: npm run bench -- support-requests. On the embedded database, and also on PostgreSQL when
// BENCH_DATABASE_URL or TEST_DATABASE_URL names a server (a fresh database is created there and dropped).
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { createTestDatabase } from '../test/helpers/db.ts';
import * as make from '../test/helpers/factories.ts';
import { answer, type FakeDesk, startFakeDesk } from '../test/helpers/fake-desk.ts';

interface Row {
  database: string;
  scenario: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  note: string;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Runs `task` from `concurrency` workers until `total` calls are done or `forMs` has passed. */
async function load(
  concurrency: number,
  task: () => Promise<void>,
  limit: { total?: number; forMs?: number },
) {
  const latencies: number[] = [];
  const started = performance.now();
  let issued = 0;
  const more = () =>
    (limit.total === undefined || issued < limit.total) &&
    (limit.forMs === undefined || performance.now() - started < limit.forMs);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) {
        issued++;
        const t0 = performance.now();
        await task();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function freshDatabase(serverUrl: string | undefined) {
  const saved = process.env.TEST_DATABASE_URL;
  if (serverUrl) process.env.TEST_DATABASE_URL = serverUrl;
  else delete process.env.TEST_DATABASE_URL;
  try {
    return await createTestDatabase();
  } finally {
    if (saved === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = saved;
  }
}

async function benchOn(label: string, serverUrl: string | undefined, desk: FakeDesk): Promise<Row[]> {
  const database = await freshDatabase(serverUrl);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SUPPORT_DESK_PROVIDER: 'webhook',
    SUPPORT_DESK_URL: desk.url,
  });
  const app = await buildApp({ config, database });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const workspace = await make.createWorkspace(database.db);
    const tenant = await make.createTenant(database.db, workspace.id);
    const user = await make.createUser(database.db);
    await make.addTenantMember(database.db, tenant, user.id, 'operator');
    const headers = {
      authorization: `Bearer ${await make.createApiToken(database.db, user.id)}`,
      'content-type': 'application/json',
    };
    const submitUrl = `${base}/admin/t/${tenant.externalId}/support-requests/actions/submit`;
    const outcomes = new Map<string, number>();
    const submit = (handoff_mode: string) => async () => {
      const response = await fetch(submitUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ severity: 'normal', summary: 'Bench request', handoff_mode }),
      });
      const result = (await response.json()) as { handoff_outcome?: string };
      if (response.status !== 200) throw new Error(`submit answered ${response.status}`);
      const outcome = result.handoff_outcome ?? 'none';
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    };
    /** The outcomes since the last call, e.g. "created 300" — a loaded machine can push handoffs past 5 s. */
    const takeOutcomes = () => {
      const text = [...outcomes].map(([name, n]) => `${name.replace('external_', '')} ${n}`).join(', ');
      outcomes.clear();
      return text;
    };
    const rows: Row[] = [];
    const row = (scenario: string, r: Awaited<ReturnType<typeof load>>, note: string) =>
      rows.push({ database: label, scenario, ...r, note });

    await load(8, submit('internal_only'), { total: 50 }); // warm-up
    takeOutcomes();
    const internal = await load(16, submit('internal_only'), { forMs: 3000 });
    row('internal_only submit', internal, `16 concurrent, 3 s; ${takeOutcomes()}`);

    desk.respondWith(answer.delayed(200, answer.json(201, { reference: 'BENCH-1', url: null })));
    const created = await load(100, submit('create_external_ticket'), { total: 300, forMs: 10_000 });
    row('create_external_ticket, desk 200 ms', created, `100 concurrent, ideal 500/s; ${takeOutcomes()}`);

    desk.respondWith(answer.hang());
    desk.requests.length = 0;
    const hanging = Promise.all(Array.from({ length: 200 }, () => submit('create_external_ticket')()));
    while (desk.requests.length < 200) await new Promise((resolve) => setTimeout(resolve, 10));
    const cheapGet = (path: string) => async () => {
      const response = await fetch(`${base}${path}`, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    };
    row(
      'GET /admin/support-desk, 200 hanging',
      await load(4, cheapGet('/admin/support-desk'), { forMs: 1500 }),
      '4 concurrent',
    );
    row('GET /healthz, 200 hanging', await load(4, cheapGet('/healthz'), { forMs: 1500 }), '4 concurrent');
    const handoffsStarted = performance.now();
    await hanging;
    rows.push({
      database: label,
      scenario: '200 hanging handoffs end',
      requests: 200,
      perSecond: Number.NaN,
      p50: Number.NaN,
      p99: performance.now() - handoffsStarted,
      note: `p99 column: ms after the GETs until all answered (5 s budget); ${takeOutcomes()}`,
    });
    return rows;
  } finally {
    await app.close();
    await database.close();
  }
}

function printTable(rows: Row[]) {
  const fmt = (n: number, digits = 1) => (Number.isNaN(n) ? '-' : n.toFixed(digits));
  const lines = [
    ['database', 'scenario', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'note'],
    ...rows.map((r) => [
      r.database,
      r.scenario,
      String(r.requests),
      fmt(r.perSecond, 0),
      fmt(r.p50),
      fmt(r.p99),
      r.note,
    ]),
  ];
  const widths = lines[0]?.map((_, i) => Math.max(...lines.map((line) => line[i]?.length ?? 0))) ?? [];
  for (const line of lines) console.log(line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
}

const desk = await startFakeDesk();
try {
  const rows = await benchOn('embedded', undefined, desk);
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (serverUrl) rows.push(...(await benchOn('postgresql', serverUrl, desk)));
  printTable(rows);
} finally {
  await desk.close();
}
