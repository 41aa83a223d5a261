import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { tenantCapabilitiesOf } from '../../core/capabilities.ts';
import { auditEvents } from '../audit/tables.ts';
import { findings } from './tables.ts';

let t: TestApp;
let manager: Credential;
let tenant: make.Tenant;
const u = { a: 0, b: 0, c: 0, d: 0, inactive: 0, outsider: 0, elsewhere: 0, manager: 0 };

before(async () => {
  t = await startTestApp();
  const db = t.db;
  const workspace = await make.createWorkspace(db);
  tenant = await make.createTenant(db, { workspaceId: workspace.id });
  const sibling = await make.createTenant(db, { workspaceId: workspace.id });
  for (const key of ['a', 'b', 'c', 'd', 'manager'] as const) {
    u[key] = (await make.createUser(db)).id;
    await make.addTenantMember(db, {
      tenant,
      userId: u[key],
      role: key === 'manager' ? 'manager' : 'operator',
    });
  }
  u.inactive = (await make.createUser(db, { active: false })).id;
  await make.addTenantMember(db, { tenant, userId: u.inactive, role: 'operator' });
  u.outsider = (await make.createUser(db)).id;
  u.elsewhere = (await make.createUser(db)).id;
  await make.addTenantMember(db, { tenant: sibling, userId: u.elsewhere, role: 'owner' });
  manager = { bearer: await make.createApiToken(db, { userId: u.manager }) };
});

after(() => t.close());

const url = (id: number, tail = '') => `/admin/t/${tenant.externalId}/findings/${id}${tail}`;
const post = (id: number, payload: unknown) =>
  request(t.app, manager, { method: 'POST', url: url(id, '/responsibility'), payload: payload as object });
const stored = async (id: number) => {
  const [row] = await t.db.select().from(findings).where(eq(findings.id, id));
  const { ownerUserId: owner, assigneeUserId: assignee } = must(row, `finding ${id}`);
  return { owner, assignee };
};
const eventsOf = (id: number) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.subjectId, String(id)));

describe('POST …/responsibility: the classification table, through the API', () => {
  const cases = [
    ['set', 'set', 'owner_and_assignee'],
    ['set', 'clear', 'owner_and_assignee'],
    ['set', 'absent', 'owner_only'],
    ['clear', 'set', 'owner_and_assignee'],
    ['clear', 'clear', 'owner_and_assignee'],
    ['clear', 'absent', 'clear_owner'],
    ['absent', 'set', 'assignee_only'],
    ['absent', 'clear', 'clear_assignee'],
    ['absent', 'absent', 422],
    ['same', 'absent', 422],
    ['same', 'same', 422],
    ['same', 'set', 'assignee_only'],
    ['set', 'same', 'owner_only'],
  ] as const;
  for (const [ownerMove, assigneeMove, expected] of cases) {
    test(`owner ${ownerMove}, assignee ${assigneeMove} → ${expected}`, async () => {
      const finding = await make.createFinding(t.db, {
        tenantId: tenant.id,
        ownerUserId: u.a,
        assigneeUserId: u.b,
      });
      const body: Record<string, number | null> = {};
      const value = (move: string, current: number, next: number) =>
        move === 'set' ? next : move === 'clear' ? null : move === 'same' ? current : undefined;
      const owner = value(ownerMove, u.a, u.c);
      const assignee = value(assigneeMove, u.b, u.d);
      if (owner !== undefined) body.owner_user_id = owner;
      if (assignee !== undefined) body.assignee_user_id = assignee;
      const response = await post(finding.id, body);
      if (expected === 422) {
        assert.equal(response.statusCode, 422, response.body);
        assert.equal(response.json().error.code, 'invalid');
        assert.deepEqual(await stored(finding.id), { owner: u.a, assignee: u.b });
        assert.equal((await eventsOf(finding.id)).length, 0, 'nothing written');
        return;
      }
      assert.equal(response.statusCode, 200, response.body);
      const result = response.json();
      assert.equal(result.change_classification, expected);
      const want = {
        owner: owner === undefined ? u.a : owner,
        assignee: assignee === undefined ? u.b : assignee,
      };
      assert.deepEqual(await stored(finding.id), want);
      assert.equal(result.responsibility.owner?.id ?? null, want.owner);
      assert.equal(result.responsibility.assignee?.id ?? null, want.assignee);
      assert.equal(result.responsibility.finding_id, finding.id);
      const events = await eventsOf(finding.id);
      assert.equal(events.length, 1);
      const event = must(events[0], 'the audit event');
      assert.equal(event.action, 'finding.responsibility_changed');
      assert.equal(event.actorUserId, u.manager);
      assert.equal(event.clientAddress, '127.0.0.1', 'the audit event keeps where the change came from');
      assert.deepEqual(event.before, { owner_user_id: u.a, assignee_user_id: u.b });
      assert.deepEqual(event.after, {
        owner_user_id: want.owner,
        assignee_user_id: want.assignee,
        change_classification: expected,
      });
    });
  }
});

