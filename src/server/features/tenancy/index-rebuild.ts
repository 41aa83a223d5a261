import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { type Db, queryRows } from '../../db/client.ts';

export interface RebuildOptions {
  /** Also drop and re-add the table's foreign keys: re-adding checks every row in one join. */
  foreignKeys: boolean;
  /** Row triggers to disable meanwhile: the load must itself write what they would have written. */
  triggersProvided?: string[];
}

/**
 * Runs `load` with the table's secondary indexes (and optionally its foreign keys) dropped, then creates them
 * again from their own definitions: PostgreSQL's advice for populating a table ("Populating a Database"),
 * because one sorted build per index costs a fraction of updating twenty indexes row by row. The caller's
 * transaction holds it all: a failure or a crash rolls the drops back with the rows, and other sessions wait on
 * the table's lock (taken first, so the transaction never upgrades a lock it shares) until it commits.
 */
export async function withIndexesRebuilt<T>(
  db: Db,
  table: PgTable,
  options: RebuildOptions,
  load: () => Promise<T>,
): Promise<T> {
  const name = getTableConfig(table).name;
  await db.execute(sql`lock table ${table} in access exclusive mode`);
  // Indexes behind a constraint (the primary key, unique constraints) stay: they are the constraint.
  const indexes = await queryRows<{ name: string; definition: string }>(
    db,
    sql`select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
        from pg_index i join pg_class c on c.oid = i.indexrelid
        where i.indrelid = ${name}::regclass
          and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)
        order by c.relname`,
  );
  const foreignKeys = options.foreignKeys
    ? await queryRows<{ name: string; definition: string }>(
        db,
        sql`select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
            where conrelid = ${name}::regclass and contype = 'f' order by conname`,
      )
    : [];
  for (const key of foreignKeys) {
    await db.execute(sql`alter table ${table} drop constraint ${sql.identifier(key.name)}`);
  }
  for (const index of indexes) await db.execute(sql`drop index ${sql.identifier(index.name)}`);
  const triggers = options.triggersProvided ?? [];
  for (const trigger of triggers) {
    await db.execute(sql`alter table ${table} disable trigger ${sql.identifier(trigger)}`);
  }
  const result = await load();
  // The load's deferred trigger events (the list generation's, migration finding_list_generation_triggers)
  // fire now rather than at commit, in the same transaction: a table with pending events cannot be altered.
  await db.execute(sql`set constraints all immediate`);
  await db.execute(sql`set constraints all deferred`);
  for (const trigger of triggers) {
    await db.execute(sql`alter table ${table} enable trigger ${sql.identifier(trigger)}`);
  }
  for (const index of indexes) await db.execute(sql.raw(index.definition));
  for (const key of foreignKeys) {
    await db.execute(
      sql`alter table ${table} add constraint ${sql.identifier(key.name)} ${sql.raw(key.definition)}`,
    );
  }
  return result;
}
