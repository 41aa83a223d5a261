import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * How many different statements a server prepares, and the most parameters one may take. Every hot
 * statement is a fixed text, prepared on first use; the bound keeps what is left out, such as an `in (…)`
 * list whose length varies with the request, from filling each connection's memory with one-off plans.
 */
export const PREPARED_STATEMENT_LIMIT = 400;
const MAX_PREPARED_PARAMETERS = 64;

interface QueryConfig {
  text?: unknown;
  name?: unknown;
  values?: unknown;
  submit?: unknown;
}

/**
 * A pg client that prepares each parameterised statement once per connection, named after its text, so that
 * PostgreSQL parses and plans it once and later requests send only the values (the extended protocol's
 * Parse is skipped; PostgreSQL's plan cache decides between custom and generic plans as it does for any
 * prepared statement, which for a page means its LIMIT in the text: built-once.ts, limitInText).
 * Unprepared, every request paid for parsing and planning its statements again: the findings list planned
 * for 0.7–2 ms (the server log's bind step) and executed in 0.3–0.5 ms. Statements without parameters stay
 * on the simple protocol, which a migration's multi-statement text needs.
 */
export function preparingClientClass(names = new StatementNames(PREPARED_STATEMENT_LIMIT)) {
  return class PreparingClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads (text, config, submittable; promise or callback) pass through.
    override query(config: any, values?: any, callback?: any): any {
      return super.query(namedConfig(config, values, names), values, callback);
    }
  };
}

function namedConfig<Config>(config: Config, values: unknown, names: StatementNames): Config {
  if (typeof config !== 'object' || config === null) return config;
  const query = config as QueryConfig;
  if (typeof query.text !== 'string' || query.name !== undefined || typeof query.submit === 'function')
    return config;
  // pg takes the values as the second argument or in the config.
  const parameters = Array.isArray(values) ? values : query.values;
  const name = names.nameFor(query.text, Array.isArray(parameters) ? parameters.length : 0);
  return name ? ({ ...query, name } as Config) : config;
}

/** Statement texts to the names they are prepared under: a digest, the same in every process. */
export class StatementNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly limit: number) {}

  /**
   * The name a statement with `parameters` parameters is prepared under; none for a statement without
   * parameters (the simple protocol), one with more than a hot statement takes, or past the limit.
   */
  nameFor(text: string, parameters: number): string | undefined {
    if (parameters === 0 || parameters > MAX_PREPARED_PARAMETERS) return undefined;
    return this.nameOf(text);
  }

  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= this.limit) return known;
    const name = `tp_${createHash('sha256').update(text).digest('base64url').slice(0, 40)}`;
    this.names.set(text, name);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}
