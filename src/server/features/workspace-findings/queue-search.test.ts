import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { validBody } from '../../../../test/helpers/support-requests.ts';
import { ANOTHER_OWNER_MUST_DECIDE } from './rules.ts';
import type { ApprovalQueueItem, SearchResults } from './schemas.ts';

/** docs/rules.md "Workspace views": the approval queue (four eyes shown) and search. */
let t: TestApp;
let workspace: make.Workspace;
let tenant: make.Tenant;
let second: make.Tenant;
let requester: make.User;
let approver: make.User;
let asRequester: { bearer: string };
let asApprover: { bearer: string };
const DAY = 86_400_000;
const exceptionIds: Record<string, number> = {};
const findingIds: Record<string, number> = {};

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db, { name: 'Queue workspace' });
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id, name: 'Northwind Traders' });
  second = await make.createTenant(t.db, { workspaceId: workspace.id, name: 'Woodgrove Bank' });
  requester = await make.createUser(t.db, { displayName: 'Rita Requester' });
  approver = await make.createUser(t.db, { displayName: 'Abe Approver' });
  for (const user of [requester, approver]) {
    await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'owner' });
    await make.addTenantMember(t.db, { tenant: second, userId: user.id, role: 'owner' });
  }
  asRequester = { bearer: await make.createApiToken(t.db, { userId: requester.id }) };
  asApprover = { bearer: await make.createApiToken(t.db, { userId: approver.id }) };
  const exception = async (name: string, on: make.Tenant, values: Record<string, unknown>) => {
    const finding = await make.createFinding(t.db, { tenantId: on.id, title: `Finding ${name}` });
    findingIds[name] = finding.id;
    const made = await make.createException(t.db, {
      findingId: finding.id,
      ownerUserId: requester.id,
      requestedByUserId: requester.id,
      ...values,
    });
    exceptionIds[name] = made.id;
  };
  await exception('due-later', tenant, { reviewDueAt: new Date(Date.now() + 9 * DAY) });
  await exception('due-soon', second, { reviewDueAt: new Date(Date.now() + 2 * DAY) });
  await exception('overdue', tenant, { reviewDueAt: new Date(Date.now() - DAY) });
  await exception('approved-overdue', tenant, {
    status: 'approved',
    reviewDueAt: new Date(Date.now() - 2 * DAY),
    decidedByUserId: approver.id,
    decidedAt: new Date(),
  });
  await exception('lapsed', tenant, {
    status: 'approved',
    reviewDueAt: new Date(Date.now() - 5 * DAY),
    expiresAt: new Date(Date.now() - DAY),
  });
  await exception('rejected', second, { status: 'rejected' });
});
after(() => t.close());

