import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { createFinding, createTenant, createUser, createWorkspace } from '../../../test/helpers/factories.ts';
import { findings } from '../features/findings/tables.ts';
import { users } from '../features/tenancy/tables.ts';
import { builtOnce } from './built-once.ts';
import type { Database, Db } from './client.ts';

test('a statement is built once per database and name; another database or name builds its own', () => {
  const first = {} as Db;
  const second = {} as Db;
  const built: string[] = [];
  const build = (db: string) => (name: string) => {
    built.push(`${db}:${name}`);
    return { db, name };
  };
  const a = builtOnce(first, 'tp_a', build('first'));
  assert.equal(builtOnce(first, 'tp_a', build('first')), a, 'the same object again');
  assert.deepEqual(builtOnce(first, 'tp_b', build('first')), { db: 'first', name: 'tp_b' });
  assert.deepEqual(builtOnce(second, 'tp_a', build('second')), { db: 'second', name: 'tp_a' });
  assert.deepEqual(built, ['first:tp_a', 'first:tp_b', 'second:tp_a']);
});

describe('rows of a statement built once, on the database the suite runs on', () => {
  let database: Database;
  let tenantId: number;
  before(async () => {
    database = await createTestDatabase();
    const db = database.db;
    const owner = await createUser(db, { displayName: 'Olive Owner' });
    const workspace = await createWorkspace(db);
    tenantId = (await createTenant(db, { workspaceId: workspace.id })).id;
    await createFinding(db, { tenantId, title: 'Owned', ownerUserId: owner.id });
    await createFinding(db, { tenantId, title: 'Nobody owns this' });
  });
  after(() => database.close());

  test('are what Drizzle makes of them: decoded, nested, an outer-joined nobody null', async () => {
    const o = alias(users, 'o');
    const pageOf = database.db
      .select({ id: findings.id, detectedAt: findings.detectedAt, title: findings.title })
      .from(findings)
      .where(eq(findings.tenantId, sql.placeholder('tenant')))
      .as('p');
    const query = database.db
      .select({
        id: pageOf.id,
        detectedAt: pageOf.detectedAt,
        shout: sql<string>`upper(${pageOf.title})`,
        one: sql`1`.mapWith(Number),
        named: sql<string>`'x' || ${pageOf.id}`.as('named'),
        owner: { id: o.id, name: o.displayName, since: o.createdAt },
      })
      .from(pageOf)
      .innerJoin(findings, eq(findings.id, pageOf.id))
      .leftJoin(o, eq(o.id, findings.ownerUserId))
      .orderBy(pageOf.id);
    const planned = await builtOnce(database.db, 'tp_row_plan_test', (name) => query.prepare(name)).execute({
      tenant: tenantId,
    });
    const drizzles = await query.prepare('tp_row_plan_test_drizzle').execute({ tenant: tenantId });
    assert.deepEqual(planned, drizzles);
    const [owned, nobodys] = planned;
    assert.ok(owned?.detectedAt instanceof Date && owned.owner?.since instanceof Date, 'timestamps decoded');
    assert.equal(owned?.owner?.name, 'Olive Owner');
    assert.equal(owned?.shout, 'OWNED');
    assert.equal(owned?.one, 1);
    assert.equal(nobodys?.owner, null);
  });
});