describe('who may be owner or assignee: active members of the finding tenant only', () => {
  const refused = [
    ['unknown user', () => 99_999_999],
    ['inactive member', () => u.inactive],
    ['user with no membership', () => u.outsider],
    ['member of a sibling tenant only', () => u.elsewhere],
  ] as const;
  for (const field of ['owner_user_id', 'assignee_user_id'] as const) {
    for (const [name, id] of refused) {
      test(`${field} = ${name} → 422, one message, nothing written`, async () => {
        const finding = await make.createFinding(t.db, {
          tenantId: tenant.id,
          ownerUserId: u.a,
          assigneeUserId: null,
        });
        const response = await post(finding.id, { [field]: id() });
        assert.equal(response.statusCode, 422, response.body);
        assert.deepEqual(response.json().error.fields, {
          [field]: 'must be an active member of this tenant',
        });
        assert.deepEqual(await stored(finding.id), { owner: u.a, assignee: null });
        assert.equal((await eventsOf(finding.id)).length, 0);
      });
    }
  }

  test('a stored owner who left does not block changing the assignee', async () => {
    const finding = await make.createFinding(t.db, { tenantId: tenant.id, ownerUserId: u.outsider });
    const response = await post(finding.id, { assignee_user_id: u.a });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().change_classification, 'assignee_only');
    assert.equal(response.json().responsibility.accountability_gap, true);
  });
});

describe('responsibility_state and accountability_gap, read back on the detail', () => {
  const table = [
    ['no owner, no assignee', () => [null, null], 'orphaned_accountability', true],
    ['no owner, an assignee', () => [null, u.a], 'orphaned_accountability', true],
    ['active member owner, no assignee', () => [u.a, null], 'owned_unassigned', false],
    ['active member owner and assignee', () => [u.a, u.b], 'assigned', false],
    ['same person owns and is assigned', () => [u.a, u.a], 'assigned', false],
    ['inactive owner', () => [u.inactive, u.a], 'assigned', true],
    ['owner not a member', () => [u.outsider, null], 'owned_unassigned', true],
    ['owner member of another tenant only', () => [u.elsewhere, u.a], 'assigned', true],
  ] as const;
  for (const [name, people, state, gap] of table) {
    test(`${name} → ${state}, gap ${gap}`, async () => {
      const [ownerUserId, assigneeUserId] = people();
      const finding = await make.createFinding(t.db, { tenantId: tenant.id, ownerUserId, assigneeUserId });
      const response = await request(t.app, manager, { method: 'GET', url: url(finding.id) });
      assert.equal(response.statusCode, 200, response.body);
      const detail = response.json();
      assert.equal(detail.responsibility_state, state);
      assert.equal(detail.accountability_gap, gap);
      assert.equal(detail.surface, 'finding_detail');
      assert.equal(detail.detail_route, '/admin/t/{tenant}/findings/{finding}');
      assert.equal(detail.exception_owner, null);
      assert.deepEqual(detail.tenant, { external_id: tenant.externalId, name: tenant.name });
      // The manager's capabilities (the table itself is proved in test/capabilities.test.ts).
      assert.deepEqual(detail.capabilities, [...tenantCapabilitiesOf.manager]);
    });
  }
});