async function queue(credential: { bearer: string }, query = '') {
  const response = await request(t.app, credential, {
    method: 'GET',
    url: `/admin/w/${workspace.slug}/exceptions?${query}`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as { items: ApprovalQueueItem[]; next_cursor: string | null };
}

const names = (items: ApprovalQueueItem[]) => items.map((item) => item.finding.title.replace('Finding ', ''));

describe('the approval queue', () => {
  test('pending exceptions of every tenant the caller decides for, the review due first', async () => {
    const { items } = await queue(asApprover);
    assert.deepEqual(names(items), ['overdue', 'due-soon', 'due-later']);
    assert.equal(items[1]?.tenant.name, 'Woodgrove Bank');
    assert.equal(items[0]?.exception.requested_by.display_name, 'Rita Requester');
    assert.equal(items[0]?.exception.review_overdue, true);
  });

  test('four eyes: the requester sees their own requests, and why they cannot approve them', async () => {
    const mine = await queue(asRequester);
    assert.ok(mine.items.length > 0);
    for (const item of mine.items) {
      assert.equal(item.can_approve, false);
      assert.equal(item.cannot_approve_reason, ANOTHER_OWNER_MUST_DECIDE);
    }
    const theirs = await queue(asApprover);
    assert.ok(theirs.items.every((item) => item.can_approve && item.cannot_approve_reason === null));
  });

  test('review=overdue: pending and approved exceptions in force whose review date passed', async () => {
    assert.deepEqual(names((await queue(asApprover, 'review=overdue')).items), [
      'approved-overdue',
      'overdue',
    ]);
    assert.deepEqual(names((await queue(asApprover, 'review=overdue&status=pending')).items), ['overdue']);
  });

  test('status: approved (unexpired), expired, rejected; tenant', async () => {
    assert.deepEqual(names((await queue(asApprover, 'status=approved')).items), ['approved-overdue']);
    assert.deepEqual(names((await queue(asApprover, 'status=expired')).items), ['lapsed']);
    assert.deepEqual(names((await queue(asApprover, 'status=rejected')).items), ['rejected']);
    assert.deepEqual(names((await queue(asApprover, `tenant=${second.externalId}`)).items), ['due-soon']);
    const approved = (await queue(asApprover, 'status=approved')).items[0];
    assert.equal(approved?.can_approve, false, 'only a pending exception can be approved');
    assert.equal(approved?.cannot_approve_reason, null);
  });

  test('pages by keyset on (review date, id)', async () => {
    const first = await queue(asApprover, 'limit=2');
    assert.equal(first.items.length, 2);
    assert.ok(first.next_cursor);
    const rest = await queue(asApprover, `limit=2&cursor=${first.next_cursor}`);
    assert.deepEqual(names([...first.items, ...rest.items]), ['overdue', 'due-soon', 'due-later']);
    assert.equal(rest.next_cursor, null);
  });

  test('an approval through the finding leaves the pending queue; the requester is refused (403)', async () => {
    const url = `/admin/t/${tenant.externalId}/findings/${findingIds['due-later']}/exceptions/${exceptionIds['due-later']}/actions/approve`;
    const refused = await request(t.app, asRequester, { method: 'POST', url, payload: {} });
    assert.equal(refused.statusCode, 403, refused.body);
    const approved = await request(t.app, asApprover, { method: 'POST', url, payload: {} });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.deepEqual(names((await queue(asApprover)).items), ['overdue', 'due-soon']);
    assert.ok(names((await queue(asApprover, 'status=approved')).items).includes('due-later'));
  });
});

async function search(q: string, credential: { bearer: string } = asApprover): Promise<SearchResults> {
  const response = await request(t.app, credential, {
    method: 'GET',
    url: `/admin/w/${workspace.slug}/search?q=${encodeURIComponent(q)}`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

describe('search', () => {
  let reference: string;
  let run: make.Run;
  let workspaceRun: make.Run;

  before(async () => {
    const submitted = await request(t.app, asApprover, {
      method: 'POST',
      url: `/admin/t/${tenant.externalId}/support-requests/actions/submit`,
      payload: validBody(),
    });
    assert.equal(submitted.statusCode, 200, submitted.body);
    reference = submitted.json().internal_reference;
    run = await make.createRun(t.db, {
      workspaceId: workspace.id,
      tenantId: second.id,
      type: 'baseline_compare',
    });
    workspaceRun = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: null });
    await make.createFinding(t.db, { tenantId: tenant.id, title: '100% of admins without MFA' });
    await make.createFinding(t.db, { tenantId: tenant.id, title: '100 stale guest accounts' });
  });

  test('an SR reference, exactly and in any case', async () => {
    for (const q of [reference, reference.toLowerCase(), ` ${reference} `]) {
      const results = await search(q);
      assert.deepEqual(
        results.support_requests.map((row) => row.internal_reference),
        [reference],
        q,
      );
      assert.equal(results.support_requests[0]?.tenant.name, 'Northwind Traders');
    }
  });

  test('a finding id, a run id (a tenant run or a workspace-level one)', async () => {
    const byFinding = await search(String(findingIds.overdue));
    assert.equal(byFinding.findings[0]?.finding_id, findingIds.overdue, 'the exact id comes first');
    const byRun = await search(`#${run.id}`);
    assert.deepEqual(
      byRun.runs.map((row) => [row.id, row.tenant?.name ?? null]),
      [[run.id, 'Woodgrove Bank']],
    );
    const byWorkspaceRun = await search(String(workspaceRun.id));
    assert.deepEqual(
      byWorkspaceRun.runs.map((row) => [row.id, row.tenant]),
      [[workspaceRun.id, null]],
    );
  });

  test("the start of a title, case-insensitive, with LIKE's wildcards taken literally", async () => {
    assert.deepEqual(
      (await search('FINDING DUE')).findings.map((row) => row.title),
      ['Finding due-later', 'Finding due-soon'],
    );
    assert.deepEqual(
      (await search('100%')).findings.map((row) => row.title),
      ['100% of admins without MFA'],
    );
    assert.deepEqual((await search('finding_')).findings, [], '_ is not a wildcard');
  });

  test('tenant names and external ids', async () => {
    assert.deepEqual(
      (await search('wood')).tenants.map((row) => row.name),
      ['Woodgrove Bank'],
    );
    assert.deepEqual(
      (await search(tenant.externalId)).tenants.map((row) => row.name),
      ['Northwind Traders'],
    );
  });

  test('nothing from a tenant the caller has no role on', async () => {
    const stranger = await make.createUser(t.db);
    await make.addTenantMember(t.db, { tenant: second, userId: stranger.id, role: 'readonly' });
    const asStranger = { bearer: await make.createApiToken(t.db, { userId: stranger.id }) };
    const results = await search(reference, asStranger);
    assert.deepEqual(results.support_requests, []);
    assert.deepEqual((await search('northwind', asStranger)).tenants, []);
    assert.deepEqual((await search(String(findingIds.overdue), asStranger)).findings, []);
    assert.equal((await search(String(run.id), asStranger)).runs.length, 1, 'a run of their tenant');
  });
});
