// The handoff budget end to end: 200 create_external_ticket submits to a desk that never answers, each
// timed from the moment the client sent it to its answer (the target: every one 5.0–5.3 s), and a cheap
// GET's p99 meanwhile against its idle p99 (the target: ≤ 2×), on the embedded database and, when
// BENCH_DATABASE_URL or TEST_DATABASE_URL names a server, on PostgreSQL.
// Run: npm run bench -- handoff-budget.
import { answer, type FakeDesk, startFakeDesk } from '../test/helpers/fake-desk.ts';
import { startBenchServer } from './support-requests-worker.ts';

const IN_FLIGHT = 200;
const GET_CONCURRENCY = 4;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** GETs from `GET_CONCURRENCY` workers until `until()` says stop; their latencies, sorted. */
async function getLoad(url: string, headers: Record<string, string>, until: () => boolean) {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: GET_CONCURRENCY }, async () => {
      while (!until()) {
        const t0 = performance.now();
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

interface Figures {
  database: string;
  answers: number[];
  outcomes: Map<string, number>;
  idleP99: number;
  busyP99: number;
  busyGets: number;
}

async function benchOn(database: string, serverUrl: string | null, desk: FakeDesk): Promise<Figures> {
  const server = await startBenchServer({ serverUrl, deskUrl: desk.url });
  try {
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const cheapUrl = `${server.base}/admin/support-desk`;
    const warmUntil = performance.now() + 1500;
    await getLoad(cheapUrl, headers, () => performance.now() > warmUntil);
    const idleUntil = performance.now() + 3000;
    const idle = await getLoad(cheapUrl, headers, () => performance.now() > idleUntil);

    desk.respondWith(answer.hang());
    const submitUrl = `${server.base}/admin/t/${server.tenant}/support-requests/actions/submit`;
    const body = JSON.stringify({
      severity: 'normal',
      summary: 'Bench hung-desk request',
      handoff_mode: 'create_external_ticket',
    });
    const outcomes = new Map<string, number>();
    let open = IN_FLIGHT;
    const submits = Array.from({ length: IN_FLIGHT }, async () => {
      const sent = performance.now();
      try {
        const response = await fetch(submitUrl, { method: 'POST', headers, body });
        const result = (await response.json()) as { handoff_outcome?: string };
        const outcome =
          response.status === 200 ? (result.handoff_outcome ?? 'none') : `HTTP ${response.status}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        return performance.now() - sent;
      } finally {
        open--;
      }
    });
    const busy = await getLoad(cheapUrl, headers, () => open === 0);
    const answers = (await Promise.all(submits)).sort((a, b) => a - b);
    return {
      database,
      answers,
      outcomes,
      idleP99: percentile(idle, 99),
      busyP99: percentile(busy, 99),
      busyGets: busy.length,
    };
  } finally {
    await server.stop();
  }
}

function print(all: Figures[]) {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const lines = [
    [
      'database',
      'answers',
      'min s',
      'p50 s',
      'max s',
      'in 5.0–5.3 s',
      'GET p99 idle ms',
      'GET p99 busy ms',
      'ratio',
      'outcomes',
    ],
    ...all.map((f) => [
      f.database,
      String(f.answers.length),
      s(f.answers[0] ?? Number.NaN),
      s(percentile(f.answers, 50)),
      s(f.answers.at(-1) ?? Number.NaN),
      `${f.answers.filter((ms) => ms >= 5000 && ms <= 5300).length}/${f.answers.length}`,
      f.idleP99.toFixed(1),
      `${f.busyP99.toFixed(1)} (${f.busyGets} GETs)`,
      `${(f.busyP99 / f.idleP99).toFixed(2)}×`,
      [...f.outcomes].map(([name, n]) => `${name.replace('external_', '')} ${n}`).join(', '),
    ]),
  ];
  const widths = lines[0]?.map((_, i) => Math.max(...lines.map((line) => line[i]?.length ?? 0))) ?? [];
  for (const line of lines) console.log(line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
}

const desk = await startFakeDesk();
try {
  const figures = [await benchOn('embedded', null, desk)];
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (serverUrl) figures.push(await benchOn('postgresql', serverUrl, desk));
  print(figures);
} finally {
  await desk.close();
}
