// The embedded database's stand-in for autovacuum: its rules as a table of cases, then passes on the suite's
// database (PGlite has no autovacuum, so there what the pass does not do is never done).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { createTenant, createWorkspace } from '../../../test/helpers/factories.ts';
import { type Database, openDatabase, queryRows, wrapPglite } from './client.ts';
import {
  asDeadlineWork,
  maintainTables,
  scheduleEmbeddedMaintenance,
  type TableActivity,
  tablesToMaintain,
} from './embedded-maintenance.ts';

const quiet: TableActivity = {
  table: 'findings',
  estimatedRows: 10_000,
  analyzedPages: 400,
  pages: 400,
  deadRows: 0,
  changedSinceAnalyze: 0,
  insertedSinceVacuum: 0,
};

describe('which tables a pass maintains', () => {
  const cases: [string, Partial<TableActivity>, ReturnType<typeof tablesToMaintain>][] = [
    ['a quiet table: nothing', {}, []],
    [
      'never analyzed, with rows: analyze',
      { estimatedRows: -1, analyzedPages: 0, pages: 3 },
      [{ table: 'findings', vacuum: false }],
    ],
    ['never analyzed and empty: nothing', { estimatedRows: -1, analyzedPages: 0, pages: 0 }, []],
    [
      'grown by more than a tenth since (another process): analyze',
      { pages: 442 },
      [{ table: 'findings', vacuum: false }],
    ],
    ['grown by a tenth or less: nothing', { pages: 441 }, []],
    [
      'changed past 50 + 10 % of its rows: analyze',
      { changedSinceAnalyze: 1_051 },
      [{ table: 'findings', vacuum: false }],
    ],
    ['changed up to 50 + 10 %: nothing', { changedSinceAnalyze: 1_050 }, []],
    [
      'dead rows past 50 + 20 %: vacuum and analyze',
      { deadRows: 2_051 },
      [{ table: 'findings', vacuum: true }],
    ],
    ['dead rows up to 50 + 20 %: nothing', { deadRows: 2_050 }, []],
    [
      'inserted past 1,000 + 20 % since vacuum: vacuum',
      { insertedSinceVacuum: 3_001 },
      [{ table: 'findings', vacuum: true }],
    ],
    ['inserted up to 1,000 + 20 %: nothing', { insertedSinceVacuum: 3_000 }, []],
  ];
  for (const [name, change, expected] of cases) {
    test(name, () => assert.deepEqual(tablesToMaintain([{ ...quiet, ...change }]), expected));
  }

  test('each table on its own', () => {
    const steps = tablesToMaintain([
      { ...quiet, table: 'users' },
      { ...quiet, table: 'audit_events', deadRows: 5_000 },
      { ...quiet, table: 'tenants', estimatedRows: -1, analyzedPages: 0, pages: 1 },
    ]);
    assert.deepEqual(steps, [
      { table: 'audit_events', vacuum: true },
      { table: 'tenants', vacuum: false },
    ]);
  });
});

