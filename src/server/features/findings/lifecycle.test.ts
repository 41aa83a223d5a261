import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { auditEvents } from '../audit/tables.ts';
import { OPEN_STATUSES } from './open.ts';
import { findingExceptions, findings, type WorkflowStatus, workflowStatuses } from './tables.ts';

/**
 * docs/rules.md "Finding lifecycle" through HTTP: the transition table, the effective status, exceptions only on
 * open findings, four eyes, and "open" in every count, list default and My work.
 */
let t: TestApp;
let tenant: make.Tenant;
const as: Record<'readonly' | 'operator' | 'owner' | 'owner2', Credential> = {
  readonly: null,
  operator: null,
  owner: null,
  owner2: null,
};
const u = { readonly: 0, operator: 0, owner: 0, owner2: 0 };
const DAY = 86_400_000;

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  for (const who of ['readonly', 'operator', 'owner', 'owner2'] as const) {
    u[who] = (await make.createUser(t.db)).id;
    const role = who === 'owner2' ? 'owner' : who;
    await make.addTenantMember(t.db, { tenant, userId: u[who], role });
    as[who] = { bearer: await make.createApiToken(t.db, { userId: u[who] }) };
  }
});

after(() => t.close());

const base = (id: number) => `/admin/t/${tenant.externalId}/findings/${id}`;
const move = (id: number, payload: unknown, who: Credential = as.operator) =>
  request(t.app, who, { method: 'POST', url: `${base(id)}/status`, payload: payload as object });
const stored = async (id: number) =>
  (await t.db.select().from(findings).where(eq(findings.id, id)))[0]?.workflowStatus;
const eventsOf = (id: number) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, 'finding'), eq(auditEvents.subjectId, String(id))));
const finding = (workflowStatus: WorkflowStatus, overrides: Partial<typeof findings.$inferInsert> = {}) =>
  make.createFinding(t.db, { tenantId: tenant.id, workflowStatus, ownerUserId: u.owner, ...overrides });
const approvedException = (findingId: number, expiresAt: Date | null) =>
  make.createException(t.db, {
    findingId,
    ownerUserId: u.owner,
    requestedByUserId: u.operator,
    status: 'approved',
    decidedByUserId: u.owner2,
    decidedAt: new Date(),
    expiresAt,
  });

const open = OPEN_STATUSES as readonly WorkflowStatus[];
/** The table of docs/rules.md "Finding lifecycle", written out independently of rules.ts. */
function allowed(from: WorkflowStatus, to: WorkflowStatus): boolean {
  if (open.includes(from)) return open.includes(to) || to === 'resolved' || to === 'closed';
  if (from === 'resolved') return to === 'closed' || to === 'reopened';
  if (from === 'closed') return to === 'reopened';
  return false;
}

describe('POST …/findings/{finding}/status: every move from every stored status', () => {
  const settable = workflowStatuses.filter((status) => status !== 'risk_accepted');
  for (const from of settable) {
    for (const to of settable) {
      const expected = from === to ? 422 : allowed(from, to) ? 200 : 409;
      test(`${from} → ${to}: ${expected}`, async () => {
        const f = await finding(from);
        const response = await move(f.id, { workflow_status: to, note: 'checked' });
        assert.equal(response.statusCode, expected, response.body);
        assert.equal(await stored(f.id), expected === 200 ? to : from);
        const events = await eventsOf(f.id);
        if (expected !== 200) {
          assert.equal(events.length, 0, 'nothing written');
          if (expected === 422) assert.match(response.json().error.fields.workflow_status, /already/);
          return;
        }
        const result = response.json();
        assert.equal(result.previous_status, from);
        assert.equal(result.finding.workflow_status, to);
        assert.equal(events.length, 1);
        assert.equal(events[0]?.action, 'finding.status_changed');
        assert.equal(events[0]?.actorUserId, u.operator);
        assert.deepEqual(events[0]?.before, { workflow_status: from });
        assert.deepEqual(events[0]?.after, { workflow_status: to, note: 'checked' });
      });
    }
  }
});

