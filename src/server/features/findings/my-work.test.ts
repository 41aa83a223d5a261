import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';

let t: TestApp;
let me: Credential;
let myId = 0;
const mine: { id: number; roles: string[]; tenant: string }[] = [];
let picker: { tenant: string; names: string[] };

before(async () => {
  t = await startTestApp();
  const db = t.db;
  const ws1 = await make.createWorkspace(db);
  const ws2 = await make.createWorkspace(db);
  const t1 = await make.createTenant(db, { workspaceId: ws1.id });
  const t2 = await make.createTenant(db, { workspaceId: ws2.id });
  const notMine = await make.createTenant(db, { workspaceId: ws1.id });
  myId = (await make.createUser(db, { displayName: 'Mia Me' })).id;
  const other = (await make.createUser(db, { displayName: 'Ola Other' })).id;
  await make.addTenantMember(db, { tenant: t1, userId: myId, role: 'readonly' });
  await make.addTenantMember(db, { tenant: t2, userId: myId, role: 'operator' });
  await make.addTenantMember(db, { tenant: t1, userId: other, role: 'owner' });
  me = { bearer: await make.createApiToken(db, { userId: myId }) };
  for (let i = 0; i < 5; i++) {
    for (const [tenant, owner, assignee] of [
      [t1, myId, null],
      [t1, other, myId],
      [t2, myId, myId],
      [t2, other, other],
      [notMine, myId, myId],
    ] as const) {
      const finding = await make.createFinding(db, {
        tenantId: tenant.id,
        ownerUserId: owner,
        assigneeUserId: assignee,
      });
      const roles = [...(owner === myId ? ['owner'] : []), ...(assignee === myId ? ['assignee'] : [])];
      if (tenant !== notMine && roles.length > 0)
        mine.push({ id: finding.id, roles, tenant: tenant.externalId });
    }
  }
  mine.sort((a, b) => b.id - a.id);

  // Members for the picker: names that sort, an inactive one, a member of another tenant only.
  for (const [name, active] of [
    ['Zed 100% sure', true],
    ['adam', true],
    ['Bea', true],
    ['Carl Gone', false],
  ] as const) {
    const user = await make.createUser(db, { displayName: name, active });
    await make.addTenantMember(db, { tenant: t1, userId: user.id, role: 'operator' });
  }
  const elsewhere = await make.createUser(db, { displayName: 'Nina Elsewhere' });
  await make.addTenantMember(db, { tenant: notMine, userId: elsewhere.id, role: 'owner' });
  picker = { tenant: t1.externalId, names: ['adam', 'Bea', 'Mia Me', 'Ola Other', 'Zed 100% sure'] };
});

after(() => t.close());

const get = (url: string) => request(t.app, me, { method: 'GET', url });

async function pages(base: string, limit: number) {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const response = await get(
      `${base}${base.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    assert.equal(response.statusCode, 200, response.body);
    items.push(...response.json().items);
    cursor = response.json().next_cursor;
  } while (cursor);
  return items;
}

describe('GET /admin/my-work', () => {
  test('lists what I own or am assigned in my tenants only, newest first, once each', async () => {
    const items = await pages('/admin/my-work', 4);
    assert.deepEqual(
      items.map((item) => item.finding_id),
      mine.map((f) => f.id),
    );
    for (const [index, item] of items.entries()) {
      const expected = must(mine[index], `finding ${index} of mine`);
      assert.deepEqual(item.my_roles, expected.roles);
      assert.equal((item.tenant as { external_id: string }).external_id, expected.tenant);
      assert.ok('responsibility_state' in item && 'accountability_gap' in item && 'exception_owner' in item);
    }
  });

  for (const role of ['owner', 'assignee'] as const) {
    test(`role=${role} keeps only that role`, async () => {
      const items = await pages(`/admin/my-work?role=${role}`, 3);
      assert.deepEqual(
        items.map((item) => item.finding_id),
        mine.filter((f) => f.roles.includes(role)).map((f) => f.id),
      );
    });
  }

  for (const query of ['role=manager', 'limit=0', 'limit=x', 'cursor=%%%', 'unknown=1&limit=500']) {
    test(`bad query ${query} → 422`, async () => {
      const response = await get(`/admin/my-work?${query}`);
      assert.equal(response.statusCode, 422, response.body);
    });
  }
});

describe('GET /admin/t/{tenant}/members', () => {
  test('active members by name, paged', async () => {
    const items = await pages(`/admin/t/${picker.tenant}/members`, 2);
    assert.deepEqual(
      items.map((item) => item.display_name),
      picker.names,
    );
    assert.deepEqual(Object.keys(must(items[0], 'a picker item')).sort(), [
      'display_name',
      'email',
      'id',
      'role',
    ]);
  });

  test('q matches part of a name or email, case-insensitively, with % taken literally', async () => {
    const names = async (q: string) =>
      (await get(`/admin/t/${picker.tenant}/members?q=${encodeURIComponent(q)}`))
        .json()
        .items.map((item: { display_name: string }) => item.display_name);
    assert.deepEqual(await names('ADA'), ['adam']);
    assert.deepEqual(await names('100%'), ['Zed 100% sure']);
    assert.deepEqual(await names('%'), ['Zed 100% sure']);
    assert.deepEqual(await names('gone'), []);
    assert.deepEqual(await names('example.test'), picker.names);
  });

  for (const query of ['limit=0', 'limit=201', `q=${'x'.repeat(101)}`, 'q=a%00b', 'cursor=abc']) {
    test(`bad query ${query.slice(0, 20)} → 422`, async () => {
      const response = await get(`/admin/t/${picker.tenant}/members?${query}`);
      assert.equal(response.statusCode, 422, response.body);
    });
  }
});
