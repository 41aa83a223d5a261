import { type Placeholder, sql } from 'drizzle-orm';
import type { Db } from './client.ts';

/**
 * Statements every request runs, built by Drizzle once per database and then run with their values
 * (`sql.placeholder`): walking Drizzle's tree into SQL text was a fifth of a submit's CPU (its `toQuery`,
 * profiled on PostgreSQL), and the caller-and-scope statement is built for every request. `name` names the
 * statement on PostgreSQL too, so it must stand for one text: one name per shape of the statement.
 */
const builtStatements = new WeakMap<Db, Map<string, unknown>>();

export function builtOnce<Statement>(db: Db, name: string, build: (name: string) => Statement): Statement {
  let statements = builtStatements.get(db);
  if (!statements) {
    statements = new Map();
    builtStatements.set(db, statements);
  }
  let statement = statements.get(name) as Statement | undefined;
  if (statement === undefined) {
    statement = build(name);
    statements.set(name, statement);
  }
  return statement;
}

/** A value of a statement: given, or the placeholder it takes in a statement built once. */
export type Bound<T> = T | Placeholder;

/**
 * A value as a statement is run with it: a date as ISO text, as Drizzle sends it for a timestamp column. A
 * built statement's values reach the driver as given, not through a column's encoder.
 */
export const boundValue = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** `now` as a statement takes it: a date, or the placeholder of a statement built once (run with ISO text). */
export type Instant = Bound<Date>;
export const instantSql = (now: Instant) => sql`${boundValue(now)}::timestamptz`;

/**
 * A LIMIT written into a statement's text rather than sent as a value. PostgreSQL costs the generic plan of a
 * prepared statement whose LIMIT is a parameter as if it returned a tenth of the rows, so a page's generic
 * plan looks hundreds of times costlier than it is and the plan cache plans the statement anew on every run:
 * the findings list spent ~0.95 ms binding (planning) against ~0.35 ms executing, in PostgreSQL's log, and
 * PGlite plans the same way. With the LIMIT in the text the generic plan is costed right and chosen after
 * the plan cache's first five runs. Each count is another text, so callers keep their counts to a few.
 */
export function limitInText(rows: number): number {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`not a row count: ${rows}`);
  // Drizzle writes an SQL chunk given as the limit into the text as it is; its type names numbers and placeholders.
  return sql.raw(String(rows)) as unknown as number;
}
