// The embedded database's own thread (embedded-thread.ts starts it): it opens PGlite, runs the statements the
// server's thread sends, one message each, and answers each with its result or its error.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type QueryOptions, type Transaction } from '@electric-sql/pglite';
import type { ThreadAnswer, ThreadOpenOptions, ThreadRequest } from './embedded-thread-messages.ts';
import { preparingPglite } from './prepared-pglite.ts';

if (!parentPort) throw new Error('embedded-thread-worker.ts runs as a worker thread (embedded-thread.ts)');
const port = parentPort;
const opening = workerData as ThreadOpenOptions;

const answer = (message: ThreadAnswer) => port.postMessage(message);

/**
 * An error as plain data: a DatabaseError's fields (code, constraint, detail…) survive the crossing. Only
 * plain values are carried: PGlite also attaches the query's options to an error, and their parsers are
 * functions, which no message can carry.
 */
function failure(id: number, error: unknown): ThreadAnswer {
  if (!(error instanceof Error))
    return { id, error: { name: 'Error', message: String(error) }, failed: true };
  const plain = Object.entries(error).filter(
    ([, value]) => value === null || !['object', 'function', 'symbol'].includes(typeof value),
  );
  return {
    id,
    error: { ...Object.fromEntries(plain), name: error.name, message: error.message },
    failed: true,
  };
}

/**
 * Results are read with PGlite's own parsers except for the types the caller reads itself: those stay the
 * text PostgreSQL sent (embedded-thread.ts applies the caller's parsers to them). One options object per set
 * of types, so the prepared-statement wrapper's per-options reader is made once (prepared-pglite.ts).
 */
const optionsByTypes = new Map<string, QueryOptions>();
function optionsFor(request: Extract<ThreadRequest, { kind: 'query' }>): QueryOptions {
  const key = `${request.rowMode} ${request.textTypes.join(',')} ${request.paramTypes?.join(',') ?? ''}`;
  let options = optionsByTypes.get(key);
  if (!options) {
    const asText = (value: string) => value;
    options = {
      rowMode: request.rowMode,
      parsers: Object.fromEntries(request.textTypes.map((type) => [type, asText])),
      ...(request.paramTypes ? { paramTypes: request.paramTypes } : {}),
    };
    optionsByTypes.set(key, options);
  }
  return options;
}

/** A transaction held open across messages: the callback PGlite runs waits until the server's thread ends it. */
interface OpenTransaction {
  tx: Transaction;
  end(commit: boolean, id: number): void;
}

const ROLLED_BACK = Symbol('rolled back');

async function main() {
  const pglite = new PGlite({
    ...(opening.dataDir ? { dataDir: opening.dataDir } : {}),
    ...(opening.loadDataDir ? { loadDataDir: opening.loadDataDir } : {}),
    ...(opening.startParams ? { startParams: [...PGlite.defaultStartParams, ...opening.startParams] } : {}),
  });
  await pglite.waitReady;
  const client = preparingPglite(pglite);
  const transactions = new Map<number, OpenTransaction>();

  function begin(id: number) {
    let endedBy = 0;
    client
      .transaction(
        (tx) =>
          new Promise<void>((resolve, reject) => {
            transactions.set(id, {
              tx,
              end(commit, endId) {
                endedBy = endId;
                transactions.delete(id);
                if (commit) resolve();
                else reject(ROLLED_BACK);
              },
            });
            answer({ id, result: id });
          }),
      )
      .then(
        () => answer({ id: endedBy, result: null }),
        (error) => {
          if (error === ROLLED_BACK) answer({ id: endedBy, result: null });
          // A failed commit (a deferred constraint) answers the request that ended it; a failed BEGIN, this one.
          else answer(failure(endedBy || id, error));
        },
      );
  }

  port.on('message', async (request: ThreadRequest) => {
    switch (request.kind) {
      case 'query': {
        const runner = request.transaction === undefined ? client : transactions.get(request.transaction)?.tx;
        if (!runner) {
          answer(failure(request.id, new Error('The transaction this statement belongs to has ended')));
          return;
        }
        try {
          answer({
            id: request.id,
            result: await runner.query(request.text, request.params, optionsFor(request)),
          });
        } catch (error) {
          answer(failure(request.id, error));
        }
        return;
      }
      case 'begin':
        begin(request.id);
        return;
      case 'end': {
        const held = transactions.get(request.transaction);
        if (held) held.end(request.commit, request.id);
        else answer(failure(request.id, new Error('The transaction has already ended')));
        return;
      }
      case 'close':
        await pglite.close();
        answer({ id: request.id, result: null });
        port.close();
        return;
    }
  });
  answer({ id: 0, result: 'ready' });
}

main().catch((error) => answer(failure(0, error)));