describe('the effective status decides', () => {
  test('risk_accepted, an unknown value or a wrong type is 422 naming workflow_status; nothing written', async () => {
    const f = await finding('new');
    for (const payload of [
      { workflow_status: 'risk_accepted' },
      { workflow_status: 'done' },
      { workflow_status: 3 },
      {},
      { workflow_status: 'triaged', note: 'x'.repeat(2001) },
      { workflow_status: 'triaged', note: 'a\u0000b' },
      { workflow_status: 'triaged', note: 5 },
      { workflow_status: 'triaged', reason: 'unknown field' },
    ]) {
      const response = await move(f.id, payload);
      assert.equal(response.statusCode, 422, `${JSON.stringify(payload)}: ${response.body}`);
      assert.equal(response.json().error.code, 'invalid');
    }
    assert.equal(await stored(f.id), 'new');
    assert.equal((await eventsOf(f.id)).length, 0);
  });

  test('while an approved exception holds the finding every move is 409; once revoked it is back where it was', async () => {
    const f = await finding('in_progress');
    const exception = await approvedException(f.id, null);
    const detail = (await request(t.app, as.owner, { method: 'GET', url: base(f.id) })).json();
    assert.equal(detail.workflow_status, 'risk_accepted');
    for (const to of ['resolved', 'closed', 'triaged', 'reopened']) {
      assert.equal((await move(f.id, { workflow_status: to })).statusCode, 409, to);
    }
    assert.equal(await stored(f.id), 'in_progress', 'approving stored nothing in the status');
    const revoked = await request(t.app, as.owner, {
      method: 'POST',
      url: `${base(f.id)}/exceptions/${exception.id}/actions/revoke`,
      payload: { note: 'Control removed' },
    });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal(revoked.json().responsibility.workflow_status, 'in_progress');
    assert.equal((await move(f.id, { workflow_status: 'resolved' })).statusCode, 200);
  });

  test('an expired approval no longer holds it', async () => {
    const f = await finding('triaged');
    await approvedException(f.id, new Date(Date.now() - DAY));
    assert.equal((await move(f.id, { workflow_status: 'resolved' })).statusCode, 200);
  });

  test('a stored risk_accepted without a live exception reads as reopened and moves as reopened', async () => {
    const f = await finding('risk_accepted');
    const detail = (await request(t.app, as.owner, { method: 'GET', url: base(f.id) })).json();
    assert.equal(detail.workflow_status, 'reopened');
    assert.equal((await move(f.id, { workflow_status: 'reopened' })).statusCode, 422, 'the same status');
    const moved = await move(f.id, { workflow_status: 'triaged' });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().previous_status, 'reopened');
  });

  test('readonly is 403 and nothing is written; an operator may', async () => {
    const f = await finding('new');
    const refused = await move(f.id, { workflow_status: 'triaged' }, as.readonly);
    assert.equal(refused.statusCode, 403);
    assert.equal(await stored(f.id), 'new');
    assert.equal((await move(f.id, { workflow_status: 'triaged' }, as.operator)).statusCode, 200);
  });

  test('the history names the move, who made it and the note', async () => {
    const f = await finding('new');
    await move(f.id, { workflow_status: 'resolved', note: 'Disabled legacy auth 🎉' });
    const history = (
      await request(t.app, as.readonly, { method: 'GET', url: `${base(f.id)}/history` })
    ).json();
    assert.equal(history.items[0].action, 'finding.status_changed');
    assert.equal(history.items[0].actor.id, u.operator);
    assert.equal(history.items[0].after.note, 'Disabled legacy auth 🎉');
  });
});

