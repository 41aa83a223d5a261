// docs/rules.md "Findings list": a process answers a list page again from what it kept only while the page is
// certain to be the same. Every change the list shows, made through the app or behind its back in SQL, shows at
// once; so does the clock (an acceptance ending, a review falling due); another tenant's changes keep the page.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { queryRows, runsConcurrently } from '../../db/client.ts';
import type { FindingRow } from './item-queries.ts';
import { KeptListPages, keptListPages, pageChangesAt } from './list-cache.ts';

let t: TestApp;
let me: Credential;
let home: make.Tenant;
let other: make.Tenant;
let colleague: make.User;

interface ListItem {
  finding_id: number;
  title: string;
  workflow_status: string;
  owner: { id: number; display_name: string } | null;
  accountability_gap: boolean;
  exception: { status: string; review_overdue: boolean } | null;
}

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  home = await make.createTenant(t.db, { workspaceId: workspace.id });
  other = await make.createTenant(t.db, { workspaceId: workspace.id });
  const user = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant: home, userId: user.id, role: 'manager' });
  colleague = await make.createUser(t.db, { displayName: 'Colleague' });
  await make.addTenantMember(t.db, { tenant: home, userId: colleague.id, role: 'operator' });
  me = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
});
after(() => t.close());

async function list(query = '', tenant = home) {
  const response = await request(t.app, me, {
    method: 'GET',
    url: `/admin/t/${tenant.externalId}/findings${query}`,
  });
  assert.equal(response.statusCode, 200, response.body);
  assert.match(String(response.headers['content-type']), /^application\/json; charset=utf-8$/);
  return response.json().items as ListItem[];
}

const titles = (items: ListItem[]) => items.map((item) => item.title);
const itemOf = (items: ListItem[], id: number) => items.find((item) => item.finding_id === id);

/** Waits until the clock is past `moment`, 50 ms to spare: for moments set just after it, and early timers. */
async function waitPast(moment: Date) {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, moment.getTime() - Date.now()) + 50));
}

/** Runs `change` with the database's triggers off for it: the one way to change what a list shows unnoticed. */
async function unnoticed(change: ReturnType<typeof sql>) {
  await t.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(change);
  });
}

const generations = async () =>
  Object.fromEntries(
    (
      await queryRows<{ tenant_id: number; generation: string | number }>(
        t.db,
        sql`select tenant_id, generation from finding_list_generations`,
      )
    ).map((row) => [Number(row.tenant_id), String(row.generation)]),
  );

