import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { findingExceptions, findings, severities, workflowStatuses } from './tables.ts';

/**
 * The findings list: every filter and sort, paged to the end with small pages, against the same rule computed
 * in plain code from what was inserted. Ties on detected_at and severity are deliberate.
 */
let t: TestApp;
let me: Credential;
let tenant = '';
const people = { me: 0, colleague: 0, inactive: 0, outsider: 0, formerMember: 0 };
interface Seeded {
  id: number;
  owner: number | null;
  assignee: number | null;
  severity: string;
  status: string;
  detectedAt: Date;
  accepted: boolean;
}
const seeded: Seeded[] = [];
const DAY = 86_400_000;

before(async () => {
  t = await startTestApp();
  const db = t.db;
  const workspace = await make.createWorkspace(db);
  const home = await make.createTenant(db, { workspaceId: workspace.id });
  const other = await make.createTenant(db, { workspaceId: workspace.id });
  tenant = home.externalId;
  const user = async (role: 'manager' | 'operator' | null, active = true) => {
    const u = await make.createUser(db, { active });
    if (role) await make.addTenantMember(db, { tenant: home, userId: u.id, role });
    return u.id;
  };
  people.me = await user('manager');
  people.colleague = await user('operator');
  people.inactive = await user('operator', false);
  people.outsider = await user(null);
  people.formerMember = await user(null);
  await make.addTenantMember(db, { tenant: other, userId: people.formerMember, role: 'owner' });
  me = { bearer: await make.createApiToken(db, { userId: people.me }) };

  const owners = [null, people.me, people.colleague, people.inactive, people.outsider, people.formerMember];
  const assignees = [null, people.me, people.colleague];
  const base = Date.UTC(2026, 0, 1);
  const rows = Array.from({ length: 90 }, (_, i) => ({
    tenantId: home.id,
    title: `Finding ${i}`,
    severity: severities[(i * 7) % 4] ?? 'low',
    // Every stored status, a bare stored risk_accepted (imported data, no exception) included.
    workflowStatus: workflowStatuses[i % 7] ?? 'new',
    // Three findings share each detected_at: keyset must break ties by id.
    detectedAt: new Date(base + Math.floor(i / 3) * DAY + 0.5),
    ownerUserId: owners[i % owners.length] ?? null,
    assigneeUserId: assignees[Math.floor(i / 6) % 3] ?? null,
  }));
  const inserted = await db.insert(findings).values(rows).returning();
  for (const row of inserted) {
    seeded.push({
      id: row.id,
      owner: row.ownerUserId,
      assignee: row.assigneeUserId,
      severity: row.severity,
      status: row.workflowStatus,
      detectedAt: row.detectedAt,
      accepted: false,
    });
  }
  // Approved exceptions: two current (one without expiry), one expired; plus a pending one.
  const exception = (findingId: number, status: 'approved' | 'pending', expiresAt: Date | null) => ({
    findingId,
    ownerUserId: people.colleague,
    requestedByUserId: people.me,
    requestReason: 'accepted',
    reviewDueAt: new Date(Date.now() + DAY),
    expiresAt,
    status,
  });
  const seededAt = (index: number) => must(seeded[index], `seeded finding ${index}`);
  const [a, b, c, d] = [seededAt(0), seededAt(1), seededAt(2), seededAt(3)];
  await db
    .insert(findingExceptions)
    .values([
      exception(a.id, 'approved', new Date(Date.now() + 10 * DAY)),
      exception(b.id, 'approved', null),
      exception(c.id, 'approved', new Date(Date.now() - DAY)),
      exception(d.id, 'pending', null),
    ]);
  a.accepted = true;
  b.accepted = true;
  // Noise in another tenant, owned by me: never listed here.
  await make.createFinding(db, { tenantId: other.id, ownerUserId: people.formerMember });
});

after(() => t.close());

const get = (url: string) => request(t.app, me, { method: 'GET', url });

async function allPages(query: string, limit = 7) {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const suffix = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await get(`/admin/t/${tenant}/findings?limit=${limit}${query}${suffix}`);
    assert.equal(response.statusCode, 200, `${query}: ${response.body}`);
    const page = response.json();
    assert.ok(page.items.length <= limit);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return items;
}

