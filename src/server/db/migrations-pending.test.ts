import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { Database } from './client.ts';
import { migrationsPending } from './migrations-pending.ts';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

test('a migrated database has nothing pending, and migrating it again changes nothing', async () => {
  assert.equal(await migrationsPending(database.db, migrationsFolder), false);
  await database.migrate();
  assert.equal(await migrationsPending(database.db, migrationsFolder), false);
});

test('a database missing the newest migration has it pending; recorded again, nothing is', async () => {
  // Forget the newest migration was applied: to the check, what an older database looks like. (Undoing the
  // migration itself depends on what it is; the check reads only the record.)
  const newest = (await database.db.execute(
    sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
  )) as unknown as { rows: { hash: string; created_at: string }[] };
  const record = newest.rows[0];
  assert.ok(record, 'the migrated database records its migrations');
  await database.db.execute(
    sql`delete from drizzle.__drizzle_migrations where created_at = ${record.created_at}`,
  );
  assert.equal(await migrationsPending(database.db, migrationsFolder), true);
  await database.db.execute(
    sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${record.hash}, ${record.created_at})`,
  );
  assert.equal(await migrationsPending(database.db, migrationsFolder), false);
});

test('a database without the migrations table has everything pending', async () => {
  await database.db.execute(sql`alter table drizzle.__drizzle_migrations rename to migrations_hidden`);
  try {
    assert.equal(await migrationsPending(database.db, migrationsFolder), true);
  } finally {
    await database.db.execute(sql`alter table drizzle.migrations_hidden rename to __drizzle_migrations`);
  }
});