describe('a kept page', () => {
  let finding: make.Finding;
  beforeEach(async () => {
    await t.db.execute(sql`delete from findings where tenant_id in (${home.id}, ${other.id})`);
    finding = await make.createFinding(t.db, { tenantId: home.id, title: 'Kept', ownerUserId: colleague.id });
  });

  test('is answered again until the tenant list generation moves, and never after', async () => {
    assert.deepEqual(titles(await list()), ['Kept']);
    assert.ok(keptListPages(t.db).size > 0, 'the page is kept');
    // Changed with the triggers off, the generation stays: the kept page answers, proving it is used.
    await unnoticed(sql`update findings set title = 'Changed unnoticed' where id = ${finding.id}`);
    assert.deepEqual(titles(await list()), ['Kept']);
    // A query string of its own is a page of its own, read from the database.
    assert.deepEqual(titles(await list('?sort=severity')), ['Changed unnoticed']);
    // Any noticed change to the tenant's findings moves the generation, and the page is read again.
    await make.createFinding(t.db, { tenantId: home.id, title: 'Second', detectedAt: new Date(0) });
    assert.deepEqual(titles(await list()), ['Changed unnoticed', 'Second']);
  });

  test("another tenant's changes keep the page; a change to people moves every tenant's", async () => {
    await list();
    const before = await generations();
    await make.createFinding(t.db, { tenantId: other.id, title: 'Elsewhere' });
    const afterOther = await generations();
    assert.equal(afterOther[home.id], before[home.id], "another tenant's finding leaves this tenant's pages");
    assert.notEqual(afterOther[other.id], before[other.id]);
    await unnoticed(sql`update findings set title = 'Still kept' where id = ${finding.id}`);
    assert.deepEqual(titles(await list()), ['Kept'], 'kept across the other tenant changing');
    await t.db.execute(sql`update users set last_sign_in_at = now() where id = ${colleague.id}`);
    assert.equal((await generations())[0], afterOther[0], 'a sign-in is nothing a list shows');
    await t.db.execute(sql`update users set display_name = 'Renamed' where id = ${colleague.id}`);
    const items = await list();
    assert.deepEqual(titles(items), ['Still kept']);
    assert.equal(itemOf(items, finding.id)?.owner?.display_name, 'Renamed');
    await t.db.execute(sql`update users set display_name = 'Colleague' where id = ${colleague.id}`);
  });

  const changes: [string, () => Promise<unknown>, (item: ListItem | undefined) => void][] = [
    [
      'a title changed in SQL',
      () => t.db.execute(sql`update findings set title = 'Retitled' where id = ${finding.id}`),
      (item) => assert.equal(item?.title, 'Retitled'),
    ],
    [
      'the finding deleted',
      () => t.db.execute(sql`delete from findings where id = ${finding.id}`),
      (item) => assert.equal(item, undefined),
    ],
    [
      'the finding resolved',
      () => t.db.execute(sql`update findings set workflow_status = 'resolved' where id = ${finding.id}`),
      (item) => assert.equal(item, undefined),
    ],
    [
      'an exception requested',
      () => make.createException(t.db, { findingId: finding.id, ownerUserId: colleague.id }),
      (item) => assert.equal(item?.exception?.status, 'pending'),
    ],
    [
      "the owner's tenant membership removed",
      () =>
        t.db.execute(
          sql`delete from tenant_memberships where tenant_id = ${home.id} and user_id = ${colleague.id}`,
        ),
      (item) => assert.equal(item?.accountability_gap, true),
    ],
    [
      'the owner suspended',
      () => t.db.execute(sql`update users set active = false where id = ${colleague.id}`),
      (item) => assert.equal(item?.accountability_gap, true),
    ],
  ];
  for (const [name, change, check] of changes) {
    test(`shows ${name} on the next request`, async () => {
      const before = itemOf(await list(), finding.id);
      assert.equal(before?.accountability_gap, false);
      assert.equal(before?.exception, null);
      await change();
      check(itemOf(await list(), finding.id));
      await t.db.execute(sql`update users set active = true where id = ${colleague.id}`);
      await t.db.execute(
        sql`insert into tenant_memberships (tenant_id, workspace_id, user_id, role)
          select ${home.id}, ${home.workspaceId}, ${colleague.id}, 'operator'
          where not exists (select 1 from tenant_memberships where tenant_id = ${home.id} and user_id = ${colleague.id})`,
      );
    });
  }

  test('an empty page, its findings all accepted for now, shows them once the acceptance ends', async () => {
    const acceptedUntil = new Date(Date.now() + 600);
    await make.createException(t.db, {
      findingId: finding.id,
      ownerUserId: colleague.id,
      status: 'approved',
      expiresAt: acceptedUntil,
    });
    assert.deepEqual(await list(), []);
    assert.deepEqual(await list(), [], 'asked twice while accepted');
    await waitPast(acceptedUntil);
    assert.deepEqual(titles(await list()), ['Kept']);
  });

  test('moves when the tenant itself changes', async () => {
    const before = await generations();
    await t.db.execute(sql`update tenants set name = 'Renamed tenant' where id = ${home.id}`);
    assert.notEqual((await generations())[home.id], before[home.id]);
  });

  test('shows an acceptance ending and a review falling due at that moment', async () => {
    const acceptedUntil = new Date(Date.now() + 700);
    await make.createException(t.db, {
      findingId: finding.id,
      ownerUserId: colleague.id,
      status: 'approved',
      expiresAt: acceptedUntil,
      reviewDueAt: new Date(Date.now() + 86_400_000),
    });
    const pending = await make.createFinding(t.db, { tenantId: home.id, title: 'Reviewed soon' });
    await make.createException(t.db, {
      findingId: pending.id,
      ownerUserId: colleague.id,
      reviewDueAt: new Date(Date.now() + 700),
    });
    const open = await list();
    assert.equal(itemOf(open, finding.id), undefined, 'accepted: not open');
    assert.equal(itemOf(open, pending.id)?.exception?.review_overdue, false);
    assert.equal(
      itemOf(await list('?workflow_status=risk_accepted'), finding.id)?.workflow_status,
      'risk_accepted',
    );
    assert.deepEqual(titles(await list()), titles(open), 'kept while nothing moved');
    await waitPast(acceptedUntil);
    const later = await list();
    assert.equal(itemOf(later, finding.id)?.workflow_status, 'new', 'the acceptance ended: open again');
    assert.equal(itemOf(later, pending.id)?.exception?.review_overdue, true);
    assert.equal(itemOf(await list('?workflow_status=risk_accepted'), finding.id), undefined);
  });
});

