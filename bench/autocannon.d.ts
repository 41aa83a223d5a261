// The part of autocannon 9's API the benches use (the package ships no types).
declare module 'autocannon' {
  interface Histogram {
    min: number;
    max: number;
    p50: number;
    p99: number;
    average: number;
  }
  interface Options {
    url: string;
    connections: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: { onResponse?: (status: number, body: string) => void }[];
  }
  interface Result {
    duration: number;
    /** Absent from a run off the main thread: aggregateResult() computes it. */
    latency?: Histogram;
    requests: { total: number; sent: number };
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  interface Autocannon {
    (options: Options): Promise<Result>;
    aggregateResult(results: Result[], options: Options): Result & { latency: Histogram };
  }
  const autocannon: Autocannon;
  export default autocannon;
}
