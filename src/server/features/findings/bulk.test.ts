import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { auditEvents } from '../audit/tables.ts';
import { findings } from './tables.ts';

/** docs/rules.md "Finding lifecycle", bulk change: judged per finding, audited per changed finding, no lost update. */
let t: TestApp;
let tenant: make.Tenant;
let other: make.Tenant;
const as: Record<'readonly' | 'operator' | 'manager' | 'owner', Credential> = {
  readonly: null,
  operator: null,
  manager: null,
  owner: null,
};
const u = { readonly: 0, operator: 0, manager: 0, owner: 0, outsider: 0 };

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  other = await make.createTenant(t.db, { workspaceId: workspace.id });
  for (const role of ['readonly', 'operator', 'manager', 'owner'] as const) {
    u[role] = (await make.createUser(t.db)).id;
    await make.addTenantMember(t.db, { tenant, userId: u[role], role });
    as[role] = { bearer: await make.createApiToken(t.db, { userId: u[role] }) };
  }
  u.outsider = (await make.createUser(t.db)).id;
  await make.addTenantMember(t.db, { tenant: other, userId: u.outsider, role: 'owner' });
});

after(() => t.close());

const bulk = (payload: unknown, who: Credential = as.manager, tenantId = tenant.externalId) =>
  request(t.app, who, {
    method: 'POST',
    url: `/admin/t/${tenantId}/findings/actions/bulk`,
    payload: payload as object,
  });
const many = async (count: number, overrides: Partial<typeof findings.$inferInsert> = {}, home = tenant) => {
  const rows = await t.db
    .insert(findings)
    .values(
      Array.from({ length: count }, (_, i) => ({
        tenantId: home.id,
        workspaceId: home.workspaceId,
        title: `Bulk ${i}`,
        severity: 'medium' as const,
        workflowStatus: 'new' as const,
        ...overrides,
      })),
    )
    .returning({ id: findings.id });
  return rows.map((row) => row.id);
};
const rowsOf = (ids: number[]) =>
  t.db.select().from(findings).where(inArray(findings.id, ids)).orderBy(asc(findings.id));
const eventsOf = (ids: number[]) =>
  t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, 'finding'), inArray(auditEvents.subjectId, ids.map(String))))
    .orderBy(asc(auditEvents.id));

