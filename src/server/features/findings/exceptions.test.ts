import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { auditEvents } from '../audit/tables.ts';
import { findingExceptions, findings } from './tables.ts';

let t: TestApp;
let tenant: make.Tenant;
const as: Record<'operator' | 'owner', Credential> = { operator: null, owner: null };
const u = { operator: 0, owner: 0, colleague: 0, inactive: 0, outsider: 0, elsewhere: 0 };
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const why = { note: 'Reviewed with the customer' };

before(async () => {
  t = await startTestApp();
  const db = t.db;
  const workspace = await make.createWorkspace(db);
  tenant = await make.createTenant(db, { workspaceId: workspace.id });
  const sibling = await make.createTenant(db, { workspaceId: workspace.id });
  for (const role of ['operator', 'owner'] as const) {
    u[role] = (await make.createUser(db)).id;
    await make.addTenantMember(db, { tenant, userId: u[role], role });
    as[role] = { bearer: await make.createApiToken(db, { userId: u[role] }) };
  }
  u.colleague = (await make.createUser(db)).id;
  await make.addTenantMember(db, { tenant, userId: u.colleague, role: 'readonly' });
  u.inactive = (await make.createUser(db, { active: false })).id;
  await make.addTenantMember(db, { tenant, userId: u.inactive, role: 'manager' });
  u.outsider = (await make.createUser(db)).id;
  u.elsewhere = (await make.createUser(db)).id;
  await make.addTenantMember(db, { tenant: sibling, userId: u.elsewhere, role: 'owner' });
});

after(() => t.close());

const base = (findingId: number) => `/admin/t/${tenant.externalId}/findings/${findingId}`;
const good = () => ({
  owner_user_id: u.colleague,
  request_reason: 'Vendor patch due in Q3',
  review_due_at: inDays(7),
});
const ask = (findingId: number, payload: unknown, who: Credential = as.operator) =>
  request(t.app, who, {
    method: 'POST',
    url: `${base(findingId)}/exception-request`,
    payload: payload as object,
  });
const act = (findingId: number, exceptionId: number | string, action: string, payload: unknown = {}) =>
  request(t.app, as.owner, {
    method: 'POST',
    url: `${base(findingId)}/exceptions/${exceptionId}/actions/${action}`,
    payload: payload as object,
  });
const detail = async (findingId: number) =>
  (await request(t.app, as.owner, { method: 'GET', url: base(findingId) })).json();
const exceptionsOf = (findingId: number) =>
  t.db.select().from(findingExceptions).where(eq(findingExceptions.findingId, findingId));
const eventsOf = (findingId: number) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.subjectId, String(findingId)));
const newFinding = () =>
  make.createFinding(t.db, {
    tenantId: tenant.id,
    ownerUserId: u.owner,
    assigneeUserId: u.operator,
    workflowStatus: 'triaged',
  });

