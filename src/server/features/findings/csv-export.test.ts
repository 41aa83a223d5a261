import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { parseCsv } from '../../../../test/helpers/csv.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { FINDINGS_CSV_HEADER, findingsCsvLines } from './csv-export.ts';
import type { ExportRow } from './export-queries.ts';
import { findings, severities, workflowStatuses } from './tables.ts';

/** docs/rules.md "Finding lifecycle", export: the list's filters and sort as CSV, streamed batch by batch. */
let t: TestApp;
let tenant: make.Tenant;
let reader: Credential;
let stranger: Credential;
const people = { reader: 0, former: 0 };

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  people.reader = (await make.createUser(t.db, { displayName: 'Rita Reader' })).id;
  await make.addTenantMember(t.db, { tenant, userId: people.reader, role: 'readonly' });
  reader = { bearer: await make.createApiToken(t.db, { userId: people.reader }) };
  // A former member who is inactive too: still named in the export.
  people.former = (await make.createUser(t.db, { displayName: 'Fritz Former', active: false })).id;
  const elsewhere = await make.createWorkspace(t.db);
  const strangerId = (await make.createUser(t.db)).id;
  await make.addTenantMember(t.db, {
    tenant: await make.createTenant(t.db, { workspaceId: elsewhere.id }),
    userId: strangerId,
    role: 'owner',
  });
  stranger = { bearer: await make.createApiToken(t.db, { userId: strangerId }) };
  const rows = Array.from({ length: 2_345 }, (_, i) => ({
    tenantId: tenant.id,
    workspaceId: tenant.workspaceId,
    title: i === 0 ? '=HYPERLINK("http://evil.example")' : `Finding, "quoted" ${i}\nsecond line`,
    severity: severities[i % 4] ?? 'low',
    workflowStatus: workflowStatuses[i % 6] ?? 'new',
    detectedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 3) * 60_000),
    ownerUserId: i % 5 === 0 ? null : i % 5 === 1 ? people.former : people.reader,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    await t.db.insert(findings).values(rows.slice(start, start + 500));
  }
});

after(() => t.close());

const url = (query: string) => `/admin/t/${tenant.externalId}/findings?${query}`;

async function listedIds(query: string): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = (
      await request(t.app, reader, { method: 'GET', url: url(`limit=200&${query}${suffix}`) })
    ).json();
    ids.push(...page.items.map((item: { finding_id: number }) => item.finding_id));
    cursor = page.next_cursor;
  } while (cursor !== null);
  return ids;
}

