import {
  type PGlite,
  parse,
  protocol,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';
import { PREPARED_STATEMENT_LIMIT, StatementNames } from './prepared-statements.ts';

type Query = (text: string, params?: unknown[], options?: QueryOptions) => Promise<Results>;
/** The type parsers an answer is read with, all merged, and the options without their own parsers. */
type ResultReader = { parsers: PGlite['parsers']; options: QueryOptions | undefined };

/**
 * What each instance has prepared (statement name to parameter types), kept with the instance rather than
 * with one wrapper: a second wrapper of the same instance must not send Parse for a name it already holds.
 */
const preparedStatements = new WeakMap<PGlite, Map<string, number[]>>();

function preparedOn(pg: PGlite): Map<string, number[]> {
  let prepared = preparedStatements.get(pg);
  if (!prepared) {
    prepared = new Map();
    preparedStatements.set(pg, prepared);
  }
  return prepared;
}

/**
 * The embedded database, preparing each parameterised statement once and running it by name after that, as
 * the PostgreSQL pool does (prepared-statements.ts). On PGlite this matters more: every query runs on the
 * database's one thread (embedded-thread.ts), and planning is most of a short statement's cost there (the
 * access lookup: ~1.8 ms unprepared against ~0.6 ms prepared, measured in-process on the performance
 * fixture), partly because the WebAssembly build's file layer answers each relation-size lookup with an fstat.
 *
 * PGlite's own `query` sends Parse, Describe, Bind, Describe, Execute and Sync for an unnamed statement;
 * this sends Parse and Describe once per statement name, then Bind, Describe, Execute and Sync, under the
 * same two locks `query` takes (one inside a transaction), and reads the answer with PGlite's own parser and
 * the same value serializers. Statements without parameters, or with more than a hot statement takes, go
 * to PGlite's `query` unchanged. Everything else of the PGlite instance is passed through.
 */
export function preparingPglite(pg: PGlite, names = new StatementNames(PREPARED_STATEMENT_LIMIT)): PGlite {
  const paramTypes = preparedOn(pg);
  const readers = new WeakMap<QueryOptions, ResultReader>();

  /**
   * How a statement's answer is read with `options`: PGlite's parseResults copies its 318 type parsers into a
   * new object for every answer whose options bring parsers of their own, and Drizzle's always do (it reads
   * dates as text). That copy was a tenth of an embedded server's CPU under submits. Drizzle keeps one options
   * object per prepared query, so the merged parsers are made once per options object and kept beside it.
   */
  function readerFor(options: QueryOptions | undefined): ResultReader {
    if (!options?.parsers) return { parsers: pg.parsers, options };
    let reader = readers.get(options);
    if (!reader) {
      reader = {
        parsers: { ...pg.parsers, ...options.parsers },
        options: { ...options, parsers: undefined },
      };
      readers.set(options, reader);
    }
    return reader;
  }

  async function runNamed(name: string, text: string, params: unknown[], options?: QueryOptions) {
    const send = (message: Uint8Array) => pg.execProtocolStream(message, { syncToFs: false });
    let messages: Awaited<ReturnType<typeof send>> = [];
    // concat, not push(...): a result of many rows is as many messages, more than a call takes arguments.
    const collect = async (message: Uint8Array) => {
      messages = messages.concat(await send(message));
    };
    try {
      let types = paramTypes.get(name);
      if (!types) {
        await collect(protocol.serialize.parse({ name, text, types: options?.paramTypes }));
        types = parse.parseDescribeStatementResults(
          await send(protocol.serialize.describe({ type: 'S', name })),
        );
        paramTypes.set(name, types);
      }
      const statementTypes = types;
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const type = statementTypes[i] as number;
        const serialize = options?.serializers?.[type] ?? pg.serializers[type];
        return serialize ? serialize(value) : String(value);
      });
      await collect(protocol.serialize.bind({ statement: name, values }));
      await collect(protocol.serialize.describe({ type: 'P' }));
      await collect(protocol.serialize.execute({}));
    } finally {
      await collect(protocol.serialize.sync());
    }
    const reader = readerFor(options);
    return parse.parseResults(messages, reader.parsers, reader.options)[0] as Results;
  }

  /** `query`, in or out of a transaction: outside, it takes the transaction lock first, as PGlite's does. */
  const preparing =
    (fallback: Query, inTransaction: boolean): Query =>
    async (text, params = [], options) => {
      const name = names.nameFor(text, params.length);
      if (!name) return fallback(text, params, options);
      // As PGlite's query: ready first, outside the locks its own start-up takes.
      await pg.waitReady;
      const run = () => runNamed(name, text, params, options);
      if (inTransaction) return pg._runExclusiveQuery(run);
      return pg._runExclusiveTransaction(() =>
        pg._runExclusiveQuery(async () => {
          const result = await run();
          await pg.syncToFs();
          return result;
        }),
      );
    };

  const query = preparing((text, params, options) => pg.query(text, params, options), false);
  const transaction = <T>(callback: (tx: Transaction) => Promise<T>) =>
    pg.transaction((tx) =>
      callback(
        new Proxy(tx, {
          get: (target, property) =>
            property === 'query' ? preparing(target.query, true) : Reflect.get(target, property),
        }),
      ),
    );

  // What the wrapper answers itself; a caller may still replace either (a bench records the queries sent).
  const own = new Map<PropertyKey, unknown>([
    ['query', query],
    ['transaction', transaction],
  ]);
  return new Proxy(pg, {
    get(target, property) {
      if (own.has(property)) return own.get(property);
      const value = Reflect.get(target, property, target);
      // PGlite's methods read private fields: they must run on the instance itself, not on this proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, property, value) {
      if (!own.has(property)) return Reflect.set(target, property, value, target);
      own.set(property, value);
      return true;
    },
  });
}