describe('the list generation', () => {
  const generationOf = async (tenantId: number) => (await generations())[tenantId];

  test('moves once per committed transaction, whatever its statements, and not for one rolled back', async () => {
    const finding = await make.createFinding(t.db, { tenantId: other.id });
    const start = await generationOf(other.id);
    await t.db
      .transaction(async (tx) => {
        await tx.execute(sql`update findings set title = 'Rolled back' where id = ${finding.id}`);
        tx.rollback();
      })
      .catch(() => {});
    assert.equal(await generationOf(other.id), start, 'a rolled-back transaction moves nothing');
    // A statement that changes no row first must not stop the next one from being noticed.
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`update findings set title = 'none' where id = -1`);
      await tx.execute(sql`update findings set title = 'Noticed' where id = ${finding.id}`);
      await tx.execute(sql`update findings set title = 'Noticed again' where id = ${finding.id}`);
    });
    const afterBoth = await generationOf(other.id);
    assert.notEqual(afterBoth, start);
    // Events fired mid-transaction (SET CONSTRAINTS ALL IMMEDIATE) leave later changes noticed too.
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`update findings set title = 'First' where id = ${finding.id}`);
      await tx.execute(sql`set constraints all immediate`);
      const [mid] = await queryRows<{ generation: string }>(
        tx,
        sql`select generation::text from finding_list_generations where tenant_id = ${other.id}`,
      );
      assert.notEqual(mid?.generation, afterBoth);
      await tx.execute(sql`set constraints all deferred`);
      await tx.execute(sql`update findings set title = 'Second' where id = ${finding.id}`);
      const [held] = await queryRows<{ generation: string }>(
        tx,
        sql`select generation::text from finding_list_generations where tenant_id = ${other.id}`,
      );
      assert.equal(held?.generation, mid?.generation, 'deferred again until commit');
    });
    const [last] = await queryRows<{ generation: string }>(
      t.db,
      sql`select generation::text from finding_list_generations where tenant_id = ${other.id}`,
    );
    assert.notEqual(last?.generation, afterBoth, 'the change after the immediate events moved it at commit');
    // Immediate from the start, every statement's changes move it at the statement's end.
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`set constraints all immediate`);
      const seen = [];
      for (const title of ['One', 'Two']) {
        await tx.execute(sql`update findings set title = ${title} where id = ${finding.id}`);
        const [row] = await queryRows<{ generation: string }>(
          tx,
          sql`select generation::text from finding_list_generations where tenant_id = ${other.id}`,
        );
        seen.push(row?.generation);
      }
      assert.equal(new Set([last?.generation, ...seen]).size, 3, `moved by each statement: ${seen}`);
    });
  });

  test('two writers to the same two tenants, in opposite orders, both commit', async (context) => {
    if (!runsConcurrently(t.db)) return context.skip('one connection: its transactions never overlap');
    // Each writer changes findings of its own (no row is shared), one tenant then the other, both holding
    // their first change when they make their second: only the generation rows are shared, and they are
    // written at commit in tenant order, so neither waits on the other for long, and nobody deadlocks.
    const mine = async (tenants: make.Tenant[]) =>
      Promise.all(tenants.map((tenant) => make.createFinding(t.db, { tenantId: tenant.id })));
    const orders = [await mine([home, other]), await mine([other, home])];
    let arrived = 0;
    let bothArrived = () => {};
    const barrier = new Promise<void>((resolve) => {
      bothArrived = resolve;
    });
    await Promise.all(
      orders.map((findings) =>
        t.db.transaction(async (tx) => {
          const [first, second] = findings;
          await tx.execute(sql`update findings set title = 'First of two' where id = ${first?.id}`);
          if (++arrived === 2) bothArrived();
          await barrier;
          await tx.execute(sql`update findings set title = 'Second of two' where id = ${second?.id}`);
        }),
      ),
    );
  });
});

