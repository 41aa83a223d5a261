// Starts the app of support-requests-server.ts in its own worker thread on a fresh database, with one
// operator and their token, for the support-request benches.
import type { BenchServer } from './support-requests-server.ts';
import { startTsWorker } from './ts-worker.ts';

export interface BenchServerOptions {
  /** PostgreSQL to create the fresh database on; null: the embedded database. */
  serverUrl: string | null;
  /** The webhook desk's URL (used when `deskEnv` is not given). */
  deskUrl: string;
  /** The desk's SUPPORT_DESK_* environment, for any provider. */
  deskEnv?: Record<string, string>;
  /** The tenant's desk customer (the PSAs refuse a tenant without one). */
  deskCustomerId?: string | null;
}

export async function startBenchServer(options: BenchServerOptions) {
  const worker = startTsWorker(new URL('./support-requests-server.ts', import.meta.url), options);
  const server = await new Promise<BenchServer>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const stop = async () => {
    const closed = new Promise((resolve) => worker.once('message', resolve));
    worker.postMessage('close');
    await closed;
    await worker.terminate();
  };
  return { ...server, stop };
}