describe('POST …/exception-request', () => {
  test('creates a pending exception with its own owner; the finding owner and assignee stay', async () => {
    const finding = await newFinding();
    const response = await ask(finding.id, { ...good(), expires_at: inDays(30) });
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json();
    assert.equal(result.finding_owner_preserved, true);
    assert.equal(result.exception_owner.id, u.colleague);
    assert.equal(result.exception.status, 'pending');
    assert.equal(result.exception.requested_by.id, u.operator);
    assert.equal(result.exception.review_overdue, false);
    assert.equal(result.responsibility.owner.id, u.owner);
    assert.equal(result.responsibility.assignee.id, u.operator);
    assert.equal(result.responsibility.exception_owner.id, u.colleague);
    assert.equal(result.responsibility.workflow_status, 'triaged');
    const [row] = await t.db.select().from(findings).where(eq(findings.id, finding.id));
    const stored = must(row, `finding ${finding.id}`);
    assert.equal(stored.ownerUserId, u.owner);
    assert.equal(stored.assigneeUserId, u.operator);
    const events = await eventsOf(finding.id);
    assert.deepEqual(
      events.map((event) => event.action),
      ['finding_exception.requested'],
    );
    const history = (
      await request(t.app, as.operator, { method: 'GET', url: `${base(finding.id)}/history` })
    ).json();
    assert.equal(history.items[0].action, 'finding_exception.requested');
    assert.equal(history.items[0].after.owner_user_id, u.colleague);
  });

  test('stores any text within the limits exactly', async () => {
    const finding = await newFinding();
    const reason = `  "Quotes", <b>markup</b>, emoji 🙂, '; drop table findings; --  ${'x'.repeat(1900)}`;
    const response = await ask(finding.id, { ...good(), request_reason: reason });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().exception.request_reason, reason);
  });

  const refusals = [
    ['empty reason', { request_reason: '' }, 'request_reason'],
    ['blank reason', { request_reason: '   \n ' }, 'request_reason'],
    ['reason over 2000', { request_reason: 'x'.repeat(2001) }, 'request_reason'],
    ['reason with NUL', { request_reason: 'before\u0000after' }, 'request_reason'],
    ['review in the past', { review_due_at: inDays(-1) }, 'review_due_at'],
    ['review not a date', { review_due_at: 'next week' }, 'review_due_at'],
    ['review impossible date', { review_due_at: '2030-02-31T00:00:00Z' }, 'review_due_at'],
    ['expiry before review', { expires_at: inDays(3) }, 'expires_at'],
    ['expiry not a date', { expires_at: 'never' }, 'expires_at'],
    ['unknown exception owner', { owner_user_id: 99_999_999 }, 'owner_user_id'],
    ['inactive exception owner', { owner_user_id: -1 }, 'owner_user_id'],
    ['exception owner not a member', { owner_user_id: -2 }, 'owner_user_id'],
    ['exception owner in a sibling tenant only', { owner_user_id: -3 }, 'owner_user_id'],
    ['owner id a string', { owner_user_id: '5' }, 'owner_user_id'],
    ['owner id a float', { owner_user_id: 1.5 }, 'owner_user_id'],
    ['owner id missing', { owner_user_id: undefined }, 'owner_user_id'],
    ['reason a number', { request_reason: 5 }, 'request_reason'],
    ['unknown field', { status: 'approved' }, 'status'],
    ['review a number', { review_due_at: 1_900_000_000 }, 'review_due_at'],
    ['review missing', { review_due_at: undefined }, 'review_due_at'],
    ['review without a time zone', { review_due_at: '2030-01-01T10:00:00' }, 'review_due_at'],
    ['review oversize', { review_due_at: `2030-01-01T10:00:00.${'0'.repeat(60)}Z` }, 'review_due_at'],
    ['expiry a boolean', { expires_at: true }, 'expires_at'],
    ['reason missing', { request_reason: undefined }, 'request_reason'],
    ['finding owner smuggled in', { finding_owner_user_id: 1 }, 'finding_owner_user_id'],
  ] as const;
  for (const [name, change, field] of refusals) {
    test(`${name} → 422 naming ${field}, nothing written`, async () => {
      const finding = await newFinding();
      const payload: Record<string, unknown> = { ...good(), ...change };
      // Negative ids stand for people created in before(): the table is built before they exist.
      const stand: Record<number, number> = { [-1]: u.inactive, [-2]: u.outsider, [-3]: u.elsewhere };
      if (typeof payload.owner_user_id === 'number' && payload.owner_user_id < 0) {
        payload.owner_user_id = stand[payload.owner_user_id];
      }
      const response = await ask(finding.id, payload);
      assert.equal(response.statusCode, 422, response.body);
      assert.ok(response.json().error.fields[field], response.body);
      if (field === 'owner_user_id' && Number.isInteger(change.owner_user_id)) {
        assert.equal(response.json().error.fields[field], 'must be an active member of this tenant');
      }
      assert.equal((await exceptionsOf(finding.id)).length, 0);
      assert.equal((await eventsOf(finding.id)).length, 0);
    });
  }

  test('a second request while one is pending or approved is 409; rejected, revoked or expired allow a new one', async () => {
    const finding = await newFinding();
    const first = (await ask(finding.id, good())).json().exception.id;
    assert.equal((await ask(finding.id, good())).statusCode, 409);
    assert.equal((await act(finding.id, first, 'reject', why)).statusCode, 200);
    const second = (await ask(finding.id, good())).json().exception.id;
    assert.equal((await act(finding.id, second, 'approve')).statusCode, 200);
    assert.equal((await ask(finding.id, good())).statusCode, 409, 'approved and unexpired blocks');
    assert.equal((await act(finding.id, second, 'revoke', why)).statusCode, 200);
    const third = await ask(finding.id, good());
    assert.equal(third.statusCode, 200, third.body);
    await t.db
      .update(findingExceptions)
      .set({
        status: 'approved',
        expiresAt: new Date(Date.now() - DAY),
        reviewDueAt: new Date(Date.now() - 2 * DAY),
      })
      .where(eq(findingExceptions.id, third.json().exception.id));
    const fourth = await ask(finding.id, good());
    assert.equal(fourth.statusCode, 200, `after expiry: ${fourth.body}`);
    assert.equal((await exceptionsOf(finding.id)).length, 4);
  });

  test('parallel requests for one finding: exactly one succeeds, the rest are 409', async () => {
    const finding = await newFinding();
    const responses = await Promise.all(Array.from({ length: 8 }, () => ask(finding.id, good())));
    const statuses = responses.map((response) => response.statusCode).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409]);
    assert.equal((await exceptionsOf(finding.id)).length, 1);
    assert.equal((await eventsOf(finding.id)).length, 1);
  });
});

