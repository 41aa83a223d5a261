import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { users, workspaceMemberships } from '../tenancy/tables.ts';
import type { WorkspaceTenantPage } from './schemas.ts';

/** docs/rules.md "Administration": the workspace overview and its tenant list (every member may read both). */
let t: TestApp;
let workspace: make.Workspace;
let otherWorkspace: make.Workspace;
let owner: Credential;
let readonly: Credential;
let serial = 0;

async function member(workspaceId: number, role: 'owner' | 'readonly') {
  const user = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId, userId: user.id, role });
  return { id: user.id, credential: { bearer: await make.createApiToken(t.db, { userId: user.id }) } };
}

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db, { name: 'Northwind MSP' });
  otherWorkspace = await make.createWorkspace(t.db);
  owner = (await member(workspace.id, 'owner')).credential;
  readonly = (await member(workspace.id, 'readonly')).credential;
});

after(() => t.close());

const tenantsUrl = (slug = workspace.slug) => `/admin/w/${slug}/tenants`;
const nextId = (prefix = 'tenant') => `${prefix}-${++serial}`;

async function create(body: Record<string, unknown>, as: Credential = owner) {
  return request(t.app, as, { method: 'POST', url: tenantsUrl(), payload: body });
}

describe('GET /admin/w/{workspace}', () => {
  test('the workspace, the caller role and capabilities, counts of tenants and people', async () => {
    const ws = await make.createWorkspace(t.db, { name: 'Counted' });
    const o = await member(ws.id, 'owner');
    const r = await member(ws.id, 'readonly');
    const suspended = await member(ws.id, 'readonly');
    const deactivated = await member(ws.id, 'readonly');
    await t.db
      .update(workspaceMemberships)
      .set({ active: false })
      .where(and(eq(workspaceMemberships.workspaceId, ws.id), eq(workspaceMemberships.userId, suspended.id)));
    await t.db.update(users).set({ active: false }).where(eq(users.id, deactivated.id));
    await make.createTenant(t.db, { workspaceId: ws.id });
    await make.createTenant(t.db, { workspaceId: ws.id });
    await make.createTenant(t.db, { workspaceId: ws.id, archivedAt: new Date() });
    await make.createTenant(t.db, { workspaceId: otherWorkspace.id });

    const asOwner = await request(t.app, o.credential, { method: 'GET', url: `/admin/w/${ws.slug}` });
    assert.equal(asOwner.statusCode, 200, asOwner.body);
    assert.deepEqual(asOwner.json(), {
      workspace: { id: ws.id, slug: ws.slug, name: 'Counted' },
      workspace_role: 'owner',
      capabilities: ['workspace.view', 'workspace.grant_access', 'workspace.administer'],
      counts: { tenants: { active: 2, archived: 1 }, people: { active: 2, suspended: 2 } },
    });
    const asReadonly = await request(t.app, r.credential, { method: 'GET', url: `/admin/w/${ws.slug}` });
    assert.equal(asReadonly.json().workspace_role, 'readonly');
    assert.deepEqual(asReadonly.json().capabilities, ['workspace.view']);
  });
});

