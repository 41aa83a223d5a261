// What set-based loading could break: batch boundaries, a failure in a later batch, ids matched to keys, and
// the findings indexes rebuilt for a large load. Small batches stand in for large ones.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { count, sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../../test/helpers/db.ts';
import { type Database, queryRows } from '../../db/client.ts';
import { findings } from '../findings/tables.ts';
import type { Fixture, FixtureFinding } from './fixture-schema.ts';
import { loadFixtures } from './fixtures.ts';
import { tenants, users } from './tables.ts';

const BATCH = 4;

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

let label = 0;
/** A fixture with `n` findings over two tenants; every key, slug and email is new to the database. */
function withFindings(n: number, finding: (i: number) => Partial<FixtureFinding> = () => ({})): Fixture {
  label += 1;
  return {
    workspaces: [{ key: 'w', name: 'Bulk', slug: `bulk-${label}` }],
    users: [
      { key: 'a', email: `a-${label}@example.test`, display_name: 'A' },
      { key: 'b', email: `b-${label}@example.test`, display_name: 'B', active: false },
    ],
    tenants: [
      { key: 't1', workspace: 'w', external_id: `bulk-${label}-one`, name: 'One' },
      { key: 't2', workspace: 'w', external_id: `bulk-${label}-two`, name: 'Two' },
    ],
    findings: Array.from({ length: n }, (_, i) => ({
      key: `f${i}`,
      tenant: i % 2 ? 't2' : 't1',
      title: `Finding ${i}`,
      severity: 'high',
      workflow_status: 'new',
      detected_at: `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z`,
      owner: i % 3 === 0 ? null : 'a',
      assignee: i % 3 === 2 ? 'b' : null,
      ...finding(i),
    })),
  };
}

async function findingCount(): Promise<number> {
  return (await database.db.select({ n: count() }).from(findings))[0]?.n ?? 0;
}

/** Each key's id holds that key's record: tenant, title, owner, assignee and detection time. */
async function assertStored(data: Fixture, ids: Record<string, Record<string, number>>): Promise<void> {
  const findingIds = ids.findings ?? {};
  const keys = (data.findings ?? []).map((f) => f.key);
  const inFileOrder = keys.map((key) => findingIds[key] as number);
  assert.deepEqual(
    inFileOrder,
    [...inFileOrder].sort((a, b) => a - b),
    'ids ascend in file order',
  );
  assert.equal(new Set(inFileOrder).size, keys.length);
  const rows = await queryRows<{
    id: number;
    title: string;
    tenant: string;
    owner: string | null;
    assignee: string | null;
    detected_at: string;
    workspace_slug: string;
  }>(
    database.db,
    sql`select f.id, f.title, t.external_id as tenant, o.email as owner, a.email as assignee,
          to_char(f.detected_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as detected_at, w.slug as workspace_slug
        from findings f join tenants t on t.id = f.tenant_id join workspaces w on w.id = f.workspace_id
        left join users o on o.id = f.owner_user_id left join users a on a.id = f.assignee_user_id
        where f.id = any(${sql.param(inFileOrder)}::int4[])`,
  );
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  const emailOf = (key: string | null | undefined) =>
    key == null ? null : (data.users ?? []).find((u) => u.key === key)?.email.toLowerCase();
  for (const finding of data.findings ?? []) {
    const row = byId.get(findingIds[finding.key] as number);
    assert.ok(row, `${finding.key} is stored`);
    assert.equal(row.title, finding.title);
    assert.equal(row.tenant, data.tenants?.find((t) => t.key === finding.tenant)?.external_id);
    assert.equal(row.workspace_slug, data.workspaces?.[0]?.slug, 'the trigger set the workspace');
    assert.equal(row.owner, emailOf(finding.owner));
    assert.equal(row.assignee, emailOf(finding.assignee));
    assert.equal(row.detected_at, finding.detected_at);
  }
}

describe('set-based fixture loading', () => {
  for (const n of [BATCH - 1, BATCH, BATCH + 1, 2 * BATCH, 2 * BATCH + 1]) {
    test(`${n} findings in batches of ${BATCH}: every row, each under its own key's id`, async () => {
      const data = withFindings(n);
      const ids = await loadFixtures(database.db, data, { batchSize: BATCH });
      assert.equal(Object.keys(ids.findings ?? {}).length, n);
      await assertStored(data, ids);
    });
  }

  test('the next finding made after a load gets an id after every loaded one', async () => {
    const ids = await loadFixtures(database.db, withFindings(2 * BATCH + 1), { batchSize: BATCH });
    const loaded = Object.values(ids.findings ?? {});
    assert.deepEqual(
      loaded,
      Array.from({ length: loaded.length }, (_, i) => (loaded[0] as number) + i),
      'ascending ids, one per finding',
    );
    const tenantId = ids.tenants?.t1 as number;
    const [made] = await database.db
      .insert(findings)
      .values({ tenantId, title: 'Made after the load', severity: 'low', workflowStatus: 'new' })
      .returning({ id: findings.id });
    assert.ok((made?.id as number) > Math.max(...loaded), `id ${made?.id} after ${Math.max(...loaded)}`);
  });

  test('text that array literals would garble is stored exactly', async () => {
    const titles = [
      'NULL',
      'null',
      '"quoted"',
      'back\\slash',
      '{braces}',
      'a, b',
      ' padded ',
      '✓ émoji 🚀',
      "it's",
    ];
    const data = withFindings(titles.length, (i) => ({ title: titles[i] }));
    const ids = await loadFixtures(database.db, data, { batchSize: BATCH });
    await assertStored(data, ids);
  });

  test('a finding without a detection time gets the time of the load, as the column default gives', async () => {
    const data = withFindings(BATCH + 1, (i) => (i === BATCH ? { detected_at: undefined } : {}));
    const started = Date.now();
    const ids = await loadFixtures(database.db, data, { batchSize: BATCH });
    const [row] = await queryRows<{ detected_at: string | Date }>(
      database.db,
      sql`select detected_at from findings where id = ${ids.findings?.[`f${BATCH}`]}`,
    );
    const detected = new Date(row?.detected_at as string).getTime();
    assert.ok(Math.abs(detected - started) < 60_000, `detected_at ${row?.detected_at} is the load's time`);
  });

  test('an invalid row in the last batch: refused before anything is written', async () => {
    const before = await findingCount();
    const data = withFindings(2 * BATCH + 1, (i) => (i === 2 * BATCH ? { severity: 'urgent' as never } : {}));
    await assert.rejects(loadFixtures(database.db, data, { batchSize: BATCH }), /findings\[8\]/);
    assert.equal(await findingCount(), before);
  });

  test('a row the database refuses in the last batch rolls back the batches before it', async () => {
    const before = await findingCount();
    const userCount = (await database.db.select({ n: count() }).from(users))[0]?.n;
    // A NUL passes the file's checks; PostgreSQL text cannot hold it.
    const data = withFindings(2 * BATCH + 1, (i) => (i === 2 * BATCH ? { title: 'bad \u0000 title' } : {}));
    await assert.rejects(loadFixtures(database.db, data, { batchSize: BATCH }));
    assert.equal(await findingCount(), before);
    assert.equal((await database.db.select({ n: count() }).from(users))[0]?.n, userCount);
    const [tenant] = await database.db
      .select({ n: count() })
      .from(tenants)
      .where(sql`${tenants.externalId} like ${`bulk-${label}-%`}`);
    assert.equal(tenant?.n, 0);
  });
});

