// Statements are prepared once per PostgreSQL connection, named after their text (prepared-statements.ts):
// what is prepared, what is left on the simple protocol, and that a failing statement stays usable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { createPostgresPool, type Database, queryRows, wrapPostgres } from './client.ts';
import { StatementNames } from './prepared-statements.ts';

describe('statement names', () => {
  test('one text, one name, the same in every process; another text, another name', () => {
    const text = 'select "id" from "findings" where "tenant_id" = $1';
    const name = new StatementNames(10).nameOf(text);
    assert.equal(new StatementNames(10).nameOf(text), name);
    assert.notEqual(new StatementNames(10).nameOf(`${text} limit 1`), name);
    assert.ok(name && Buffer.byteLength(name) <= 63, 'within PostgreSQL identifiers');
  });

  test('past the limit, new texts go unprepared while known ones keep their names', () => {
    const names = new StatementNames(2);
    const first = names.nameOf('select $1');
    names.nameOf('select $1, $2');
    assert.equal(names.nameOf('select $1, $2, $3'), undefined);
    assert.equal(names.nameOf('select $1'), first);
    assert.equal(names.size, 2);
  });
});

const postgresOnly = process.env.TEST_DATABASE_URL
  ? false
  : 'prepared statements are PostgreSQL’s (TEST_DATABASE_URL)';

describe('on PostgreSQL', { skip: postgresOnly }, () => {
  let database: Database & { url: string | null };
  // One connection, so that pg_prepared_statements shows what this connection prepared.
  let oneConnection: Database;
  before(async () => {
    database = await createTestDatabase();
    oneConnection = wrapPostgres(createPostgresPool(database.url as string, 1));
  });
  after(async () => {
    await oneConnection.close();
    await database.close();
  });

  const prepared = async (statement: string) =>
    (
      await queryRows<{ n: string }>(
        oneConnection.db,
        sql`select count(*) as n from pg_prepared_statements where statement = ${statement} and ${1} = 1`,
      )
    )[0]?.n;

  test('a statement with parameters is prepared once and run again by name', async () => {
    const text = 'select $1::int * 2 as doubled';
    for (const n of [1, 2, 3]) {
      const rows = await queryRows<{ doubled: number }>(
        oneConnection.db,
        sql`select ${n}::int * 2 as doubled`,
      );
      assert.deepEqual(rows, [{ doubled: n * 2 }]);
    }
    assert.equal(await prepared(text), '1');
  });

  test('no parameters: the simple protocol, which a multi-statement text needs', async () => {
    await oneConnection.db.execute(sql.raw('select 1 as a; select 2 as b'));
    assert.equal(await prepared('select 1 as a; select 2 as b'), '0');
  });

  test('more parameters than a hot statement takes (an in-list of 65): not prepared', async () => {
    const ids = Array.from({ length: 65 }, (_, i) => i);
    const list = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const rows = await queryRows<{ n: string }>(
      oneConnection.db,
      sql`select count(*) as n from generate_series(0, 100) g where g in (${list})`,
    );
    assert.equal(rows[0]?.n, '65');
    const count = await queryRows<{ n: string }>(
      oneConnection.db,
      sql`select count(*) as n from pg_prepared_statements where statement like ${'%generate_series(0, 100)%'}`,
    );
    assert.equal(count[0]?.n, '0');
  });

  // Drizzle wraps the driver's error; PostgreSQL's own words are its cause.
  const divisionByZero = (error: Error) => /division by zero/.test(String((error.cause as Error)?.message));

  test('a prepared statement that fails stays usable, and a failed transaction leaves it so', async () => {
    const divide = (by: number) =>
      queryRows<{ q: number }>(oneConnection.db, sql`select 10 / ${by}::int as q`);
    assert.deepEqual(await divide(5), [{ q: 2 }]);
    await assert.rejects(divide(0), divisionByZero);
    await assert.rejects(
      oneConnection.db.transaction(async (tx) => {
        await queryRows(tx, sql`select 10 / ${0}::int as q`);
      }),
      divisionByZero,
    );
    assert.deepEqual(await divide(2), [{ q: 5 }]);
  });
});
