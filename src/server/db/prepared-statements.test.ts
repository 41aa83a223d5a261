// Statements are prepared once per connection, named after their text: on PostgreSQL by the pool's client
// (prepared-statements.ts), on PGlite by its wrapper (prepared-pglite.ts). What is prepared, what is left
// to the unnamed path, and that failures leave the connection and the statement usable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PGlite, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { createPostgresPool, type Database, queryRows, wrapPglite, wrapPostgres } from './client.ts';
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

describe('on the database the suite runs on', () => {
  let database: Database & { url: string | null };
  // One connection, so that pg_prepared_statements shows what this connection prepared (PGlite has one).
  let oneConnection: Database;
  before(async () => {
    database = await createTestDatabase();
    oneConnection = database.url ? wrapPostgres(createPostgresPool(database.url, 1)) : database;
  });
  after(async () => {
    if (oneConnection !== database) await oneConnection.close();
    await database.close();
  });

  const preparedCount = async (statement: string) => {
    const [row] = await queryRows<{ n: string | number }>(
      oneConnection.db,
      sql`select count(*) as n from pg_prepared_statements where statement like ${statement} and ${1} = 1`,
    );
    return Number(row?.n);
  };

  test('a statement with parameters is prepared once and run again by name', async () => {
    for (const n of [1, 2, 3]) {
      const rows = await queryRows<{ doubled: number }>(
        oneConnection.db,
        sql`select ${n}::int * 2 as doubled`,
      );
      assert.deepEqual(rows, [{ doubled: n * 2 }]);
    }
    assert.equal(await preparedCount('select $1::int * 2 as doubled'), 1);
  });

  test('one new statement asked for many times at once: prepared once, every answer its own', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        queryRows<{ tripled: number }>(oneConnection.db, sql`select ${n}::int * 3 as tripled`),
      ),
    );
    assert.deepEqual(
      answers.map((rows) => rows[0]?.tripled),
      Array.from({ length: 20 }, (_, n) => n * 3),
    );
    assert.equal(await preparedCount('select $1::int * 3 as tripled'), 1);
  });

  test('no parameters: not prepared', async () => {
    await oneConnection.db.execute(sql.raw('select 41 + 1 as answer'));
    assert.equal(await preparedCount('select 41 + 1 as answer'), 0);
  });

  test('no parameters on PostgreSQL: the simple protocol, which a multi-statement text needs', {
    skip: process.env.TEST_DATABASE_URL ? false : 'PGlite runs one statement a query',
  }, async () => {
    await oneConnection.db.execute(sql.raw('select 1 as a; select 2 as b'));
    assert.equal(await preparedCount('select 1 as a; select 2 as b'), 0);
  });

  test('more parameters than a hot statement takes (an in-list of 65): not prepared', async () => {
    const list = sql.join(
      Array.from({ length: 65 }, (_, i) => sql`${i}`),
      sql`, `,
    );
    const rows = await queryRows<{ n: string | number }>(
      oneConnection.db,
      sql`select count(*) as n from generate_series(0, 100) g where g in (${list})`,
    );
    assert.equal(Number(rows[0]?.n), 65);
    assert.equal(await preparedCount('%generate_series(0, 100)%'), 0);
  });

  // Drizzle wraps the driver's error; PostgreSQL's own words are its cause.
  const failedWith = (words: RegExp) => (error: Error) => words.test(String((error.cause as Error)?.message));

  test('a prepared statement that fails stays usable, and a failed transaction leaves it so', async () => {
    const divide = (by: number) =>
      queryRows<{ q: number }>(oneConnection.db, sql`select 10 / ${by}::int as q`);
    assert.deepEqual(await divide(5), [{ q: 2 }]);
    await assert.rejects(divide(0), failedWith(/division by zero/));
    await assert.rejects(
      oneConnection.db.transaction(async (tx) => {
        assert.deepEqual(await queryRows(tx, sql`select 10 / ${5}::int as q`), [{ q: 2 }]);
        await queryRows(tx, sql`select 10 / ${0}::int as q`);
      }),
      failedWith(/division by zero/),
    );
    assert.deepEqual(await divide(2), [{ q: 5 }]);
  });

  test('statements one after another leave the event loop free between them (a timer runs mid-chain)', async () => {
    // PGlite runs a statement synchronously: on the server's thread, a chain of them would hold off every
    // timer and every request arriving until it ended. The embedded database runs on a thread of its own.
    const CHAIN = 100;
    let done = 0;
    let doneWhenTimerRan = -1;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        doneWhenTimerRan = done;
        resolve();
      }, 0),
    );
    for (let n = 0; n < CHAIN; n += 1) {
      await queryRows(oneConnection.db, sql`select ${n}::int as n`);
      done += 1;
    }
    await timer;
    assert.ok(
      doneWhenTimerRan >= 0 && doneWhenTimerRan < CHAIN,
      `the timer ran after ${doneWhenTimerRan} of ${CHAIN}`,
    );
  });

  test('a statement that does not parse is refused each time, and the connection goes on', async () => {
    const broken = () => queryRows(oneConnection.db, sql`select ${1}::int +`);
    await assert.rejects(broken(), failedWith(/syntax error/));
    await assert.rejects(broken(), failedWith(/syntax error/));
    assert.deepEqual(await queryRows(oneConnection.db, sql`select ${7}::int as seven`), [{ seven: 7 }]);
  });

  test('a write through a prepared statement commits with its transaction, or not at all', async () => {
    await oneConnection.db.execute(sql.raw('create table prepared_probe (n integer)'));
    await oneConnection.db.transaction(async (tx) => {
      await tx.execute(sql`insert into prepared_probe values (${1})`);
    });
    await assert.rejects(
      oneConnection.db.transaction(async (tx) => {
        await tx.execute(sql`insert into prepared_probe values (${2})`);
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    await oneConnection.db.execute(sql`insert into prepared_probe values (${3})`);
    const rows = await queryRows<{ n: number }>(
      oneConnection.db,
      sql`select n from prepared_probe where n > ${0} order by n`,
    );
    assert.deepEqual(
      rows.map((row) => row.n),
      [1, 3],
    );
    assert.equal(await preparedCount('insert into prepared_probe values ($1)'), 1);
  });
});

test('a prepared statement may answer hundreds of thousands of rows', async () => {
  const database = await createTestDatabase();
  try {
    const rows = await queryRows<{ n: number }>(
      database.db,
      sql`select g as n from generate_series(1, ${300_000}) g`,
    );
    assert.equal(rows.length, 300_000);
    assert.equal(rows.at(-1)?.n, 300_000);
  } finally {
    await database.close();
  }
});

test('the embedded client’s query can be replaced, and the replacement reaches the database', async () => {
  const database = wrapPglite(new PGlite());
  try {
    const client = (
      database.db as unknown as { $client: { query: (...args: unknown[]) => Promise<unknown> } }
    ).$client;
    const original = client.query.bind(client);
    const seen: string[] = [];
    client.query = (...args: unknown[]) => {
      seen.push(String(args[0]));
      return original(...args);
    };
    assert.deepEqual(await queryRows(database.db, sql`select ${2}::int + 2 as four`), [{ four: 4 }]);
    assert.deepEqual(seen, ['select $1::int + 2 as four']);
  } finally {
    await database.close();
  }
});

test('two wrappers of one embedded database share what it prepared', async () => {
  const pglite = new PGlite();
  const [first, second] = [wrapPglite(pglite), wrapPglite(pglite)];
  try {
    for (const database of [first, second, first]) {
      assert.deepEqual(await queryRows(database.db, sql`select ${6}::int * 7 as answer`), [{ answer: 42 }]);
    }
  } finally {
    await first.close();
  }
});

test('an embedded answer is read with the parsers its own options bring, each options object its own', async () => {
  const database = wrapPglite(new PGlite());
  try {
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const text = 'select $1::int as n, $2::timestamptz as at';
    const params = [7, '2026-11-30T10:00:00Z'];
    const asText = { rowMode: 'array' as const, parsers: { [types.TIMESTAMPTZ]: (value: string) => value } };
    const tagged = { rowMode: 'array' as const, parsers: { [types.INT4]: (value: string) => `#${value}` } };
    // Each twice, interleaved: what one options object merged must not reach another, nor PGlite's own.
    for (let round = 0; round < 2; round++) {
      const [textRow] = (await client.query(text, params, asText)).rows as unknown[][];
      assert.equal(textRow?.[0], 7);
      assert.match(String(textRow?.[1]), /^2026-11-30 10:00:00\+00/);
      const [taggedRow] = (await client.query(text, params, tagged)).rows as unknown[][];
      assert.equal(taggedRow?.[0], '#7');
      assert.ok(taggedRow?.[1] instanceof Date);
      const [plainRow] = (await client.query(text, params)).rows as Record<string, unknown>[];
      assert.equal(plainRow?.n, 7);
      assert.ok(plainRow?.at instanceof Date);
    }
  } finally {
    await database.close();
  }
});
