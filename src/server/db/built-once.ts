import { Column, getTableName, is, type Placeholder, SQL, Subquery, sql } from 'drizzle-orm';
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
    statement = withRowPlan(build(name));
    statements.set(name, statement);
  }
  return statement;
}

/** What a Drizzle prepared select keeps (private in its types): its fields in answer order, and its outer joins. */
interface PreparedSelect {
  fields?: { path: string[]; field: unknown }[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: (rows: unknown[][]) => unknown;
}

interface CellPlan {
  /** Where the cell's value goes: keys of nested objects, then its own key. */
  parents: string[];
  key: string;
  decode: (value: unknown) => unknown;
  /**
   * For a column of a joined table's object (`{ o: { id, name } }`): the table, whose object is null when its
   * first cell is.
   */
  table: string | undefined;
}

/**
 * Drizzle maps each row by asking, for every cell, what kind of field the cell's is (its `is`, a walk up the
 * class chain of the field, through proxies for an aliased table): a fifth of the findings list's CPU on
 * PostgreSQL (profiled, 51 rows of 35 cells). A statement built once asks once, and maps every row by the
 * plan made of the answers, with Drizzle's own rules: decoders by kind of field, nested objects by path, and
 * the object of an outer-joined table null when its first cell is.
 */
function withRowPlan<Statement>(statement: Statement): Statement {
  const prepared = statement as PreparedSelect;
  if (!prepared.fields || prepared.customResultMapper) return statement;
  const joins = prepared.joinsNotNullableMap;
  const cells: CellPlan[] = prepared.fields.map(({ path, field }) => ({
    parents: path.slice(0, -1),
    key: path[path.length - 1] as string,
    decode: decoderOf(field),
    table: joins && path.length === 2 && is(field, Column) ? getTableName(field.table) : undefined,
  }));
  prepared.customResultMapper = (rows) => rows.map((row) => mapRow(cells, row, joins));
  return statement;
}

/** The decoder Drizzle reads a cell with, by the kind of its field (an SQL's own is internal in its types). */
type Decoder = { mapFromDriverValue(value: unknown): unknown };
const decoderOfSql = (sqlOf: unknown) => (sqlOf as { decoder: Decoder }).decoder;

function decoderOf(field: unknown): (value: unknown) => unknown {
  const decoder: Decoder = is(field, Column)
    ? field
    : is(field, SQL)
      ? decoderOfSql(field)
      : is(field, Subquery)
        ? decoderOfSql(field._.sql)
        : decoderOfSql((field as SQL.Aliased).sql);
  return (value) => decoder.mapFromDriverValue(value);
}

function mapRow(cells: CellPlan[], row: unknown[], joins: Record<string, boolean> | undefined) {
  const result: Record<string, unknown> = {};
  // Per joined object: the table whose first cell was null, or false (it was not, or the object mixes tables).
  const nullTables: Record<string, string | false> = {};
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index] as CellPlan;
    let node = result;
    for (const parent of cell.parents) {
      node[parent] ??= {};
      node = node[parent] as Record<string, unknown>;
    }
    const raw = row[index];
    const value = raw === null ? null : cell.decode(raw);
    node[cell.key] = value;
    if (cell.table === undefined) continue;
    const objectName = cell.parents[0] as string;
    const seen = nullTables[objectName];
    if (seen === undefined) nullTables[objectName] = value === null ? cell.table : false;
    else if (seen !== false && seen !== cell.table) nullTables[objectName] = false;
  }
  if (joins) {
    for (const [objectName, table] of Object.entries(nullTables)) {
      if (table !== false && !joins[table]) result[objectName] = null;
    }
  }
  return result;
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