describe('a pass on the database', () => {
  let database: Database;
  let tenantId: number;
  before(async () => {
    database = await createTestDatabase();
    const workspace = await createWorkspace(database.db);
    tenantId = (await createTenant(database.db, { workspaceId: workspace.id })).id;
    await createTenant(database.db, { workspaceId: workspace.id });
  });
  after(() => database.close());

  const estimatedRows = async (table: string) => {
    const [row] = await queryRows<{ rows: number }>(
      database.db,
      sql`select reltuples::float8 as rows from pg_class where relname = ${table} and relkind = 'r'`,
    );
    return Number(row?.rows);
  };
  const analyzedColumns = async (table: string) => {
    const [row] = await queryRows<{ columns: number }>(
      database.db,
      sql`select count(*)::int as columns from pg_statistic where starelid = ${table}::regclass`,
    );
    return Number(row?.columns);
  };
  // The tenant findings list's order and default filter, as the index walk it should be.
  const listPlan = async () => {
    const rows = await queryRows<Record<string, string>>(
      database.db,
      sql`explain select id from findings
          where tenant_id = ${tenantId} and workflow_status in ('new', 'triaged', 'in_progress', 'reopened')
          order by detected_at desc nulls last, id desc nulls last limit 51`,
    );
    return rows.map((row) => Object.values(row)[0]).join('\n');
  };

  test('a table loaded in bulk gets its statistics, and the list is then planned as an index walk', async () => {
    await database.db.execute(sql`
      insert into findings (tenant_id, title, severity, workflow_status, detected_at)
      select ${tenantId}, 'Drift ' || n, (array['low', 'medium', 'high', 'critical'])[1 + n % 4],
             (array['new', 'triaged', 'in_progress', 'reopened', 'resolved', 'closed'])[1 + n % 6],
             timestamptz '2026-01-01' + n * interval '1 minute'
      from generate_series(1, 20000) n`);
    // As a bulk load that builds its indexes after the rows: the table's row count is known, but nothing
    // has analyzed its columns.
    await database.db.execute(sql`reindex table findings`);
    if (database.kind === 'pglite') {
      assert.equal(await estimatedRows('findings'), 20_000);
      assert.equal(await analyzedColumns('findings'), 0, 'nothing has analyzed it yet');
      assert.doesNotMatch(await listPlan(), /Index Scan using findings_tenant_detected_idx/);
    }
    const steps = await maintainTables(database.db, { vacuum: true });
    assert.ok(
      steps.some((step) => step.table === 'findings'),
      JSON.stringify(steps),
    );
    assert.equal(await estimatedRows('findings'), 20_000);
    assert.ok((await analyzedColumns('findings')) > 0);
    assert.match(await listPlan(), /Limit[\s\S]*Index Scan using findings_tenant_detected_idx/);
  });

  test('dead rows from changes are vacuumed away', async () => {
    await database.db.execute(sql`update findings set title = title || ' (seen again)' where id % 2 = 0`);
    const deadRows = () =>
      queryRows<{ dead: number }>(
        database.db,
        sql`select n_dead_tup::int as dead from pg_stat_user_tables where relname = 'findings'`,
      ).then(([row]) => Number(row?.dead));
    // Activity counters reach the statistics when the session next idles, within a second or so.
    for (let waited = 0; (await deadRows()) < 10_000 && waited < 10_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok((await deadRows()) >= 10_000, 'the update left dead rows');
    const steps = await maintainTables(database.db, { vacuum: true });
    assert.deepEqual(
      steps.find((step) => step.table === 'findings'),
      { table: 'findings', vacuum: true },
    );
    assert.equal(await deadRows(), 0);
  });

  test('scheduled, a pass runs on its own after the interval, and stopping waits for it', async () => {
    await database.db.execute(sql`
      insert into findings (tenant_id, title, severity, workflow_status)
      select ${tenantId}, 'Later drift ' || n, 'low', 'new' from generate_series(1, 5000) n`);
    const errors: Error[] = [];
    const maintenance = scheduleEmbeddedMaintenance(database.db, (error) => errors.push(error), 20);
    try {
      for (let waited = 0; (await estimatedRows('findings')) < 25_000 && waited < 10_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await estimatedRows('findings'), 25_000);
    } finally {
      await maintenance.stop();
    }
    assert.deepEqual(errors, []);
  });
});

describe('after a bulk write on the database (what a command runs on PostgreSQL)', () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  test('the tables the rules pick are analyzed at once, and none is vacuumed', async () => {
    const workspace = await createWorkspace(database.db);
    const tenantId = (await createTenant(database.db, { workspaceId: workspace.id })).id;
    await database.db.execute(sql`
      insert into findings (tenant_id, title, severity, workflow_status)
      select ${tenantId}, 'Drift ' || n, 'low', 'new' from generate_series(1, 5000) n`);
    const statistics = async () => {
      const [row] = await queryRows<{ columns: number; vacuums: number }>(
        database.db,
        sql`select (select count(*)::int from pg_statistic where starelid = 'findings'::regclass) as columns,
            (select vacuum_count::int from pg_stat_user_tables where relname = ${'findings'}) as vacuums`,
      );
      return { columns: Number(row?.columns), vacuums: Number(row?.vacuums) };
    };
    // On PostgreSQL autovacuum could come first; on PGlite nothing else ever analyzes.
    if (database.kind === 'pglite') assert.equal((await statistics()).columns, 0);
    const steps = await maintainTables(database.db, { vacuum: false });
    assert.ok(
      steps.some((step) => step.table === 'findings'),
      JSON.stringify(steps),
    );
    assert.ok(steps.every((step) => !step.vacuum));
    const after = await statistics();
    assert.ok(after.columns > 0, 'findings has column statistics');
    assert.equal(after.vacuums, 0, "vacuuming stays autovacuum's");
  });
});