describe('GET /admin/t/{tenant}/findings?format=csv', () => {
  for (const query of [
    '',
    'sort=severity',
    'sort=detected&owner=none',
    'workflow_status=any&sort=oldest',
    'accountability_gap=true',
  ]) {
    test(`the same findings in the same order as the list: ${query || '(defaults: open, newest)'}`, async () => {
      const response = await request(t.app, reader, { method: 'GET', url: url(`format=csv&${query}`) });
      assert.equal(response.statusCode, 200, response.body.slice(0, 200));
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(
        String(response.headers['content-disposition']),
        /attachment; filename="tenantpilot-findings-/,
      );
      const [header, ...rows] = parseCsv(response.body);
      assert.deepEqual(header, [...FINDINGS_CSV_HEADER]);
      assert.deepEqual(
        rows.map((row) => Number(row[0])),
        await listedIds(query),
      );
    });
  }

  test('cells: names of former, inactive owners; quotes and line breaks kept; formulas defused', async () => {
    const response = await request(t.app, reader, {
      method: 'GET',
      url: url('format=csv&workflow_status=any&sort=oldest'),
    });
    const [header, ...rows] = parseCsv(response.body);
    const column = (name: string) => (header ?? []).indexOf(name);
    assert.equal(rows.length, 2_345);
    const [first, second, third] = rows;
    assert.equal(first?.[column('title')], `'=HYPERLINK("http://evil.example")`);
    assert.equal(first?.[column('owner')], '');
    assert.equal(first?.[column('responsibility_state')], 'orphaned_accountability');
    assert.equal(second?.[column('owner')], 'Fritz Former');
    assert.equal(second?.[column('accountability_gap')], 'true');
    assert.equal(third?.[column('owner')], 'Rita Reader');
    assert.equal(third?.[column('title')], 'Finding, "quoted" 2\nsecond line');
    assert.equal(third?.[column('tenant')], tenant.externalId);
  });

  test('the effective status and the current exception, as the list reads them', async () => {
    const home = await make.createTenant(t.db, { workspaceId: tenant.workspaceId });
    await make.addTenantMember(t.db, { tenant: home, userId: people.reader, role: 'readonly' });
    const accepted = await make.createFinding(t.db, { tenantId: home.id, workflowStatus: 'triaged' });
    await make.createException(t.db, {
      findingId: accepted.id,
      ownerUserId: people.reader,
      requestedByUserId: people.former,
      status: 'approved',
    });
    const bare = await make.createFinding(t.db, { tenantId: home.id, workflowStatus: 'risk_accepted' });
    const pending = await make.createFinding(t.db, { tenantId: home.id, workflowStatus: 'new' });
    await make.createException(t.db, { findingId: pending.id, ownerUserId: people.reader });
    const response = await request(t.app, reader, {
      method: 'GET',
      url: `/admin/t/${home.externalId}/findings?format=csv&workflow_status=any&sort=oldest`,
    });
    const [header, ...rows] = parseCsv(response.body);
    const cells = rows.map((row) =>
      ['finding_id', 'workflow_status', 'exception_owner', 'exception_status'].map(
        (name) => row[(header ?? []).indexOf(name)],
      ),
    );
    assert.deepEqual(cells, [
      [String(accepted.id), 'risk_accepted', 'Rita Reader', 'approved'],
      [String(bare.id), 'reopened', '', ''],
      [String(pending.id), 'new', 'Rita Reader', 'pending'],
    ]);
    const list = await request(t.app, reader, {
      method: 'GET',
      url: `/admin/t/${home.externalId}/findings?workflow_status=any&sort=oldest`,
    });
    assert.deepEqual(
      list.json().items.map((item: { workflow_status: string }) => item.workflow_status),
      ['risk_accepted', 'reopened', 'new'],
    );
  });

  test('a bad filter is 422 before any line; an outsider 404; nobody 401', async () => {
    const bad = await request(t.app, reader, { method: 'GET', url: url('format=csv&severity=urgent') });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().error.fields.severity);
    assert.equal((await request(t.app, reader, { method: 'GET', url: url('format=xml') })).statusCode, 422);
    assert.equal((await request(t.app, stranger, { method: 'GET', url: url('format=csv') })).statusCode, 404);
    assert.equal((await request(t.app, null, { method: 'GET', url: url('format=csv') })).statusCode, 401);
  });
});

describe('findingsCsvLines', () => {
  test('reads the next batch only when the consumer asks for more, and stops after a short batch', async () => {
    const asked: (number | null)[] = [];
    const fake = (id: number): ExportRow => ({
      id,
      tenant_external_id: 'acme',
      title: `F${id}`,
      severity: 'low',
      severity_rank: 1,
      workflow_status: 'new',
      owner_id: null,
      owner_name: null,
      owner_active_member: false,
      assignee_id: null,
      assignee_name: null,
      exception_owner_name: null,
      exception_status: null,
      detected_at: '2026-01-01T00:00:00.000Z',
      detected_key: `2026-01-01T00:00:00.0000${id}Z`,
    });
    const batches = [[fake(9), fake(8)], [fake(7), fake(6)], [fake(5)]];
    const lines = findingsCsvLines(
      async (afterKey) => {
        asked.push(afterKey?.id ?? null);
        return batches[asked.length - 1] ?? [];
      },
      'newest',
      2,
    );
    assert.match(String((await lines.next()).value), /^finding_id,/);
    assert.deepEqual(asked, [], 'no batch read before the consumer wants a row');
    assert.match(String((await lines.next()).value), /^9,acme,F9,/);
    assert.deepEqual(asked, [null], 'one batch read, not the whole result');
    await lines.next();
    assert.deepEqual(asked, [null, 8], 'the next batch starts after the last row');
    const last = await lines.next();
    assert.match(String(last.value), /^5,/);
    assert.equal((await lines.next()).done, true);
    assert.deepEqual(asked, [null, 8, 6], 'a short batch ends it: no further read');
  });
});