describe('pageChangesAt', () => {
  const row = (x: Partial<FindingRow['x']> | null) =>
    ({ x: x && { review_due_at: '2027-01-01T00:00:00.000Z', expires_at: null, ...x } }) as FindingRow;
  const now = Date.parse('2026-06-01T00:00:00.000Z');

  test('is the earliest moment ahead: an acceptance of the tenant, an expiry, a review date', () => {
    assert.equal(pageChangesAt([], null, now), Infinity);
    assert.equal(pageChangesAt([row(null)], now + 10, now), now + 10);
    assert.equal(
      pageChangesAt([row(null)], now - 10, now),
      Infinity,
      'an acceptance already ended moves nothing',
    );
    assert.equal(
      pageChangesAt([row({ expires_at: '2026-06-01T00:00:05.000Z' })], now + 20_000, now),
      now + 5_000,
    );
    assert.equal(pageChangesAt([row({ review_due_at: '2026-06-01T00:00:02.000Z' })], null, now), now + 2_000);
    assert.equal(
      pageChangesAt([row({ review_due_at: '2026-05-01T00:00:00.000Z' })], null, now),
      Infinity,
      'a review already due moves nothing more',
    );
  });
});

describe('KeptListPages', () => {
  test('answers a page made at the same generation before its moment, and drops the least used beyond its size', () => {
    const pages = new KeptListPages();
    pages.keep('a', { generation: '1.0', until: 100, body: 'A' });
    assert.equal(pages.answer('a', '1.0', 99), 'A');
    assert.equal(pages.answer('a', '2.0', 99), undefined, 'another generation');
    assert.equal(pages.answer('a', '1.0', 99), undefined, 'dropped once stale');
    pages.keep('a', { generation: '1.0', until: 100, body: 'A' });
    assert.equal(pages.answer('a', '1.0', 100), undefined, 'its moment has come');
    const large = 'x'.repeat(240_000);
    for (let i = 0; i < 20; i++) pages.keep(`p${i}`, { generation: '1.0', until: Infinity, body: large });
    assert.ok(pages.size < 20 && pages.size >= 16, `bounded: ${pages.size} pages kept`);
    assert.equal(pages.answer('p0', '1.0', 0), undefined, 'the oldest went first');
    assert.equal(pages.answer('p19', '1.0', 0), large);
    pages.keep('huge', { generation: '1.0', until: Infinity, body: 'x'.repeat(300_000) });
    assert.equal(pages.answer('huge', '1.0', 0), undefined, 'a page too large is not kept');
  });
});