describe('GET /admin/w/{workspace}/tenants', () => {
  let ws: make.Workspace;
  let viewer: { id: number; credential: Credential };
  const names = ['beta', 'Alpha', 'alpha two', 'Gamma 50%', 'delta_x', 'Epsilon'];

  before(async () => {
    ws = await make.createWorkspace(t.db);
    viewer = await member(ws.id, 'readonly');
    for (const [i, name] of names.entries()) {
      const tenant = await make.createTenant(t.db, { workspaceId: ws.id, name, externalId: `list-${i}-ext` });
      if (name === 'beta') await make.addTenantMember(t.db, { tenant, userId: viewer.id, role: 'operator' });
    }
    await make.createTenant(t.db, {
      workspaceId: ws.id,
      name: 'Archived Zeta',
      externalId: 'list-archived',
      archivedAt: new Date(),
    });
    await make.createTenant(t.db, { workspaceId: otherWorkspace.id, name: 'Alpha elsewhere' });
  });

  const list = async (query = '') => {
    const response = await request(t.app, viewer.credential, {
      method: 'GET',
      url: `${tenantsUrl(ws.slug)}${query}`,
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as WorkspaceTenantPage;
  };

  test("every active tenant of the workspace by name, case-insensitively, with the caller's own role", async () => {
    const page = await list();
    assert.deepEqual(
      page.items.map((x) => x.name),
      ['Alpha', 'alpha two', 'beta', 'delta_x', 'Epsilon', 'Gamma 50%'],
    );
    assert.equal(page.next_cursor, null);
    assert.equal(page.limit, 50);
    assert.deepEqual(
      page.items.map((x) => x.my_role),
      [null, null, 'operator', null, null, null],
    );
    const first = must(page.items[0], 'first item');
    assert.deepEqual(Object.keys(first).sort(), [
      'archived',
      'archived_at',
      'created_at',
      'desk_customer_id',
      'directory_id',
      'external_id',
      'id',
      'my_role',
      'name',
      'primary_domain',
    ]);
  });

  test('archived: false by default, true for archived only, all for both', async () => {
    assert.deepEqual(
      (await list('?archived=true')).items.map((x) => [x.name, x.archived]),
      [['Archived Zeta', true]],
    );
    assert.equal((await list('?archived=false')).items.length, 6);
    const all = await list('?archived=all');
    assert.equal(all.items.length, 7);
    assert.deepEqual(
      all.items.map((x) => x.name),
      ['Alpha', 'alpha two', 'Archived Zeta', 'beta', 'delta_x', 'Epsilon', 'Gamma 50%'],
    );
  });

  test('q finds part of the name or the external_id, any case, wildcards literally', async () => {
    assert.deepEqual(
      (await list('?q=ALPHA')).items.map((x) => x.name),
      ['Alpha', 'alpha two'],
    );
    assert.deepEqual(
      (await list('?q=2-EXT')).items.map((x) => x.name),
      ['alpha two'],
    );
    assert.deepEqual(
      (await list(`?q=${encodeURIComponent('50%')}`)).items.map((x) => x.name),
      ['Gamma 50%'],
    );
    assert.deepEqual(
      (await list('?q=_')).items.map((x) => x.name),
      ['delta_x'],
    );
    assert.deepEqual((await list('?q=zeta')).items, []);
    assert.deepEqual(
      (await list('?q=zeta&archived=all')).items.map((x) => x.name),
      ['Archived Zeta'],
    );
  });

  test('pages to the end: every tenant once, in order, next_cursor null on the last page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: WorkspaceTenantPage = await list(
        `?archived=all&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.ok(page.items.length <= 2);
      assert.equal(page.limit, 2);
      seen.push(...page.items.map((x) => x.name));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    assert.equal(pages, 4);
    assert.deepEqual(seen, [...(await list('?archived=all')).items.map((x) => x.name)]);
  });

  test('limit out of 1–200, a bad cursor, an unknown archived value or a NUL in q → 422 naming it', async () => {
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?limit=abc', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?archived=yes', 'archived'],
      ['?q=%00', 'q'],
      [`?q=${'x'.repeat(101)}`, 'q'],
    ] as const) {
      const response = await request(t.app, viewer.credential, {
        method: 'GET',
        url: `${tenantsUrl(ws.slug)}${query}`,
      });
      assert.equal(response.statusCode, 422, `${query}: ${response.body}`);
      assert.ok(response.json().error.fields[field], `${query}: ${response.body}`);
    }
  });

  test('readonly members list tenants, never create them', async () => {
    const response = await create({ external_id: nextId(), name: 'Nope' }, readonly);
    assert.equal(response.statusCode, 403);
  });
});
