import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { auditEvents } from '../audit/tables.ts';
import { findings } from './tables.ts';

/**
 * No lost update: many simultaneous responsibility changes of one finding. On PostgreSQL they really contend
 * (a pool of 10 connections); on PGlite they queue on its one connection. Either way the audit trail must be
 * one unbroken chain: each event's `before` is the previous event's `after`, one event per 200 answer.
 */
let t: TestApp;
let manager: Credential;
let tenant: make.Tenant;
const members: number[] = [];

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  const managerId = (await make.createUser(t.db)).id;
  await make.addTenantMember(t.db, { tenant, userId: managerId, role: 'manager' });
  manager = { bearer: await make.createApiToken(t.db, { userId: managerId }) };
  for (let i = 0; i < 20; i++) {
    const user = await make.createUser(t.db);
    await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
    members.push(user.id);
  }
});

after(() => t.close());

type State = { owner_user_id: number | null; assignee_user_id: number | null };
const pick = (state: State | null): State => ({
  owner_user_id: state?.owner_user_id ?? null,
  assignee_user_id: state?.assignee_user_id ?? null,
});

async function race(bodies: object[]) {
  const finding = await make.createFinding(t.db, { tenantId: tenant.id });
  const url = `/admin/t/${tenant.externalId}/findings/${finding.id}/responsibility`;
  const responses = await Promise.all(
    bodies.map((payload) => request(t.app, manager, { method: 'POST', url, payload })),
  );
  const events = await t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.subjectId, String(finding.id)))
    .orderBy(asc(auditEvents.id));
  const [row] = await t.db.select().from(findings).where(eq(findings.id, finding.id));
  return { responses, events, row: must(row, `finding ${finding.id}`) };
}

function assertChain({ responses, events, row }: Awaited<ReturnType<typeof race>>, initial: State) {
  const accepted = responses.filter((response) => response.statusCode === 200);
  for (const response of responses) assert.ok([200, 422].includes(response.statusCode), response.body);
  assert.equal(events.length, accepted.length, 'one audit event per 200 answer');
  let previous = initial;
  for (const event of events) {
    assert.deepEqual(
      pick(event.before as State),
      previous,
      `event ${event.id} starts where the last one ended`,
    );
    previous = pick(event.after as State);
  }
  assert.deepEqual({ owner_user_id: row.ownerUserId, assignee_user_id: row.assigneeUserId }, previous);
  // Each answer reports the state its own change produced, and the classification its event records.
  const answered = accepted.map((response) => {
    const { change_classification, responsibility } = response.json();
    return `${responsibility.owner?.id ?? null}/${responsibility.assignee?.id ?? null}/${change_classification}`;
  });
  const recorded = events.map((event) => {
    const after = event.after as State & { change_classification: string };
    return `${after.owner_user_id}/${after.assignee_user_id}/${after.change_classification}`;
  });
  assert.deepEqual(answered.sort(), recorded.sort());
}

test('20 simultaneous requests setting 20 different owners: all accepted, one unbroken chain', async () => {
  const outcome = await race(members.map((id) => ({ owner_user_id: id })));
  assert.equal(outcome.responses.filter((r) => r.statusCode === 200).length, 20);
  assert.ok(members.includes(outcome.row.ownerUserId as number));
  assertChain(outcome, { owner_user_id: null, assignee_user_id: null });
});

test('mixed sets and clears of both fields: every answer is classified against the state it saw', async () => {
  const bodies = members.flatMap((id, i) => [
    i % 2 ? { owner_user_id: id } : { assignee_user_id: id },
    i % 3 ? { owner_user_id: null } : { assignee_user_id: null, owner_user_id: id },
  ]);
  const outcome = await race(bodies);
  assertChain(outcome, { owner_user_id: null, assignee_user_id: null });
  // Some clears find nothing to clear: those are the 422s, and they wrote nothing.
  for (const response of outcome.responses.filter((r) => r.statusCode === 422)) {
    assert.match(response.json().error.message, /Nothing changed/);
  }
});