describe('decisions: approve, reject, revoke', () => {
  test('approve makes the finding risk_accepted with the exception owner shown, until revoked', async () => {
    const finding = await newFinding();
    const id = (await ask(finding.id, { ...good(), expires_at: inDays(30) })).json().exception.id;
    const approved = await act(finding.id, id, 'approve', { note: 'Accepted for one quarter' });
    assert.equal(approved.statusCode, 200, approved.body);
    const result = approved.json();
    assert.equal(result.exception.status, 'approved');
    assert.equal(result.exception.decided_by.id, u.owner);
    assert.ok(Date.parse(result.exception.decided_at) > Date.now() - 60_000);
    assert.equal(result.responsibility.workflow_status, 'risk_accepted');
    assert.equal(result.responsibility.exception_owner.id, u.colleague);
    const list = await request(t.app, as.owner, {
      method: 'GET',
      url: `/admin/t/${tenant.externalId}/findings?workflow_status=risk_accepted&limit=200`,
    });
    assert.ok(list.json().items.some((item: { finding_id: number }) => item.finding_id === finding.id));
    for (const again of ['approve', 'reject'])
      assert.equal((await act(finding.id, id, again, why)).statusCode, 409);
    const revoked = await act(finding.id, id, 'revoke', { note: 'Patch shipped early' });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal(revoked.json().exception.status, 'revoked');
    assert.equal(revoked.json().responsibility.workflow_status, 'triaged');
    assert.equal(revoked.json().responsibility.exception_owner, null);
    assert.equal(revoked.json().exception.decision_note, 'Patch shipped early');
    assert.equal((await act(finding.id, id, 'revoke', why)).statusCode, 409);
    const after = await request(t.app, as.owner, {
      method: 'GET',
      url: `/admin/t/${tenant.externalId}/findings?workflow_status=risk_accepted&limit=200`,
    });
    assert.ok(!after.json().items.some((item: { finding_id: number }) => item.finding_id === finding.id));
    const actions = (await eventsOf(finding.id)).map((event) => event.action);
    assert.deepEqual(actions, [
      'finding_exception.requested',
      'finding_exception.approved',
      'finding_exception.revoked',
    ]);
  });

  test('reject needs pending; revoke of a pending one is 409; reject and revoke need a note, approve does not', async () => {
    const finding = await newFinding();
    const id = (await ask(finding.id, good())).json().exception.id;
    assert.equal((await act(finding.id, id, 'revoke', why)).statusCode, 409);
    // docs/rules.md "Finding lifecycle": a bare POST, an empty or a blank note is 422 naming the note; nothing written.
    for (const payload of [undefined, {}, { note: '' }, { note: '  \n\t ' }]) {
      const refused = await request(t.app, as.owner, {
        method: 'POST',
        url: `${base(finding.id)}/exceptions/${id}/actions/reject`,
        ...(payload === undefined ? {} : { payload }),
      });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.match(refused.json().error.fields.note, /required/);
    }
    assert.equal(must((await exceptionsOf(finding.id))[0], 'the exception').status, 'pending');
    assert.equal((await eventsOf(finding.id)).length, 1, 'only the request');
    const rejected = await act(finding.id, id, 'reject', { note: 'No compensating control' });
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(rejected.json().exception.status, 'rejected');
    assert.equal(rejected.json().exception.decision_note, 'No compensating control');
    assert.equal(rejected.json().responsibility.exception_owner, null);
    assert.equal((await act(finding.id, id, 'approve')).statusCode, 409);
    const panel = (await detail(finding.id)).exceptions[0];
    assert.equal(panel.decided_by.id, u.owner);
    assert.equal(panel.decision_note, 'No compensating control');
    const history = (
      await request(t.app, as.owner, { method: 'GET', url: `${base(finding.id)}/history` })
    ).json().items;
    assert.equal(history[0].action, 'finding_exception.rejected');
    assert.equal(history[0].actor.id, u.owner);
    assert.equal(history[0].after.note, 'No compensating control');
  });

  test('an approved exception past its expiry reads expired and stops counting', async () => {
    const finding = await newFinding();
    const [row] = await t.db
      .insert(findingExceptions)
      .values({
        findingId: finding.id,
        ownerUserId: u.colleague,
        requestedByUserId: u.operator,
        requestReason: 'old',
        reviewDueAt: new Date(Date.now() - 10 * DAY),
        expiresAt: new Date(Date.now() - DAY),
        status: 'approved',
        decidedByUserId: u.owner,
        decidedAt: new Date(Date.now() - 20 * DAY),
      })
      .returning();
    const view = await detail(finding.id);
    assert.equal(view.workflow_status, 'triaged');
    assert.equal(view.exception_owner, null);
    assert.equal(view.exception, null);
    assert.equal(view.exceptions[0].status, 'expired');
    assert.equal(view.exceptions[0].review_overdue, false);
    assert.equal((await act(finding.id, must(row, 'the exception').id, 'revoke', why)).statusCode, 409);
    const list = await request(t.app, as.owner, {
      method: 'GET',
      url: `/admin/t/${tenant.externalId}/findings?workflow_status=risk_accepted&limit=200`,
    });
    assert.ok(!list.json().items.some((item: { finding_id: number }) => item.finding_id === finding.id));
  });

  test('a review date that passed is flagged overdue', async () => {
    const finding = await newFinding();
    await t.db.insert(findingExceptions).values({
      findingId: finding.id,
      ownerUserId: u.colleague,
      requestedByUserId: u.operator,
      requestReason: 'late',
      reviewDueAt: new Date(Date.now() - DAY),
      status: 'pending',
    });
    const view = await detail(finding.id);
    assert.equal(view.exception.review_overdue, true);
    assert.equal(view.exception_owner.id, u.colleague);
  });

  test("another finding's exception, an unknown or a malformed id is 404", async () => {
    const finding = await newFinding();
    const other = await newFinding();
    const id = (await ask(other.id, good())).json().exception.id;
    for (const exceptionId of [id, 99_999_999, 'abc', '-1', '12345678901234567890']) {
      const response = await act(finding.id, exceptionId, 'approve');
      assert.equal(response.statusCode, 404, String(exceptionId));
      assert.deepEqual(response.json(), { error: { code: 'not_found', message: 'Not found' } });
    }
    assert.equal(must((await exceptionsOf(other.id))[0], 'the other exception').status, 'pending');
  });

  test('bad decision bodies are 422: unknown field, note too long, NUL, wrong type', async () => {
    const finding = await newFinding();
    const id = (await ask(finding.id, good())).json().exception.id;
    for (const [payload, field] of [
      [{ status: 'approved' }, 'status'],
      [{ note: 'x'.repeat(2001) }, 'note'],
      [{ note: 'a\u0000b' }, 'note'],
      [{ note: 5 }, 'note'],
    ] as const) {
      const response = await act(finding.id, id, 'approve', payload);
      assert.equal(response.statusCode, 422, response.body);
      assert.ok(response.json().error.fields[field], response.body);
    }
    assert.equal(must((await exceptionsOf(finding.id))[0], 'the exception').status, 'pending');
  });
});

