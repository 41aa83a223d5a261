// The findings list's statement is planned once per connection, not once per request: PostgreSQL's plan cache
// keeps a prepared statement's generic plan only when it costs about what the plans made for each run's values
// cost, and a LIMIT sent as a value made the page's generic plan look hundreds of times costlier (db/built-once.ts,
// limitInText). Seen through pg_prepared_statements on one connection, on the database the suite runs on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../../test/helpers/db.ts';
import { createTenant, createWorkspace } from '../../../../test/helpers/factories.ts';
import { createPostgresPool, type Database, queryRows, wrapPostgres } from '../../db/client.ts';
import { type FindingFilter, fetchedRowsFor, tenantListRows } from './list-queries.ts';

const FINDINGS = 20_000;

describe('the findings list statement on one connection', () => {
  let database: Database & { url: string | null };
  let oneConnection: Database;
  let tenantId: number;
  before(async () => {
    database = await createTestDatabase();
    oneConnection = database.url ? wrapPostgres(createPostgresPool(database.url, 1)) : database;
    const workspace = await createWorkspace(oneConnection.db);
    tenantId = (await createTenant(oneConnection.db, { workspaceId: workspace.id })).id;
    // Statuses in turn, so that the open list filters some rows out as it walks the index.
    await oneConnection.db.execute(sql`
      insert into findings (tenant_id, title, severity, workflow_status, detected_at)
      select ${tenantId}, 'Drift ' || n, 'low', (array['resolved', 'new', 'triaged'])[n % 3 + 1],
        timestamptz '2026-01-01' + n * interval '1 minute'
      from generate_series(1, ${FINDINGS}) n`);
    await oneConnection.db.execute(sql`analyze findings`);
  });
  after(async () => {
    if (oneConnection !== database) await oneConnection.close();
    await database.close();
  });

  const listPage = async (limit: number, filter: FindingFilter = {}) => {
    const page = await tenantListRows(oneConnection.db, {
      tenantId,
      filter: { workflowStatus: 'open', ...filter },
      sort: 'newest',
      after: null,
      limit,
      now: new Date(),
      gapOwnerIds: [],
    });
    return page.rows;
  };

  // By its text: PostgreSQL knows it by the name Drizzle gives it, PGlite by the one its wrapper makes of the text.
  const plansOf = async (fetched: number, severityFiltered = false) => {
    const [row, more] = await queryRows<{ generic_plans: string | number; custom_plans: string | number }>(
      oneConnection.db,
      sql`select generic_plans, custom_plans from pg_prepared_statements
        where statement like ${`%limit ${fetched}) "p"%`}
          and (statement like ${'%"findings"."severity" = $%'}) = ${severityFiltered}`,
    );
    assert.equal(more, undefined, 'one statement of the list with that count');
    return { generic: Number(row?.generic_plans), custom: Number(row?.custom_plans) };
  };

  test('after the plan cache has tried five runs, the page runs on the generic plan', async () => {
    for (let run = 0; run < 8; run++) {
      const rows = await listPage(51);
      assert.equal(rows.length, 51);
      assert.equal(rows[0]?.title, `Drift ${FINDINGS}`, 'newest first');
      assert.ok(rows.every((row) => row.workflow_status !== 'resolved'));
    }
    const plans = await plansOf(51);
    assert.equal(plans.custom, 5, 'the plan cache tries plans for the values five times');
    assert.equal(plans.generic, 3, 'then keeps the generic plan');
  });

  test('a limit between the fetched counts takes the next one and returns only what it asked for', async () => {
    assert.equal(fetchedRowsFor(31), 51);
    const rows = await listPage(31);
    assert.equal(rows.length, 31);
    assert.equal((await plansOf(51)).generic, 4);
  });

  test('a list filtered by more than its status, built per request, is planned once too', async () => {
    for (let run = 0; run < 8; run++) {
      const rows = await listPage(26, { severity: 'low' });
      assert.equal(rows.length, 26);
      assert.equal(rows[0]?.title, `Drift ${FINDINGS}`, 'newest first');
    }
    const plans = await plansOf(26, true);
    assert.equal(plans.custom, 5);
    assert.equal(plans.generic, 3);
  });
});