const activeMembers = () => new Set([people.me, people.colleague]);
const gapOf = (f: Seeded) => f.owner === null || !activeMembers().has(f.owner);
const stateOf = (f: Seeded) =>
  f.owner === null ? 'orphaned_accountability' : f.assignee === null ? 'owned_unassigned' : 'assigned';
// docs/rules.md "Finding lifecycle": the effective status, and open by it.
const statusOf = (f: Seeded) =>
  f.accepted ? 'risk_accepted' : f.status === 'risk_accepted' ? 'reopened' : f.status;
const isOpen = (f: Seeded) => ['new', 'triaged', 'in_progress', 'reopened'].includes(statusOf(f));
const rank = { critical: 4, high: 3, medium: 2, low: 1 } as Record<string, number>;
const orders: Record<string, (a: Seeded, b: Seeded) => number> = {
  // docs/rules.md "Finding lifecycle", sorting: newest is detected latest first (one order, two names).
  newest: (a, b) => b.detectedAt.getTime() - a.detectedAt.getTime() || b.id - a.id,
  oldest: (a, b) => a.detectedAt.getTime() - b.detectedAt.getTime() || a.id - b.id,
  severity: (a, b) => (rank[b.severity] ?? 0) - (rank[a.severity] ?? 0) || b.id - a.id,
  detected: (a, b) => b.detectedAt.getTime() - a.detectedAt.getTime() || b.id - a.id,
};

// Queries naming a person by id are built when the test runs, after the people exist.
const filters: [string | (() => string), (f: Seeded) => boolean][] = [
  ['', () => true],
  ['&owner=me', (f) => f.owner === people.me],
  ['&owner=none', (f) => f.owner === null],
  [() => `&owner=${people.inactive}`, (f) => f.owner === people.inactive],
  [() => `&assignee=${people.colleague}`, (f) => f.assignee === people.colleague],
  ['&assignee=me', (f) => f.assignee === people.me],
  ['&assignee=none', (f) => f.assignee === null],
  ['&accountability_gap=true', gapOf],
  ['&accountability_gap=false', (f) => !gapOf(f)],
  ['&responsibility_state=orphaned_accountability', (f) => stateOf(f) === 'orphaned_accountability'],
  ['&responsibility_state=owned_unassigned', (f) => stateOf(f) === 'owned_unassigned'],
  ['&responsibility_state=assigned', (f) => stateOf(f) === 'assigned'],
  ['&severity=critical', (f) => f.severity === 'critical'],
  ['&severity=low', (f) => f.severity === 'low'],
  ['&workflow_status=risk_accepted', (f) => statusOf(f) === 'risk_accepted'],
  ['&workflow_status=new', (f) => statusOf(f) === 'new'],
  ['&workflow_status=triaged', (f) => statusOf(f) === 'triaged'],
  ['&workflow_status=reopened', (f) => statusOf(f) === 'reopened'],
  ['&workflow_status=resolved', (f) => statusOf(f) === 'resolved'],
  ['&workflow_status=closed', (f) => statusOf(f) === 'closed'],
  ['&workflow_status=open', isOpen],
  ['&workflow_status=any', () => true],
  ['&workflow_status=any&owner=none', (f) => f.owner === null],
  ['&owner=me&assignee=none&accountability_gap=false', (f) => f.owner === people.me && f.assignee === null],
  ['&accountability_gap=true&severity=high', (f) => gapOf(f) && f.severity === 'high'],
];

describe('GET /admin/t/{tenant}/findings: every filter × every sort, paged to the end', () => {
  for (const sort of Object.keys(orders)) {
    for (const [given, keep] of filters) {
      test(`sort=${sort}${typeof given === 'string' ? given : '&owner/assignee=<id>'}`, async () => {
        const query = typeof given === 'string' ? given : given();
        const items = await allPages(`&sort=${sort}${query}`);
        // Without a workflow_status filter the list shows open findings only.
        const shown = query.includes('workflow_status=') ? keep : (f: Seeded) => isOpen(f) && keep(f);
        const expected = seeded
          .filter(shown)
          .sort(orders[sort])
          .map((f) => f.id);
        assert.deepEqual(
          items.map((item) => item.finding_id),
          expected,
        );
      });
    }
  }
});