describe('GET …/history', () => {
  test('lists every change newest first, paged with next_cursor', async () => {
    const finding = await make.createFinding(t.db, { tenantId: tenant.id });
    const steps = [
      { owner_user_id: u.a },
      { assignee_user_id: u.b },
      { owner_user_id: null },
      { owner_user_id: u.c },
    ];
    for (const step of steps) assert.equal((await post(finding.id, step)).statusCode, 200);
    const seen: {
      action: string;
      before: unknown;
      after: { owner_user_id: number | null };
      actor: unknown;
    }[] = [];
    let cursor: string | null = null;
    do {
      const suffix = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await request(t.app, manager, {
        method: 'GET',
        url: `${url(finding.id, '/history')}?limit=3${suffix}`,
      });
      assert.equal(response.statusCode, 200, response.body);
      seen.push(...response.json().items);
      cursor = response.json().next_cursor;
    } while (cursor);
    assert.equal(seen.length, 4);
    assert.deepEqual(
      seen.map((event) => event.after.owner_user_id),
      [u.c, null, u.a, u.a],
    );
    assert.ok(seen.every((event) => event.action === 'finding.responsibility_changed'));
    const { actor } = must(seen[0], 'the newest event');
    assert.deepEqual(actor, {
      id: u.manager,
      display_name: actor && (actor as { display_name: string }).display_name,
    });
    const bad = await request(t.app, manager, {
      method: 'GET',
      url: `${url(finding.id, '/history')}?limit=0`,
    });
    assert.equal(bad.statusCode, 422);
  });
});

describe('bad input to POST …/responsibility: 422 naming the field, nothing written', () => {
  const cases: [string, unknown, string][] = [
    ['owner id as a string', { owner_user_id: '5' }, 'owner_user_id'],
    ['owner id a float', { owner_user_id: 1.5 }, 'owner_user_id'],
    ['owner id a boolean', { owner_user_id: true }, 'owner_user_id'],
    ['owner id an array', { owner_user_id: [1] }, 'owner_user_id'],
    ['owner id zero', { owner_user_id: 0 }, 'owner_user_id'],
    ['owner id negative', { owner_user_id: -3 }, 'owner_user_id'],
    ['owner id beyond 32 bits', { owner_user_id: 2_147_483_648 }, 'owner_user_id'],
    ['assignee id as a string', { assignee_user_id: 'me' }, 'assignee_user_id'],
    ['assignee id an object', { assignee_user_id: { id: 1 } }, 'assignee_user_id'],
    ['unknown field', { owner_user_id: 1, workflow_status: 'closed' }, 'workflow_status'],
    ['empty body', {}, 'owner_user_id'],
    ['body an array', [], 'body'],
  ];
  for (const [name, payload, field] of cases) {
    test(name, async () => {
      const finding = await make.createFinding(t.db, { tenantId: tenant.id, ownerUserId: u.a });
      const response = await post(finding.id, payload);
      assert.equal(response.statusCode, 422, response.body);
      assert.ok(response.json().error.fields?.[field], `${name}: ${response.body}`);
      assert.deepEqual(await stored(finding.id), { owner: u.a, assignee: null });
      assert.equal((await eventsOf(finding.id)).length, 0);
    });
  }

  test('a body that is not JSON is refused and a body over 1 MiB is 413', async () => {
    const finding = await make.createFinding(t.db, { tenantId: tenant.id, ownerUserId: u.a });
    const garbled = await request(t.app, manager, {
      method: 'POST',
      url: url(finding.id, '/responsibility'),
      headers: { 'content-type': 'application/json' },
      payload: '{"owner_user_id": ',
    });
    assert.equal(garbled.statusCode, 400, garbled.body);
    const huge = await post(finding.id, { owner_user_id: u.b, padding: 'x'.repeat(1024 * 1024) });
    assert.equal(huge.statusCode, 413);
    assert.deepEqual(await stored(finding.id), { owner: u.a, assignee: null });
  });
});