describe('POST /admin/t/{tenant}/findings/actions/bulk', () => {
  test('by ids: changed, unchanged, refused (other tenant, unknown, unreachable) with reasons; one event per changed', async () => {
    const [a, b] = await many(2);
    const [resolved] = await many(1, { workflowStatus: 'resolved' });
    const [already] = await many(1, { workflowStatus: 'triaged', ownerUserId: u.operator });
    const [foreign] = await many(1, {}, other);
    const ids = [a, b, resolved, already, foreign, 99_999_999].map(Number);
    const response = await bulk({
      finding_ids: [...ids, a],
      change: { owner_user_id: u.operator, workflow_status: 'triaged', note: 'Weekly triage' },
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual(
      body.results.map((r: { finding_id: number; outcome: string }) => [r.finding_id, r.outcome]),
      [
        [a, 'changed'],
        [b, 'changed'],
        [resolved, 'refused'],
        [already, 'unchanged'],
        [foreign, 'refused'],
        [99_999_999, 'refused'],
      ],
      'every finding asked for, once, in the order asked',
    );
    assert.match(body.results[2].reason, /cannot move from resolved to triaged/);
    assert.equal(body.results[4].reason, 'not found');
    assert.equal(body.results[5].reason, 'not found');
    assert.deepEqual([body.changed, body.unchanged, body.refused], [2, 1, 3]);
    const rows = await rowsOf([Number(a), Number(b), Number(resolved), Number(foreign)]);
    assert.deepEqual(
      rows.map((row) => [row.ownerUserId, row.workflowStatus]),
      [
        [u.operator, 'triaged'],
        [u.operator, 'triaged'],
        [null, 'resolved'],
        [null, 'new'],
      ],
    );
    const events = await eventsOf(ids.map(Number));
    assert.equal(events.length, 2);
    assert.equal(events[0]?.action, 'finding.changed');
    assert.deepEqual(events[0]?.before, {
      owner_user_id: null,
      assignee_user_id: null,
      workflow_status: 'new',
    });
    assert.deepEqual(events[0]?.after, {
      bulk: true,
      owner_user_id: u.operator,
      assignee_user_id: null,
      workflow_status: 'triaged',
      note: 'Weekly triage',
    });
  });

  test('by filter: every open finding without an owner gets one; the others stay', async () => {
    const home = await make.createTenant(t.db, { workspaceId: tenant.workspaceId });
    await make.addTenantMember(t.db, { tenant: home, userId: u.manager, role: 'manager' });
    const orphans = await many(40, {}, home);
    const owned = await many(3, { ownerUserId: u.manager }, home);
    const closed = await many(2, { workflowStatus: 'closed' }, home);
    const response = await bulk(
      { filter: { owner: 'none' }, change: { owner_user_id: u.manager } },
      as.manager,
      home.externalId,
    );
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().changed, 40);
    assert.deepEqual(
      response
        .json()
        .results.map((r: { finding_id: number }) => r.finding_id)
        .sort(),
      orphans.sort(),
    );
    const rows = await rowsOf([...orphans, ...owned, ...closed]);
    for (const row of rows) {
      assert.equal(row.ownerUserId, row.workflowStatus === 'closed' ? null : u.manager, `finding ${row.id}`);
    }
    assert.equal((await eventsOf(orphans)).length, 40);
    // The list's own answer for the same filter is now empty, and so is its count.
    const count = await request(t.app, as.manager, {
      method: 'GET',
      url: `/admin/t/${home.externalId}/findings/count?owner=none&workflow_status=any`,
    });
    assert.deepEqual(count.json(), { count: 2, more: false, limit: 10_000 }, 'the two closed ones');
    const list = await request(t.app, as.manager, {
      method: 'GET',
      url: `/admin/t/${home.externalId}/findings?owner=none`,
    });
    assert.equal(list.json().items.length, 0);
  });

  test('a filter matching more than 10,000 findings is 422, nothing written', async () => {
    const home = await make.createTenant(t.db, { workspaceId: tenant.workspaceId });
    await make.addTenantMember(t.db, { tenant: home, userId: u.manager, role: 'manager' });
    await many(10_001, {}, home);
    const count = await request(t.app, as.manager, {
      method: 'GET',
      url: `/admin/t/${home.externalId}/findings/count`,
    });
    assert.deepEqual(count.json(), { count: 10_000, more: true, limit: 10_000 });
    const response = await bulk(
      { filter: {}, change: { owner_user_id: u.manager } },
      as.manager,
      home.externalId,
    );
    assert.equal(response.statusCode, 422, response.body);
    assert.match(response.json().error.fields.filter, /more than 10,000/);
    const [ownedRow] = await t.db
      .select({ id: findings.id })
      .from(findings)
      .where(and(eq(findings.tenantId, home.id), eq(findings.ownerUserId, u.manager)))
      .limit(1);
    assert.equal(ownedRow, undefined);
  });

  test('the capability follows the change: operator triages but cannot assign; readonly neither (403, nothing written)', async () => {
    const [id] = await many(1);
    const cases: [Credential, object, number][] = [
      [as.operator, { workflow_status: 'triaged' }, 200],
      [as.operator, { owner_user_id: u.operator }, 403],
      [as.operator, { owner_user_id: u.operator, workflow_status: 'in_progress' }, 403],
      [as.readonly, { workflow_status: 'in_progress' }, 403],
      [as.manager, { assignee_user_id: u.operator, workflow_status: 'in_progress' }, 200],
    ];
    for (const [who, change, status] of cases) {
      const response = await bulk({ finding_ids: [id], change }, who);
      assert.equal(response.statusCode, status, `${JSON.stringify(change)}: ${response.body}`);
    }
    const [row] = await rowsOf([Number(id)]);
    assert.deepEqual(
      [row?.ownerUserId, row?.assigneeUserId, row?.workflowStatus],
      [null, u.operator, 'in_progress'],
    );
  });

  test('a non-member owner, risk_accepted, bad shapes: 422 naming the field, nothing written', async () => {
    const [id] = await many(1);
    const n = Number(id);
    for (const [payload, field] of [
      [{ finding_ids: [n], change: { owner_user_id: u.outsider } }, 'owner_user_id'],
      [{ finding_ids: [n], change: { workflow_status: 'risk_accepted' } }, 'workflow_status'],
      [{ finding_ids: [n], change: { workflow_status: 'sideways' } }, 'workflow_status'],
      [{ finding_ids: [n], change: {} }, 'change'],
      [{ finding_ids: [n], change: { note: 'only a note' } }, 'change'],
      [{ finding_ids: [], change: { workflow_status: 'triaged' } }, 'finding_ids'],
      [
        {
          finding_ids: Array.from({ length: 1001 }, (_, i) => i + 1),
          change: { workflow_status: 'triaged' },
        },
        'finding_ids',
      ],
      [{ finding_ids: ['1'], change: { workflow_status: 'triaged' } }, 'finding_ids'],
      [{ finding_ids: [n], filter: {}, change: { workflow_status: 'triaged' } }, 'finding_ids'],
      [{ change: { workflow_status: 'triaged' } }, 'finding_ids'],
      [{ filter: { owner: 'someone' }, change: { workflow_status: 'triaged' } }, 'owner'],
      [{ filter: { colour: 'red' }, change: { workflow_status: 'triaged' } }, 'colour'],
      [{ finding_ids: [n], change: { workflow_status: 'triaged', note: 'x'.repeat(2001) } }, 'note'],
      [{ finding_ids: [n], change: { workflow_status: 'triaged', note: 'a\u0000b' } }, 'note'],
      [{ finding_ids: [n], change: { workflow_status: 'triaged', colour: 'red' } }, 'colour'],
      [{ finding_ids: [n], change: { owner_user_id: 'me' } }, 'owner_user_id'],
      [{ finding_ids: [n], change: { workflow_status: 'triaged' }, extra: 1 }, 'extra'],
    ] as const) {
      const response = await bulk(payload, as.owner);
      assert.equal(response.statusCode, 422, `${JSON.stringify(payload).slice(0, 80)}: ${response.body}`);
      const fields = JSON.stringify(response.json().error.fields ?? {});
      assert.ok(fields.includes(field), `${field} in ${fields}`);
    }
    const [row] = await rowsOf([n]);
    assert.deepEqual([row?.ownerUserId, row?.workflowStatus], [null, 'new']);
    assert.equal((await eventsOf([n])).length, 0);
  });

  test('concurrent bulk and single writers on the same findings lose no update: each audit chain is unbroken', async () => {
    const ids = (await many(30)).map(Number);
    const members: number[] = [];
    for (let i = 0; i < 4; i++) {
      const user = await make.createUser(t.db);
      await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
      members.push(user.id);
    }
    const writes: Promise<{ statusCode: number; body: string }>[] = [];
    for (let round = 0; round < 4; round++) {
      writes.push(bulk({ finding_ids: [...ids].reverse(), change: { owner_user_id: members[round] } }));
      for (const id of ids.slice(round * 5, round * 5 + 8)) {
        writes.push(
          request(t.app, as.manager, {
            method: 'POST',
            url: `/admin/t/${tenant.externalId}/findings/${id}/responsibility`,
            payload: { owner_user_id: members[(round + 1) % 4] ?? null },
          }),
        );
      }
    }
    const responses = await Promise.all(writes);
    for (const response of responses) assert.ok([200, 422].includes(response.statusCode), response.body);
    const rows = await rowsOf(ids);
    for (const row of rows) {
      const events = (await eventsOf([row.id])).map((event) => ({
        before: (event.before as { owner_user_id: number | null }).owner_user_id,
        after: (event.after as { owner_user_id: number | null }).owner_user_id,
      }));
      let owner: number | null = null;
      for (const event of events) {
        assert.equal(
          event.before,
          owner,
          `finding ${row.id}: an event judged a state that was not the last one`,
        );
        owner = event.after;
      }
      assert.equal(row.ownerUserId, owner, `finding ${row.id}: the stored owner is the last event's`);
    }
  });
});
