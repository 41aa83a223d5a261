import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParserOptions, QueryOptions, Results } from '@electric-sql/pglite';
import { serverRoot } from '../server-root.ts';
import type {
  ThreadAnswer,
  ThreadError,
  ThreadOpenOptions,
  ThreadRequest,
} from './embedded-thread-messages.ts';

const fromSources = import.meta.url.endsWith('.ts');
// The build compiles the worker beside the server as an entry of its own (scripts/ensure-server-build.js).
const workerFile = path.join(serverRoot, 'db', `embedded-thread-worker${fromSources ? '.ts' : '.js'}`);

/**
 * Run from the sources (tests, benches), the worker is TypeScript: Node 20 does not carry the process's
 * `--import tsx` into a worker, so the worker registers tsx itself before it imports its module.
 */
function startWorker(options: ThreadOpenOptions): Worker {
  const limits = options.youngGenerationMb
    ? { resourceLimits: { maxYoungGenerationSizeMb: options.youngGenerationMb } }
    : {};
  if (!fromSources) return new Worker(workerFile, { workerData: options, ...limits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const script = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(pathToFileURL(workerFile).href)}); })`;
  return new Worker(script, { eval: true, workerData: options, ...limits });
}

type Pending = { resolve(result: unknown): void; reject(error: Error): void };
type QueryRequest = Extract<ThreadRequest, { kind: 'query' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What PGlite's statements answer with, for the one query of a transaction or of the database. */
export interface EmbeddedQueryRunner {
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
}

/** With the server thread's stack, which names the caller: the worker's would name only its own frames. */
function rebuiltError({ name, message, ...fields }: ThreadError): Error {
  const error = Object.assign(new Error(message), fields);
  error.name = name;
  return error;
}

/**
 * The embedded database on a thread of its own: PGlite runs a statement synchronously, so on the server's
 * thread every statement stopped HTTP, JSON and the desks' calls for as long as it ran, and a slow one stalled
 * every request. Here the server's thread sends each statement as one message (the prepared-statement
 * wrapper, prepared-pglite.ts, runs beside PGlite on the database's thread) and reads the answer; statements
 * still run one at a time, in the order sent, as on PGlite's one connection.
 *
 * It answers what Drizzle asks of a PGlite client: `query`, and `transaction`, whose callback's statements run
 * in a transaction the database's thread holds open until the callback ends (commit) or throws (rollback).
 * A value PGlite would read with a caller's parser comes across as PostgreSQL's text and is parsed here, by the
 * caller's own function (Drizzle reads dates as text).
 */
export class EmbeddedThread implements EmbeddedQueryRunner {
  readonly dataDir: string | undefined;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly textTypes = new WeakMap<ParserOptions, number[]>();
  private lastId = 0;
  private stopped: Error | null = null;

  private constructor(options: ThreadOpenOptions) {
    this.dataDir = options.dataDir;
    this.worker = startWorker(options);
    // Nothing keeps the process alive for an idle database, as with PGlite on the server's own thread.
    this.worker.unref();
    this.worker.on('message', (message: ThreadAnswer) => this.settle(message));
    this.worker.on('error', (error) => this.stop(error));
    this.worker.on('exit', (code) => this.stop(new Error(`exit code ${code}`)));
  }

  /** Starts the thread and resolves once PGlite has opened the database there (or rejects with why not). */
  static async open(options: ThreadOpenOptions): Promise<EmbeddedThread> {
    const thread = new EmbeddedThread(options);
    try {
      await thread.expect(0);
      return thread;
    } catch (error) {
      await thread.worker.terminate();
      throw error;
    }
  }

  query<T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.run<T>(text, params, options, undefined);
  }

  async transaction<T>(
    callback: (tx: EmbeddedQueryRunner & { readonly closed: boolean }) => Promise<T>,
  ): Promise<T> {
    const transaction = (await this.send({ kind: 'begin' })) as number;
    let closed = false;
    const tx = {
      query: <R>(text: string, params: unknown[] = [], options?: QueryOptions) =>
        this.run<R>(text, params, options, transaction),
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      closed = true;
      // The callback's error is the one that matters; a rollback that fails too (the thread gone) adds nothing.
      await this.send({ kind: 'end', transaction, commit: false }).catch(() => {});
      throw error;
    }
    closed = true;
    await this.send({ kind: 'end', transaction, commit: true });
    return result;
  }

  /** Closes PGlite on its thread (its last writes reach the folder), then ends the thread. */
  async close(): Promise<void> {
    if (this.stopped) return;
    await this.send({ kind: 'close' });
    await this.worker.terminate();
  }

  private async run<T>(
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
    transaction: number | undefined,
  ): Promise<Results<T>> {
    if (options?.serializers || options?.blob || options?.onNotice) {
      throw new Error('Serializers, blobs and notices are not carried to the embedded database thread');
    }
    const request: DistributiveOmit<QueryRequest, 'id'> = {
      kind: 'query',
      text,
      params,
      rowMode: options?.rowMode ?? 'object',
      textTypes: this.textTypesOf(options?.parsers),
      ...(options?.paramTypes ? { paramTypes: options.paramTypes } : {}),
      ...(transaction === undefined ? {} : { transaction }),
    };
    const result = (await this.send(request)) as Results<T>;
    if (options?.parsers) parseAsCaller(result as Results, options.parsers);
    return result;
  }

  private textTypesOf(parsers: ParserOptions | undefined): number[] {
    if (!parsers) return [];
    let types = this.textTypes.get(parsers);
    if (!types) {
      types = Object.keys(parsers).map(Number);
      this.textTypes.set(parsers, types);
    }
    return types;
  }

  private send(request: DistributiveOmit<ThreadRequest, 'id'>): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.lastId;
    const answered = this.expect(id);
    this.worker.postMessage({ ...request, id });
    return answered;
  }

  private expect(id: number): Promise<unknown> {
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private settle(answer: ThreadAnswer) {
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.worker.unref();
    if (answer.failed) waiting.reject(rebuiltError(answer.error));
    else waiting.resolve(answer.result);
  }

  private stop(reason: Error) {
    if (this.stopped) return;
    this.stopped = new Error(`The embedded database's thread stopped: ${reason.message}`, { cause: reason });
    for (const waiting of this.pending.values()) waiting.reject(this.stopped);
    this.pending.clear();
  }
}

/** Applies the caller's parsers to the values the thread left as text (see `textTypes`). */
function parseAsCaller(result: Results, parsers: ParserOptions) {
  const columns = result.fields.flatMap((field, index) => {
    const parse = parsers[field.dataTypeID];
    return parse ? [{ index, name: field.name, type: field.dataTypeID, parse }] : [];
  });
  if (columns.length === 0) return;
  for (const row of result.rows as Record<string | number, unknown>[]) {
    const byIndex = Array.isArray(row);
    for (const column of columns) {
      const key = byIndex ? column.index : column.name;
      const value = row[key];
      if (typeof value === 'string')
        row[key] = (column.parse as (text: string, type: number) => unknown)(value, column.type);
    }
  }
}