describe('list items', () => {
  test('carry the contract surface and every summary property, computed per finding', async () => {
    const response = await get(`/admin/t/${tenant}/findings?limit=200&workflow_status=any`);
    const page = response.json();
    assert.equal(page.surface, 'tenant_findings_list');
    assert.equal(page.collection_route, '/admin/t/{tenant}/findings');
    assert.equal(page.primary_inspect_model, 'finding');
    assert.equal(page.next_cursor, null);
    assert.equal(page.items.length, seeded.length);
    for (const item of page.items) {
      const f = must(
        seeded.find((s) => s.id === item.finding_id),
        `seeded finding ${item.finding_id}`,
      );
      assert.deepEqual(Object.keys(item).sort(), [
        'accountability_gap',
        'assignee',
        'check_id',
        'description',
        'detected_at',
        'evidence',
        'exception',
        'exception_owner',
        'finding_id',
        'help_url',
        'last_seen_at',
        'owner',
        'responsibility_state',
        'severity',
        'source',
        'title',
        'workflow_status',
      ]);
      assert.equal(item.owner?.id ?? null, f.owner);
      assert.equal(item.assignee?.id ?? null, f.assignee);
      assert.equal(item.responsibility_state, stateOf(f));
      assert.equal(item.accountability_gap, gapOf(f), `gap of ${f.id}`);
      assert.equal(item.workflow_status, statusOf(f));
      assert.equal(item.detected_at, f.detectedAt.toISOString());
    }
  });

  test('exception_owner shows for a pending or an approved, unexpired exception only', async () => {
    const page = (await get(`/admin/t/${tenant}/findings?limit=200&sort=oldest&workflow_status=any`)).json();
    const [a, b, c, d, e] = page.items;
    for (const shown of [a, b, d]) assert.equal(shown.exception_owner.id, people.colleague);
    assert.equal(a.exception.status, 'approved');
    assert.equal(d.exception.status, 'pending');
    assert.equal(c.exception_owner, null, 'expired approval');
    assert.equal(c.exception, null);
    assert.equal(e.exception_owner, null, 'no exception');
  });
});

describe('bad query values are 422 with the parameter named, for every parameter', () => {
  const other = Buffer.from(JSON.stringify({ s: 'oldest', id: 5 })).toString('base64url');
  for (const [query, field] of [
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=1e1', 'limit'],
    ['sort=random', 'sort'],
    ['responsibility_state=owned', 'responsibility_state'],
    ['accountability_gap=yes', 'accountability_gap'],
    ['accountability_gap=1', 'accountability_gap'],
    ['owner=someone', 'owner'],
    ['owner=-1', 'owner'],
    ['owner=1.5', 'owner'],
    ['owner=12345678901', 'owner'],
    ['owner=2147483648', 'owner'],
    ['assignee=9999999999', 'assignee'],
    ['assignee=0', 'assignee'],
    ['severity=urgent', 'severity'],
    ['workflow_status=opened', 'workflow_status'],
    ['workflow_status=', 'workflow_status'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${other}`, 'cursor'],
    [`sort=severity&cursor=${Buffer.from('{"s":"severity","id":1}').toString('base64url')}`, 'cursor'],
    [
      `sort=detected&cursor=${Buffer.from('{"s":"detected","id":1,"detected":"x"}').toString('base64url')}`,
      'cursor',
    ],
    [`cursor=${'a'.repeat(501)}`, 'cursor'],
  ] as const) {
    test(query.slice(0, 60), async () => {
      const response = await get(`/admin/t/${tenant}/findings?${query}`);
      assert.equal(response.statusCode, 422, response.body);
      assert.equal(response.json().error.code, 'invalid');
      assert.ok(response.json().error.fields[field], `${query}: ${response.body}`);
    });
  }
});
