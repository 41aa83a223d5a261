import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module. Module hooks are per thread on Node 20, so the worker
 * registers tsx itself before it loads `entry`.
 */
export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
