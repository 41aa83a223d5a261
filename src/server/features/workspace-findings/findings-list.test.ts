import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import type { WorkspaceFindingItem, WorkspaceFindingPage } from './schemas.ts';

/** docs/rules.md "Workspace views": the findings list across tenants, every filter and sort plus tenant. */
let t: TestApp;
let workspace: make.Workspace;
let me: make.User;
let colleague: make.User;
let contoso: make.Tenant;
let fabrikam: make.Tenant;
let other: make.Tenant;
let bearer: { bearer: string };
const DAY = 86_400_000;

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db);
  me = await make.createUser(t.db, { displayName: 'Mia Manager' });
  colleague = await make.createUser(t.db, { displayName: 'Colin Colleague' });
  contoso = await make.createTenant(t.db, { workspaceId: workspace.id, name: 'Contoso' });
  fabrikam = await make.createTenant(t.db, { workspaceId: workspace.id, name: 'Fabrikam' });
  // A tenant of the workspace where "me" has no role: never in my answers, but it makes me a partial viewer.
  other = await make.createTenant(t.db, { workspaceId: workspace.id, name: 'Other' });
  for (const tenant of [contoso, fabrikam]) {
    await make.addTenantMember(t.db, { tenant, userId: me.id, role: 'manager' });
  }
  // The colleague is an active member of Fabrikam only: their Contoso findings are accountability gaps there.
  await make.addTenantMember(t.db, { tenant: fabrikam, userId: colleague.id, role: 'operator' });
  bearer = { bearer: await make.createApiToken(t.db, { userId: me.id }) };
  const at = (days: number) => new Date(Date.UTC(2026, 0, 1) + days * DAY);
  const rows: [make.Tenant, Partial<make.Finding>][] = [
    [contoso, { title: 'C1 critical, no owner', severity: 'critical', detectedAt: at(1) }],
    [contoso, { title: 'C2 low, colleague', severity: 'low', ownerUserId: colleague.id, detectedAt: at(5) }],
    [
      contoso,
      {
        title: 'C3 high, mine',
        severity: 'high',
        ownerUserId: me.id,
        assigneeUserId: me.id,
        detectedAt: at(3),
      },
    ],
    [contoso, { title: 'C4 resolved', severity: 'critical', workflowStatus: 'resolved', detectedAt: at(2) }],
    [
      fabrikam,
      { title: 'F1 medium, colleague', severity: 'medium', ownerUserId: colleague.id, detectedAt: at(4) },
    ],
    [fabrikam, { title: 'F2 critical, mine', severity: 'critical', ownerUserId: me.id, detectedAt: at(6) }],
    [fabrikam, { title: 'F3 high, no owner', severity: 'high', detectedAt: at(0) }],
    [other, { title: 'O1 not for me', severity: 'critical', detectedAt: at(7) }],
  ];
  for (const [tenant, values] of rows) await make.createFinding(t.db, { tenantId: tenant.id, ...values });
});
after(() => t.close());

