// What the rest of the code asks of the database handle, on the database the suite runs on (PGlite, or
// PostgreSQL with TEST_DATABASE_URL): whether transactions can run side by side, asked of the handle and of a
// transaction alike (bulk loads decide inside one how to draw ids and whether to drop foreign keys).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { type Database, runsConcurrently } from './client.ts';

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

test('runsConcurrently answers the same for the database and for a transaction on it', async () => {
  const expected = database.kind === 'postgres';
  assert.equal(runsConcurrently(database.db), expected);
  await database.db.transaction(async (tx) => {
    assert.equal(runsConcurrently(tx), expected);
  });
});
