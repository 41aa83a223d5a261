import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';

/** The newest migration's time in drizzle-kit's journal: what the migrator records once it has applied it. */
function newestMigrationMillis(migrationsFolder: string): number {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return Math.max(...journal.entries.map((entry) => entry.when));
}

/**
 * Whether the migrator has anything to do, decided as it decides (a migration is applied when its journal time
 * is after the newest one recorded), in one read: a start-up on a current database then skips the migrator's
 * schema statements, its lock and its reading and hashing of every migration file.
 */
export async function migrationsPending(db: Db, migrationsFolder: string): Promise<boolean> {
  const newest = newestMigrationMillis(migrationsFolder);
  try {
    const result = (await db.execute(
      sql`select max(created_at) as applied from drizzle.__drizzle_migrations`,
    )) as unknown as { rows: { applied: string | number | null }[] };
    const applied = result.rows[0]?.applied;
    return applied == null || Number(applied) < newest;
  } catch {
    return true; // no migrations table yet: a new database
  }
}