test('an embedded table filled by another process is analyzed, though this process counted no change', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-maintenance-'));
  try {
    const loading = await openDatabase({ kind: 'pglite', dataDir });
    await loading.migrate();
    const workspace = await createWorkspace(loading.db);
    const tenant = await createTenant(loading.db, { workspaceId: workspace.id });
    await loading.db.execute(sql`
      insert into findings (tenant_id, title, severity, workflow_status)
      select ${tenant.id}, 'Drift ' || n, 'low', 'new' from generate_series(1, 5000) n`);
    await loading.db.execute(sql`reindex table findings`); // sets the row count, as a bulk load does
    await loading.close();

    const serving = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const steps = await maintainTables(serving.db, { vacuum: true });
      assert.ok(
        steps.some((step) => step.table === 'findings'),
        JSON.stringify(steps),
      );
      const [row] = await queryRows<{ columns: number }>(
        serving.db,
        sql`select count(*)::int as columns from pg_statistic where starelid = 'findings'::regclass`,
      );
      assert.ok(Number(row?.columns) > 0, 'findings has statistics');
      assert.deepEqual(
        await maintainTables(serving.db, { vacuum: true }),
        [],
        'and the next pass has nothing to do',
      );
    } finally {
      await serving.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

describe('a pass due while deadline work is under way (a handoff waiting for its desk)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  // A fresh embedded database with one table no pass has analyzed yet: its row estimate says when one ran.
  async function unanalyzedTable() {
    const database = wrapPglite(new PGlite());
    await database.db.execute(sql`create table scratch as select n from generate_series(1, 5000) n`);
    const estimate = async () => {
      const [row] = await queryRows<{ rows: number }>(
        database.db,
        sql`select reltuples::int as rows from pg_class where relname = 'scratch'`,
      );
      return Number(row?.rows);
    };
    return { database, estimate };
  }
  const underWay = () => {
    let finish = () => {};
    const work = asDeadlineWork(() => new Promise<void>((resolve) => (finish = resolve)));
    return { work, finish: () => finish() };
  };

  test('waits until the work is done, then runs', async () => {
    const { database, estimate } = await unanalyzedTable();
    const handoff = underWay();
    const maintenance = scheduleEmbeddedMaintenance(database.db, assert.ifError, 20);
    try {
      await sleep(600);
      assert.equal(await estimate(), -1, 'no pass ran while the handoff was under way');
      handoff.finish();
      await handoff.work;
      for (let waited = 0; (await estimate()) !== 5000 && waited < 5000; waited += 50) await sleep(50);
      assert.equal(await estimate(), 5000);
    } finally {
      handoff.finish();
      await maintenance.stop();
      await database.close();
    }
  });

  test('runs anyway once it has waited the longest hold-off', async () => {
    const { database, estimate } = await unanalyzedTable();
    const handoff = underWay();
    const maintenance = scheduleEmbeddedMaintenance(database.db, assert.ifError, 20, 500);
    try {
      for (let waited = 0; (await estimate()) !== 5000 && waited < 5000; waited += 50) await sleep(50);
      assert.equal(await estimate(), 5000, 'the pass ran though the handoff never finished');
    } finally {
      handoff.finish();
      await handoff.work;
      await maintenance.stop();
      await database.close();
    }
  });
});