/** The findings table's indexes, constraints and triggers, as the catalog describes them. */
async function findingsCatalog(): Promise<string[]> {
  const rows = await queryRows<{ item: string }>(
    database.db,
    sql`select 'index ' || pg_get_indexdef(indexrelid) as item from pg_index where indrelid = 'findings'::regclass
        union all select 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated::text
          from pg_constraint where conrelid = 'findings'::regclass
        union all select 'trigger ' || tgname || ' ' || tgenabled::text from pg_trigger where tgrelid = 'findings'::regclass and not tgisinternal
        order by 1`,
  );
  return rows.map((row) => row.item);
}

/** The findings indexes' object ids: a rebuilt index is a new object. */
async function findingsIndexOids(): Promise<number[]> {
  const rows = await queryRows<{ oid: number | string }>(
    database.db,
    sql`select indexrelid::int8 as oid from pg_index where indrelid = 'findings'::regclass order by 1`,
  );
  return rows.map((row) => Number(row.oid));
}

describe('a load larger than the findings table rebuilds its indexes', () => {
  test('the same rows, counters and catalog as a row-by-row index update', async () => {
    const catalog = await findingsCatalog();
    assert.ok(catalog.filter((item) => item.startsWith('index ')).length > 10);
    const oids = await findingsIndexOids();
    const held = await findingCount();
    const data = withFindings(held + 2 * BATCH + 1);
    const ids = await loadFixtures(database.db, data, { batchSize: BATCH, rebuildIndexesFrom: BATCH });
    await assertStored(data, ids);
    assert.deepEqual(await findingsCatalog(), catalog);
    const rebuilt = await findingsIndexOids();
    assert.equal(rebuilt.filter((oid) => oids.includes(oid)).length, 1, 'all but the primary key rebuilt');
    const [counted] = await queryRows<{ total: number | string }>(
      database.db,
      sql`select coalesce(sum(c.total), 0) as total from finding_counters c
          join tenants t on t.id = c.tenant_id where t.external_id like ${`bulk-${label}-%`}`,
    );
    assert.equal(Number(counted?.total), held + 2 * BATCH + 1, 'the counters trigger saw every row');
    const generations = await queryRows<{ tenant_id: number }>(
      database.db,
      sql`select g.tenant_id from finding_list_generations g where g.tenant_id = ${ids.tenants?.t1 ?? -1}`,
    );
    assert.equal(generations.length, 1, "the tenant's list generation moved with the load");
    // The rebuilt indexes answer queries: the planner may use them, and they hold the new rows.
    const [one] = await queryRows<{ n: number | string }>(
      database.db,
      sql`select count(*) as n from findings where tenant_id = ${ids.tenants?.t1} and owner_user_id is null`,
    );
    assert.equal(Number(one?.n), Math.ceil((held + 2 * BATCH + 1) / 6));
  });

  test('a failure during the rebuilt load leaves the indexes and rows as they were', async () => {
    const catalog = await findingsCatalog();
    const held = await findingCount();
    const n = held + 2 * BATCH + 1;
    const data = withFindings(n, (i) => (i === n - 1 ? { title: 'bad \u0000 title' } : {}));
    await assert.rejects(loadFixtures(database.db, data, { batchSize: BATCH, rebuildIndexesFrom: BATCH }));
    assert.equal(await findingCount(), held);
    assert.deepEqual(await findingsCatalog(), catalog);
  });

  test('a load smaller than the table updates the indexes in place and leaves the catalog alone', async () => {
    const catalog = await findingsCatalog();
    const oids = await findingsIndexOids();
    const data = withFindings(BATCH + 1);
    const ids = await loadFixtures(database.db, data, { batchSize: BATCH, rebuildIndexesFrom: BATCH });
    await assertStored(data, ids);
    assert.deepEqual(await findingsCatalog(), catalog);
    assert.deepEqual(await findingsIndexOids(), oids);
  });
});