describe('exceptions on the lifecycle', () => {
  const ask = (id: number, who: Credential = as.operator) =>
    request(t.app, who, {
      method: 'POST',
      url: `${base(id)}/exception-request`,
      payload: {
        owner_user_id: u.owner,
        request_reason: 'Vendor fix due',
        review_due_at: new Date(Date.now() + 7 * DAY).toISOString(),
      },
    });
  const decide = (id: number, exceptionId: number, decision: string, who: Credential, note?: string) =>
    request(t.app, who, {
      method: 'POST',
      url: `${base(id)}/exceptions/${exceptionId}/actions/${decision}`,
      payload: note === undefined ? {} : { note },
    });

  for (const status of ['resolved', 'closed'] as const) {
    test(`a request on a ${status} finding is 409, nothing written`, async () => {
      const f = await finding(status);
      const response = await ask(f.id);
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(
        (await t.db.select().from(findingExceptions).where(eq(findingExceptions.findingId, f.id))).length,
        0,
      );
    });
  }

  test('approving a pending exception of a finding resolved meanwhile is 409; it stays pending', async () => {
    const f = await finding('triaged');
    const id = (await ask(f.id)).json().exception.id;
    assert.equal((await move(f.id, { workflow_status: 'resolved' })).statusCode, 200);
    const response = await decide(f.id, id, 'approve', as.owner);
    assert.equal(response.statusCode, 409, response.body);
    const [row] = await t.db.select().from(findingExceptions).where(eq(findingExceptions.id, id));
    assert.equal(row?.status, 'pending');
    assert.equal(await stored(f.id), 'resolved', 'still resolved, never risk accepted');
    // It can still be rejected, with a note.
    assert.equal((await decide(f.id, id, 'reject', as.owner, 'Resolved instead')).statusCode, 200);
  });

  test('four eyes: the owner who requested cannot approve (403); another owner can', async () => {
    const f = await finding('new');
    const id = (await ask(f.id, as.owner)).json().exception.id;
    const own = await decide(f.id, id, 'approve', as.owner, 'looks fine');
    assert.equal(own.statusCode, 403, own.body);
    assert.equal(own.json().error.code, 'forbidden');
    assert.match(own.json().error.message, /another owner must decide/);
    const [row] = await t.db.select().from(findingExceptions).where(eq(findingExceptions.id, id));
    assert.equal(row?.status, 'pending');
    const other = await decide(f.id, id, 'approve', as.owner2);
    assert.equal(other.statusCode, 200, other.body);
    assert.equal(other.json().exception.decided_by.id, u.owner2);
    assert.equal(other.json().responsibility.workflow_status, 'risk_accepted');
    assert.equal(await stored(f.id), 'new', 'approving stores nothing in the status');
  });

  test('the requester may still reject or revoke their own (with a note)', async () => {
    const f = await finding('new');
    const id = (await ask(f.id, as.owner)).json().exception.id;
    assert.equal((await decide(f.id, id, 'reject', as.owner, 'Withdrawn')).statusCode, 200);
  });
});

describe('open findings only in counts, the default list and My work', () => {
  test('the dashboard, the default list and My work skip resolved, closed and risk-accepted findings', async () => {
    const workspace = await make.createWorkspace(t.db);
    const home = await make.createTenant(t.db, { workspaceId: workspace.id });
    const me = (await make.createUser(t.db)).id;
    await make.addTenantMember(t.db, { tenant: home, userId: me, role: 'owner' });
    const token: Credential = { bearer: await make.createApiToken(t.db, { userId: me }) };
    const ids: Record<string, number> = {};
    for (const status of workflowStatuses) {
      ids[status] = (
        await make.createFinding(t.db, { tenantId: home.id, workflowStatus: status, ownerUserId: me })
      ).id;
    }
    const accepted = await make.createFinding(t.db, {
      tenantId: home.id,
      workflowStatus: 'triaged',
      ownerUserId: me,
    });
    await make.createException(t.db, { findingId: accepted.id, ownerUserId: me, status: 'approved' });
    const orphanResolved = await make.createFinding(t.db, { tenantId: home.id, workflowStatus: 'resolved' });
    // Open: new, triaged, in_progress, reopened, and the bare stored risk_accepted (reads reopened).
    const openIds = [ids.new, ids.triaged, ids.in_progress, ids.reopened, ids.risk_accepted].sort();
    const dashboard = (
      await request(t.app, token, { method: 'GET', url: `/admin/t/${home.externalId}` })
    ).json();
    assert.equal(dashboard.finding_counts.total, 5);
    assert.equal(dashboard.finding_counts.owned_unassigned, 5);
    assert.equal(dashboard.finding_counts.orphaned_accountability, 0, `not ${orphanResolved.id}`);
    assert.equal(dashboard.finding_counts.accountability_gap, 0);
    const list = (
      await request(t.app, token, { method: 'GET', url: `/admin/t/${home.externalId}/findings?limit=200` })
    ).json();
    assert.deepEqual(list.items.map((item: { finding_id: number }) => item.finding_id).sort(), openIds);
    const all = (
      await request(t.app, token, {
        method: 'GET',
        url: `/admin/t/${home.externalId}/findings?limit=200&workflow_status=any`,
      })
    ).json();
    assert.equal(all.items.length, workflowStatuses.length + 2);
    const mine = (await request(t.app, token, { method: 'GET', url: '/admin/my-work?limit=200' })).json();
    assert.deepEqual(mine.items.map((item: { finding_id: number }) => item.finding_id).sort(), openIds);
  });
});
