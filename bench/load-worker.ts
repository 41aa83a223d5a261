/**
 * The HTTP load generator, in a worker thread of its own so that counting and timing never wait behind the
 * orchestrating script. It drives autocannon (keep-alive connections, each with one request in flight) and
 * answers what the performance table needs: rate, latency percentiles, min/max, and the handoff outcomes.
 */
import { parentPort, type Worker, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { closedLoop } from './load.ts';
import { startTsWorker } from './ts-worker.ts';

export interface LoadRequest {
  url: string;
  inFlight: number;
  /** Seconds to run, or else `amount` requests in all. */
  seconds?: number;
  amount?: number;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutSeconds?: number;
  /**
   * autocannon (default) for rates; fetch through the shared closed loop where sub-millisecond latencies
   * matter (autocannon's histogram counts whole milliseconds).
   */
  engine?: 'autocannon' | 'fetch';
}

export interface LoadResult {
  /** 2xx answers per second of the run. */
  perSecond: number;
  answered: number;
  failed: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  /** `handoff_outcome` of the answers that carried one, counted. */
  outcomes: Record<string, number>;
}

async function generateWithFetch(request: LoadRequest): Promise<LoadResult> {
  let failed = 0;
  const figures = await closedLoop(
    request.inFlight,
    async () => {
      const response = await fetch(request.url, {
        method: request.method ?? 'GET',
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      await response.arrayBuffer();
      if (response.status >= 300) failed++;
    },
    { forMs: (request.seconds ?? 5) * 1000, total: request.amount },
  );
  return { ...figures, answered: figures.requests - failed, failed, outcomes: {} };
}

async function generate(request: LoadRequest): Promise<LoadResult> {
  if (request.engine === 'fetch') return generateWithFetch(request);
  const outcomes: Record<string, number> = {};
  const countOutcome = (_status: number, body: string) => {
    const outcome = /"handoff_outcome":"([a-z_]+)"/.exec(body)?.[1];
    if (outcome) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  };
  const options = {
    url: request.url,
    connections: request.inFlight,
    ...(request.amount === undefined ? { duration: request.seconds ?? 5 } : { amount: request.amount }),
    timeout: request.timeoutSeconds ?? 10,
    method: request.method ?? 'GET',
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    requests: [{ onResponse: countOutcome }],
  };
  // Off the main thread autocannon hands back its raw histograms (as it does to its own workers) to aggregate.
  const raw = await autocannon(options);
  const result = autocannon.aggregateResult([raw], options);
  return {
    perSecond: result['2xx'] / result.duration,
    answered: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    min: result.latency.min,
    max: result.latency.max,
    outcomes,
  };
}

/** One load run in a fresh worker thread. */
export async function runLoad(request: LoadRequest): Promise<LoadResult> {
  const worker: Worker = startTsWorker(new URL(import.meta.url), { request });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

if (parentPort && (workerData as { request?: LoadRequest } | null)?.request) {
  parentPort.postMessage(await generate((workerData as { request: LoadRequest }).request));
}
