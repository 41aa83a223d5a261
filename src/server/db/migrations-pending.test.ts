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

test('a database missing the newest migration has it pending, and migrate applies it', async () => {
  // Undo the newest migration's one statement and forget it was applied: what an older database looks like.
  await database.db.execute(sql`drop index findings_tenant_accepted_counts_idx`);
  await database.db.execute(
    sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`,
  );
  assert.equal(await migrationsPending(database.db, migrationsFolder), true);
  await database.migrate();
  assert.equal(await migrationsPending(database.db, migrationsFolder), false);
  const result = (await database.db.execute(
    sql`select count(*)::int as n from pg_indexes where indexname = 'findings_tenant_accepted_counts_idx'`,
  )) as unknown as { rows: { n: number }[] };
  assert.equal(result.rows[0]?.n, 1);
});

test('a database without the migrations table has everything pending', async () => {
  await database.db.execute(sql`alter table drizzle.__drizzle_migrations rename to migrations_hidden`);
  try {
    assert.equal(await migrationsPending(database.db, migrationsFolder), true);
  } finally {
    await database.db.execute(sql`alter table drizzle.migrations_hidden rename to __drizzle_migrations`);
  }
});
