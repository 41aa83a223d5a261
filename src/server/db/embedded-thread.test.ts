// The embedded database on its own thread (embedded-thread.ts): what the server's thread is spared, and what
// it must still see as on PGlite itself: errors with their fields, transactions, order, the caller's parsers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { types } from '@electric-sql/pglite';
import { EmbeddedThread } from './embedded-thread.ts';

describe('the embedded database on its own thread', () => {
  let thread: EmbeddedThread;
  before(async () => {
    thread = await EmbeddedThread.open({ dataDir: undefined });
    await thread.query('create table items (id int primary key, name text not null)');
    await thread.query(
      'create table deferred_unique (x int, constraint deferred_unique_x unique (x) deferrable initially deferred)',
    );
  });
  after(() => thread.close());

  test('a long statement leaves the server thread free: timers keep firing while it runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 10);
    try {
      const started = performance.now();
      await thread.query('select pg_sleep(0.5)');
      const took = performance.now() - started;
      assert.ok(took >= 450, `the statement ran (${took} ms)`);
      // On the server's own thread the sleep would hold the event loop: no tick at all until it ended.
      assert.ok(ticks >= 20, `${ticks} ticks of 10 ms during a 500 ms statement`);
    } finally {
      clearInterval(timer);
    }
  });

  test("an error arrives with PostgreSQL's fields, and the database goes on", async () => {
    await thread.query('insert into items values ($1, $2)', [1, 'one']);
    const error = await thread
      .query('insert into items values ($1, $2)', [1, 'again'])
      .catch((e: Error & { code?: string; constraint?: string }) => e);
    assert.ok(error instanceof Error);
    assert.equal(error.code, '23505');
    assert.equal(error.constraint, 'items_pkey');
    assert.match(error.message, /duplicate key/);
    assert.deepEqual((await thread.query('select count(*)::int as n from items')).rows, [{ n: 1 }]);
  });

  test('a transaction commits what its callback ran, and rolls all of it back when the callback throws', async () => {
    await thread.transaction(async (tx) => {
      await tx.query('insert into items values (10, $1)', ['ten']);
      await tx.query('insert into items values (11, $1)', ['eleven']);
    });
    const failure = new Error('changed my mind');
    await assert.rejects(
      thread.transaction(async (tx) => {
        await tx.query('insert into items values (12, $1)', ['twelve']);
        throw failure;
      }),
      (error) => error === failure,
    );
    const { rows } = await thread.query<{ id: number }>('select id from items where id >= 10 order by id');
    assert.deepEqual(
      rows.map((row) => row.id),
      [10, 11],
    );
  });

  test('a commit that fails (a deferred constraint) fails the transaction, and nothing of it is kept', async () => {
    const error = await thread
      .transaction(async (tx) => {
        await tx.query('insert into deferred_unique values (1)');
        await tx.query('insert into deferred_unique values (1)');
      })
      .catch((e) => e);
    assert.equal(error?.code, '23505');
    assert.equal(error?.constraint, 'deferred_unique_x');
    assert.deepEqual((await thread.query('select count(*)::int as n from deferred_unique')).rows, [{ n: 0 }]);
  });

  test('a statement sent outside waits for the open transaction, as on PGlite’s one connection', async () => {
    const order: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = thread.transaction(async (tx) => {
      await tx.query('update items set name = $1 where id = 1', ['inside']);
      await held;
      order.push('commit');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = thread.query<{ name: string }>('select name from items where id = 1').then((result) => {
      order.push('outside');
      return result.rows[0]?.name;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await transaction;
    assert.equal(await outside, 'inside', 'it reads what the transaction committed');
    assert.deepEqual(order, ['commit', 'outside']);
  });

  test("the caller's parsers read their types (from PostgreSQL's text), in either row mode", async () => {
    const parsers = { [types.TIMESTAMPTZ]: (text: string) => `text:${text}` };
    const text = `select '2026-01-02T03:04:05Z'::timestamptz as at, 7 as n, null::timestamptz as never`;
    const asObjects = await thread.query<Record<string, unknown>>(text, [], { parsers });
    assert.deepEqual(asObjects.rows, [{ at: 'text:2026-01-02 03:04:05+00', n: 7, never: null }]);
    const asArrays = await thread.query<unknown[]>(text, [], { parsers, rowMode: 'array' });
    assert.deepEqual(asArrays.rows, [['text:2026-01-02 03:04:05+00', 7, null]]);
    // Without parsers of its own a caller gets PGlite's: a Date.
    const plain = await thread.query<{ at: unknown }>(text);
    assert.ok(plain.rows[0]?.at instanceof Date);
  });
});

test('once the thread has stopped, what was waiting and what comes after fail with the reason', async () => {
  const thread = await EmbeddedThread.open({ dataDir: undefined });
  const waiting = thread.query('select pg_sleep(5)');
  // The thread dying under the server (out of memory, a crash in the WebAssembly build) comes to this.
  await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  await assert.rejects(waiting, /embedded database's thread stopped/);
  await assert.rejects(thread.query('select 1'), /embedded database's thread stopped/);
});
