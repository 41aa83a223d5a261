import v8 from 'node:v8';

/**
 * How far V8 may grow its heap past what survived the last full collection, for a server with the embedded
 * database: 20 % instead of V8's own factor, which lets a busy server grow to two or three times its live
 * objects before it collects. Under the performance bench (Node 20, 110,000 findings) the server's peak
 * resident memory went from ~430 MiB to 273–315 MiB; in three alternating runs of each, its throughput was
 * 0–7 % lower. A server on PostgreSQL holds no database in its process (peak ~180–310 MiB without the
 * setting) and lost 6–8 % of its throughput to it, so it keeps V8's factor. Heap sizes proper
 * (`--max-old-space-size`, `--max-semi-space-size`) are fixed when V8 starts; this factor is read at every
 * collection, so it can be set from inside the process.
 */
const SERVING_HEAP_GROWTH_FLAG = '--heap-growing-percent=20';

/** For `serve` on the embedded database only (see above); a command exits when done. */
export function keepServingHeapTight(): void {
  v8.setFlagsFromString(SERVING_HEAP_GROWTH_FLAG);
}
