/** The load loops every benchmark shares: percentiles, and a closed loop of N callers over one async task. */

export interface LoadFigures {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Runs `task` from `concurrency` callers until `total` calls are done or `forMs` has passed. */
export async function closedLoop(
  concurrency: number,
  task: () => Promise<void>,
  limit: { total?: number; forMs?: number },
): Promise<LoadFigures> {
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
    min: latencies[0] ?? Number.NaN,
    max: latencies.at(-1) ?? Number.NaN,
  };
}
