import { type SQL, sql } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { type Db, queryRows, runsConcurrently } from '../../db/client.ts';

/** A column's values travel as one array parameter of this element type. */
type ArrayType = 'int4' | 'text' | 'bool' | 'timestamptz';
/** Timestamps travel as ISO 8601 text. */
type Value = string | number | boolean | null;

export interface BulkColumn<R> {
  column: PgColumn;
  type: ArrayType;
  value: (row: R) => Value;
  /** Wraps the unnested value, for a default the column's own DEFAULT would give (`coalesce(v, now())`). */
  expression?: (value: SQL) => SQL;
}

export const DEFAULT_BATCH_SIZE = 5_000;

/**
 * Draws `count` ids from the table's serial sequence, ascending. Inserting with ids drawn beforehand ties each
 * record to its id exactly, where matching RETURNING rows back to the input would rely on their order.
 */
export async function drawIds(db: Db, table: PgTable, count: number): Promise<number[]> {
  if (count === 0) return [];
  const name = getTableConfig(table).name;
  if (!runsConcurrently(db)) {
    // The embedded database has one connection, this one, so nothing else draws from the sequence between its
    // nextval and setval: a block of `count` values in one call, where drawing them one by one took about a
    // second per 100,000 on PGlite. (On PostgreSQL other sessions may draw meanwhile: one by one there.)
    const [row] = await queryRows<{ first: number | string }>(
      db,
      sql`select nextval(pg_get_serial_sequence(${name}, 'id')) as first`,
    );
    const first = Number(row?.first);
    await db.execute(sql`select setval(pg_get_serial_sequence(${name}, 'id'), ${first + count - 1})`);
    return Array.from({ length: count }, (_, i) => first + i);
  }
  const rows = await queryRows<{ id: number | string }>(
    db,
    sql`select nextval(pg_get_serial_sequence(${name}, 'id')) as id from generate_series(1, ${count})`,
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

/**
 * Inserts `rows` set-based: one `INSERT … SELECT FROM unnest($1::type[], …)` per batch, one array parameter
 * per column, so the statement text is the same for any batch size.
 */
export async function insertRows<R>(
  db: Db,
  table: PgTable,
  rows: R[],
  columns: BulkColumn<R>[],
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<void> {
  const names = sql.join(
    columns.map((c) => sql.identifier(c.column.name)),
    sql`, `,
  );
  const selected = sql.join(
    columns.map((c, i) => {
      const value = sql.raw(`v.c${i}`);
      return c.expression ? c.expression(value) : value;
    }),
    sql`, `,
  );
  const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '));
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const arrays = sql.join(
      columns.map((c) => sql`${sql.param(batch.map(c.value))}::${sql.raw(c.type)}[]`),
      sql`, `,
    );
    await db.execute(
      sql`insert into ${table} (${names}) select ${selected} from unnest(${arrays}) as v(${aliases})`,
    );
  }
}
