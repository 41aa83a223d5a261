// Support-request throughput and the handoff's effect on other requests, against the real app over HTTP.
// Run: npm run bench -- support-requests. On the embedded database, and also on PostgreSQL when
// BENCH_DATABASE_URL or TEST_DATABASE_URL names a server (a fresh database is created there and dropped).
import { answer, type FakeDesk, startFakeDesk } from '../test/helpers/fake-desk.ts';
import { type LoadFigures, closedLoop as load } from './load.ts';
import { startBenchServer } from './support-requests-worker.ts';

interface Row {
  database: string;
  scenario: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  note: string;
}

async function benchOn(label: string, serverUrl: string | undefined, desk: FakeDesk): Promise<Row[]> {
  const server = await startBenchServer({ serverUrl: serverUrl ?? null, deskUrl: desk.url });
  const base = server.base;
  try {
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const submitUrl = `${base}/admin/t/${server.tenant}/support-requests/actions/submit`;
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
    const row = (scenario: string, r: LoadFigures, note: string) =>
      rows.push({ database: label, scenario, ...r, note });

    await load(8, submit('internal_only'), { total: 50 }); // warm-up
    takeOutcomes();
    const internal = await load(16, submit('internal_only'), { forMs: 3000 });
    row('internal_only submit', internal, `16 concurrent, 3 s; ${takeOutcomes()}`);

    // The same load against a desk that answers at once: if the 200 ms version reaches the same rate, the
    // limit is the machine's CPU and database, not requests waiting on the desk.
    desk.respondWith(answer.json(201, { reference: 'BENCH-1', url: null }));
    const instant = await load(100, submit('create_external_ticket'), { total: 1000, forMs: 15_000 });
    row('create_external_ticket, desk at once', instant, `100 concurrent; ${takeOutcomes()}`);

    desk.respondWith(answer.delayed(200, answer.json(201, { reference: 'BENCH-1', url: null })));
    const created = await load(100, submit('create_external_ticket'), { total: 1000, forMs: 15_000 });
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
    await server.stop();
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