async function list(query = ''): Promise<WorkspaceFindingPage> {
  const response = await request(t.app, bearer, {
    method: 'GET',
    url: `/admin/w/${workspace.slug}/findings?${query}`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/** Every page with `limit`, cursor after cursor. */
async function all(query: string, limit = 2): Promise<WorkspaceFindingItem[]> {
  const items: WorkspaceFindingItem[] = [];
  let cursor: string | null = null;
  do {
    const page: WorkspaceFindingPage = await list(
      `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.ok(page.items.length <= limit);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

const titles = (items: WorkspaceFindingItem[]) => items.map((item) => item.title.slice(0, 2));

describe('across the tenants the actor may view', () => {
  test('open findings of both tenants, detected latest first, each naming its tenant', async () => {
    const items = await all('');
    assert.deepEqual(titles(items), ['F2', 'C2', 'F1', 'C3', 'C1', 'F3']);
    assert.deepEqual(items[0]?.tenant, { external_id: fabrikam.externalId, name: 'Fabrikam' });
    assert.deepEqual(items[1]?.tenant, { external_id: contoso.externalId, name: 'Contoso' });
  });

  test('every sort of the tenant list, paged by keyset without gaps or repeats', async () => {
    assert.deepEqual(titles(await all('sort=oldest')), ['F3', 'C1', 'C3', 'F1', 'C2', 'F2']);
    assert.deepEqual(titles(await all('sort=severity')), ['F2', 'C1', 'F3', 'C3', 'F1', 'C2']);
    assert.deepEqual(titles(await all('sort=detected')), ['F2', 'C2', 'F1', 'C3', 'C1', 'F3']);
    assert.deepEqual(titles(await all('sort=severity', 1)), titles(await all('sort=severity', 200)));
  });

  test('the filters of the tenant list', async () => {
    assert.deepEqual(titles(await all('severity=critical')), ['F2', 'C1']);
    assert.deepEqual(titles(await all('owner=me')), ['F2', 'C3']);
    assert.deepEqual(titles(await all('owner=none')), ['C1', 'F3']);
    assert.deepEqual(titles(await all(`owner=${colleague.id}`)), ['C2', 'F1']);
    assert.deepEqual(titles(await all('assignee=me')), ['C3']);
    assert.deepEqual(titles(await all('responsibility_state=owned_unassigned')), ['F2', 'C2', 'F1']);
    assert.deepEqual(titles(await all('workflow_status=resolved')), ['C4']);
    assert.equal((await all('workflow_status=any')).length, 7);
  });

  test('accountability gap per tenant: an owner who is a member of one tenant is a gap in the other', async () => {
    assert.deepEqual(titles(await all('accountability_gap=true')), ['C2', 'C1', 'F3']);
    assert.deepEqual(titles(await all('accountability_gap=false')), ['F2', 'F1', 'C3']);
    assert.deepEqual(titles(await all('accountability_gap=true&sort=severity')), ['C1', 'F3', 'C2']);
    const gaps = await all('accountability_gap=true');
    assert.ok(gaps.every((item) => item.accountability_gap));
  });

  test('tenant: one tenant only, with any other filter', async () => {
    assert.deepEqual(titles(await all(`tenant=${contoso.externalId}`)), ['C2', 'C3', 'C1']);
    assert.deepEqual(titles(await all(`tenant=${contoso.externalId}&accountability_gap=true`)), ['C2', 'C1']);
    assert.deepEqual(titles(await all(`tenant=${fabrikam.externalId}&sort=severity`)), ['F2', 'F3', 'F1']);
  });

  test('a cursor of another sort is refused, not misread', async () => {
    const page = await list('sort=severity&limit=1');
    assert.ok(page.next_cursor);
    const response = await request(t.app, bearer, {
      method: 'GET',
      url: `/admin/w/${workspace.slug}/findings?sort=detected&cursor=${page.next_cursor}`,
    });
    assert.equal(response.statusCode, 422);
    assert.ok('cursor' in response.json().error.fields);
  });

  test('a viewer of every tenant walks the workspace without a tenant filter and sees the same rules', async () => {
    const owner = await make.createUser(t.db);
    for (const tenant of [contoso, fabrikam, other]) {
      await make.addTenantMember(t.db, { tenant, userId: owner.id, role: 'readonly' });
    }
    const response = await request(
      t.app,
      { bearer: await make.createApiToken(t.db, { userId: owner.id }) },
      { method: 'GET', url: `/admin/w/${workspace.slug}/findings?sort=severity&limit=200` },
    );
    assert.deepEqual(
      titles(response.json().items),
      ['O1', 'F2', 'C1', 'F3', 'C3', 'F1', 'C2'],
      'all three tenants, most severe first',
    );
  });
});

describe('?format=csv', () => {
  async function csv(query: string) {
    return request(t.app, bearer, {
      method: 'GET',
      url: `/admin/w/${workspace.slug}/findings?format=csv&${query}`,
    });
  }

  test('streams every matching finding of the tenants in reach, in the sort, naming the tenant', async () => {
    const response = await csv('sort=severity');
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    assert.match(
      String(response.headers['content-disposition']),
      /attachment; filename="tenantpilot-findings-/,
    );
    const lines = response.body.trimEnd().split('\r\n');
    assert.match(lines[0] ?? '', /^finding_id,tenant,title,severity/);
    const rows = lines.slice(1).map((line) => line.split(','));
    assert.deepEqual(
      rows.map((cells) => cells[2]?.replace(/^"/, '').slice(0, 2)),
      ['F2', 'C1', 'F3', 'C3', 'F1', 'C2'],
    );
    assert.deepEqual(
      [...new Set(rows.map((cells) => cells[1]))].sort(),
      [contoso.externalId, fabrikam.externalId].sort(),
    );
    assert.ok(!response.body.includes('O1 not for me'));
  });

  test('with the filters and the tenant, as the list', async () => {
    const response = await csv(`accountability_gap=true&tenant=${contoso.externalId}`);
    const titlesIn = response.body
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[2]?.replace(/^"/, '').slice(0, 2));
    assert.deepEqual(titlesIn, ['C2', 'C1']);
    const none = await csv('tenant=no-such-tenant');
    assert.equal(none.body.trimEnd().split('\r\n').length, 1, 'the header row only');
  });

  test('a bad filter is still a 422, before any line', async () => {
    const response = await csv('severity=huge');
    assert.equal(response.statusCode, 422);
    assert.ok('severity' in response.json().error.fields);
  });
});