describe("a finding's detail lists its exceptions", () => {
  test('none: an empty list; each one as its own decision answered it, newest first', async () => {
    const finding = await newFinding();
    assert.deepEqual((await detail(finding.id)).exceptions, []);
    const first = (await ask(finding.id, good())).json().exception;
    const rejected = (await act(finding.id, first.id, 'reject', { note: 'Not this quarter' })).json()
      .exception;
    const second = (await ask(finding.id, { ...good(), expires_at: inDays(30) })).json().exception;
    const approved = (await act(finding.id, second.id, 'approve')).json().exception;
    const listed = (await detail(finding.id)).exceptions;
    assert.deepEqual(listed, [approved, rejected]);
    assert.notEqual(first.id, second.id);
  });

  test('the newest 50, newest first, of a finding that has had more', async () => {
    const finding = await newFinding();
    const rows = await t.db
      .insert(findingExceptions)
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          findingId: finding.id,
          ownerUserId: u.colleague,
          requestedByUserId: u.operator,
          requestReason: `reason ${i}`,
          reviewDueAt: new Date(Date.now() - DAY),
          status: 'rejected' as const,
          decidedByUserId: u.owner,
          decidedAt: new Date(Date.now() - DAY),
          decisionNote: `note ${i}`,
        })),
      )
      .returning({ id: findingExceptions.id });
    const listed = (await detail(finding.id)).exceptions as { id: number; request_reason: string }[];
    const newest = rows
      .map((row) => row.id)
      .sort((a, b) => b - a)
      .slice(0, 50);
    assert.deepEqual(
      listed.map((exception) => exception.id),
      newest,
    );
    assert.equal(listed[0]?.request_reason, 'reason 54');
  });
});
