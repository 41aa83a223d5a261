import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  answer,
  type DeskBehaviour,
  type FakeDesk,
  startFakeDesk,
} from '../../../../test/helpers/fake-desk.ts';
import { must } from '../../../../test/helpers/must.ts';
import {
  auditEventsOf,
  runSubmitUrl,
  tenantSubmitUrl,
  validBody,
} from '../../../../test/helpers/support-requests.ts';
import { tenants } from '../tenancy/tables.ts';
import { supportRequestAttempts, supportRequests } from './tables.ts';

/**
 * docs/rules.md "Support requests", follow-through, through HTTP against a real local desk (the webhook
 * provider): link a ticket, hand off again (same SR reference, same payload, same budget), one attempt
 * in flight at a time, every attempt listed and audited.
 */
const SECRET = 'planted-follow-secret-77ab';
const BUDGET_MS = 500;
// The whole request around the desk call (two transactions, reads before and after) on a loaded machine.
const SLACK_MS = 3000;

let desk: FakeDesk;
let t: TestApp;
let operator: Credential;
let readonly: Credential;
let tenant: make.Tenant;
let run: make.Run;

before(async () => {
  desk = await startFakeDesk();
  await (await fetch(desk.url)).arrayBuffer();
  t = await startTestApp({
    SUPPORT_DESK_PROVIDER: 'webhook',
    SUPPORT_DESK_URL: `${desk.url}/hook`,
    SUPPORT_DESK_TIMEOUT_MS: String(BUDGET_MS),
    SUPPORT_DESK_SECRET: SECRET,
    TENANTPILOT_PUBLIC_URL: 'https://tenantpilot.example.com',
  });
  const workspace = await make.createWorkspace(t.db, { name: 'Acme MSP' });
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  run = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id, outcome: 'failed' });
  const user = await make.createUser(t.db, { displayName: 'Olive Operator' });
  await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
  operator = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  const viewer = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant, userId: viewer.id, role: 'readonly' });
  readonly = { bearer: await make.createApiToken(t.db, { userId: viewer.id }) };
});

after(async () => {
  await t.close();
  await desk.close();
});

beforeEach(() => {
  desk.requests.length = 0;
});

const base = () => `/admin/t/${tenant.externalId}/support-requests`;
const linkUrl = (id: number) => `${base()}/${id}/actions/link`;
const againUrl = (id: number) => `${base()}/${id}/actions/hand-off-again`;

async function submit(mode: string, behaviour?: DeskBehaviour, url = tenantSubmitUrl(tenant.externalId)) {
  if (behaviour) desk.respondWith(behaviour);
  const extra = mode === 'link_existing_ticket' ? { external_ticket_reference: 'EXT-1' } : {};
  const response = await request(t.app, operator, {
    method: 'POST',
    url,
    payload: validBody({ handoff_mode: mode, ...extra }),
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as {
    support_request_id: number;
    internal_reference: string;
    handoff_outcome: string;
  };
}

const failedSubmit = (url?: string) =>
  submit('create_external_ticket', answer.json(503, { error: 'down' }), url);

function post(url: string, payload?: Record<string, unknown>, credential = operator) {
  return request(
    t.app,
    credential,
    payload === undefined ? { method: 'POST', url } : { method: 'POST', url, payload },
  );
}

async function detail(id: number, credential = operator) {
  const response = await request(t.app, credential, { method: 'GET', url: `${base()}/${id}` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/** The constraint a unique violation (23505) names, wherever in the cause chain the driver put it. */
function uniqueViolationOf(error: unknown): string | null {
  for (
    let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code === '23505') return e.constraint ?? null;
  }
  return null;
}

const actionsOf = async (id: number) => (await auditEventsOf(t.db, id)).map((event) => event.action);

describe('link a ticket', () => {
  test('an internal-only request is linked, audited and lists the link as an attempt', async () => {
    const submitted = await submit('internal_only');
    const before = await detail(submitted.support_request_id);
    assert.deepEqual(before.available_actions, { link: true, hand_off_again: false });
    assert.deepEqual(before.attempts, []);

    const response = await post(linkUrl(submitted.support_request_id), {
      external_ticket_reference: 'PSA-4711 ✓ "quoted" <b>',
      external_ticket_url: 'https://psa.example/tickets/4711',
    });
    assert.equal(response.statusCode, 200, response.body);
    const linked = response.json();
    assert.equal(linked.handoff_outcome, 'external_ticket_linked');
    assert.equal(linked.handoff_mode, 'internal_only');
    assert.equal(linked.external_ticket_reference, 'PSA-4711 ✓ "quoted" <b>');
    assert.equal(linked.external_ticket_url, 'https://psa.example/tickets/4711');
    assert.equal(linked.failure_summary, null);
    assert.deepEqual(linked.available_actions, { link: false, hand_off_again: false });
    assert.equal(linked.attempts.length, 1);
    assert.equal(linked.attempts[0].kind, 'link');
    assert.equal(linked.attempts[0].outcome, 'linked');
    assert.equal(linked.attempts[0].actor.display_name, 'Olive Operator');
    assert.equal(desk.requests.length, 0, 'linking never calls the desk');
    assert.deepEqual(await actionsOf(submitted.support_request_id), [
      'support_request.submitted',
      'support_request.ticket_linked',
    ]);
    // Read back as it answered, and the list item says the same.
    assert.deepEqual(await detail(submitted.support_request_id), linked);
  });

  test('a failed handoff is linked: the failure summary goes, the attempts keep it', async () => {
    const submitted = await failedSubmit();
    assert.equal(submitted.handoff_outcome, 'external_handoff_failed');
    const response = await post(linkUrl(submitted.support_request_id), { external_ticket_reference: 'T-9' });
    assert.equal(response.statusCode, 200, response.body);
    const linked = response.json();
    assert.equal(linked.handoff_outcome, 'external_ticket_linked');
    assert.equal(linked.handoff_mode, 'create_external_ticket');
    assert.equal(linked.external_ticket_url, null);
    assert.equal(linked.failure_summary, null);
    assert.deepEqual(
      linked.attempts.map((attempt: { kind: string; outcome: string }) => [attempt.kind, attempt.outcome]),
      [
        ['create', 'failed'],
        ['link', 'linked'],
      ],
    );
    assert.ok(linked.attempts[0].summary.length > 0, 'linked.attempts[0].summary.length > 0');
    const latest = (await request(t.app, operator, { method: 'GET', url: `${base()}/latest` })).json();
    assert.equal(latest.support_request_id, submitted.support_request_id);
    assert.equal(latest.has_external_link, true);
    assert.equal(latest.has_failure, false);
  });

  test('a request that has a ticket (linked or created) cannot be linked again: 409, nothing written', async () => {
    const linkedAtSubmit = await submit('link_existing_ticket');
    const created = await submit('create_external_ticket', answer.json(201, { reference: 'HOOK-1' }));
    assert.equal(created.handoff_outcome, 'external_ticket_created');
    for (const id of [linkedAtSubmit.support_request_id, created.support_request_id]) {
      const beforeRow = await t.db.select().from(supportRequests).where(eq(supportRequests.id, id));
      const response = await post(linkUrl(id), { external_ticket_reference: 'OTHER' });
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(response.json().error.code, 'conflict');
      assert.deepEqual(
        await t.db.select().from(supportRequests).where(eq(supportRequests.id, id)),
        beforeRow,
      );
      assert.equal((await auditEventsOf(t.db, id)).length, id === created.support_request_id ? 2 : 1);
    }
  });

  test('a readonly member sees the request without actions and is refused (403)', async () => {
    const submitted = await submit('internal_only');
    const view = await detail(submitted.support_request_id, readonly);
    assert.deepEqual(view.available_actions, { link: false, hand_off_again: false });
    const response = await post(
      linkUrl(submitted.support_request_id),
      { external_ticket_reference: 'X' },
      readonly,
    );
    assert.equal(response.statusCode, 403);
  });
});

describe('hand off again', () => {
  test('a failed create is handed off once more: same SR reference, same payload, created', async () => {
    const submitted = await failedSubmit(runSubmitUrl(run.id));
    const first = must(desk.requests[0], 'the first attempt');
    assert.deepEqual((await detail(submitted.support_request_id)).available_actions, {
      link: true,
      hand_off_again: true,
    });
    desk.respondWith(answer.json(201, { reference: 'HOOK-77', url: 'https://desk.example/77' }));
    const response = await post(againUrl(submitted.support_request_id));
    assert.equal(response.statusCode, 200, response.body);
    const again = response.json();
    assert.equal(again.handoff_outcome, 'external_ticket_created');
    assert.equal(again.external_ticket_reference, 'HOOK-77');
    assert.equal(again.external_ticket_url, 'https://desk.example/77');
    assert.equal(again.failure_summary, null);
    assert.equal(again.internal_reference, submitted.internal_reference);
    assert.deepEqual(
      again.attempts.map((attempt: { kind: string; outcome: string }) => [attempt.kind, attempt.outcome]),
      [
        ['create', 'failed'],
        ['hand_off_again', 'created'],
      ],
    );
    assert.equal(again.attempts[1].external_ticket_reference, 'HOOK-77');
    assert.ok(again.attempts[1].finished_at >= again.attempts[1].started_at, 'finished after it started');

    assert.equal(desk.requests.length, 2, 'exactly one more call');
    const second = must(desk.requests[1], 'the second attempt');
    assert.equal(second.headers['idempotency-key'], submitted.internal_reference);
    assert.equal(first.headers['idempotency-key'], submitted.internal_reference);
    // The webhook payload stays exactly as section 7 says: the same body, byte for byte, and signed alike.
    assert.equal(second.body, first.body);
    assert.equal(second.headers['x-tenantpilot-signature'], first.headers['x-tenantpilot-signature']);
    assert.deepEqual(await actionsOf(submitted.support_request_id), [
      'support_request.submitted',
      'support_request.handoff_failed',
      'support_request.hand_off_again_started',
      'support_request.handoff_completed',
    ]);
    // Nothing further to do once it has a ticket.
    assert.equal((await post(againUrl(submitted.support_request_id))).statusCode, 409);
    assert.equal(desk.requests.length, 2);
  });

  const faults: [string, DeskBehaviour, boolean?][] = [
    ['hangs', answer.hang(), true],
    ['500s', answer.text(500, `<html>oops ${SECRET}</html>`)],
    ['refuses the credentials', answer.json(401, { error: `bad signature ${SECRET}` })],
    ['closes the socket', answer.closeSocket()],
  ];
  for (const [name, behaviour, endsByBudget] of faults) {
    test(`a desk that ${name} during a hand-off again: failed again, bounded, kept, no secret`, async () => {
      const submitted = await failedSubmit();
      desk.respondWith(behaviour);
      desk.requests.length = 0;
      const started = performance.now();
      const response = await post(againUrl(submitted.support_request_id));
      const elapsed = performance.now() - started;
      assert.equal(response.statusCode, 200, response.body);
      const again = response.json();
      assert.equal(again.handoff_outcome, 'external_handoff_failed');
      assert.equal(again.external_ticket_reference, null);
      assert.ok(again.failure_summary.length > 0, 'again.failure_summary.length > 0');
      assert.ok(!response.body.includes(SECRET), response.body);
      assert.ok(elapsed < BUDGET_MS + SLACK_MS, `took ${elapsed} ms`);
      if (endsByBudget) assert.ok(elapsed >= BUDGET_MS * 0.9, `ended early: ${elapsed} ms`);
      assert.equal(desk.requests.length, 1, 'one call, no retry');
      assert.deepEqual(
        again.attempts.map((attempt: { outcome: string }) => attempt.outcome),
        ['failed', 'failed'],
      );
      assert.equal(again.attempts[1].summary, again.failure_summary);
      assert.deepEqual(again.available_actions, { link: true, hand_off_again: true });
      const [row] = await t.db
        .select()
        .from(supportRequests)
        .where(eq(supportRequests.id, submitted.support_request_id));
      assert.equal(row?.failureSummary, again.failure_summary);
      assert.equal((await actionsOf(submitted.support_request_id)).at(-1), 'support_request.handoff_failed');
    });
  }

  test('only a failed create: internal-only, linked and created requests answer 409 and call nothing', async () => {
    const ids = [
      (await submit('internal_only')).support_request_id,
      (await submit('link_existing_ticket')).support_request_id,
      (await submit('create_external_ticket', answer.json(201, { reference: 'OK-1' }))).support_request_id,
    ];
    desk.requests.length = 0;
    for (const id of ids) {
      const response = await post(againUrl(id));
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(
        (await detail(id)).attempts.filter((a: { kind: string }) => a.kind === 'hand_off_again').length,
        0,
      );
    }
    assert.equal(desk.requests.length, 0);
  });

  test('a second hand-off while one is in flight is 409; so is a link; the first still ends', async () => {
    const submitted = await failedSubmit();
    desk.respondWith(answer.delayed(300, answer.json(201, { reference: 'SLOW-1' })));
    desk.requests.length = 0;
    const first = post(againUrl(submitted.support_request_id));
    // Wait until the first attempt is recorded as in flight.
    for (let i = 0; i < 100 && desk.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const view = await detail(submitted.support_request_id);
    assert.equal(view.attempts.at(-1).outcome, null, 'in flight');
    assert.deepEqual(view.available_actions, { link: false, hand_off_again: false });
    const second = await post(againUrl(submitted.support_request_id));
    assert.equal(second.statusCode, 409, second.body);
    assert.match(second.json().error.message, /in flight/);
    const link = await post(linkUrl(submitted.support_request_id), { external_ticket_reference: 'X' });
    assert.equal(link.statusCode, 409, link.body);
    const done = await first;
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().external_ticket_reference, 'SLOW-1');
    assert.equal(desk.requests.length, 1);
  });

  test('two hand-offs at the same moment: one 200, one 409, one desk call', async () => {
    const submitted = await failedSubmit();
    desk.respondWith(answer.delayed(200, answer.json(201, { reference: 'RACE-1' })));
    desk.requests.length = 0;
    const answers = await Promise.all([1, 2, 3].map(() => post(againUrl(submitted.support_request_id))));
    const statuses = answers.map((response) => response.statusCode).sort();
    assert.deepEqual(statuses, [200, 409, 409], answers.map((r) => r.body).join('\n'));
    assert.equal(desk.requests.length, 1);
    const rows = await t.db
      .select()
      .from(supportRequestAttempts)
      .where(eq(supportRequestAttempts.supportRequestId, submitted.support_request_id));
    assert.equal(rows.filter((row) => row.kind === 'hand_off_again').length, 1);
  });

  test('the database itself refuses a second attempt in flight for one request', async () => {
    const submitted = await failedSubmit();
    const [user] = await t.db
      .select({ id: supportRequests.submittedByUserId })
      .from(supportRequests)
      .limit(1);
    const values = {
      supportRequestId: submitted.support_request_id,
      tenantId: tenant.id,
      kind: 'hand_off_again' as const,
      actorUserId: must(user, 'a submitter').id,
      deadlineAt: new Date(Date.now() + 60_000),
    };
    await t.db.insert(supportRequestAttempts).values(values);
    await assert.rejects(
      t.db.insert(supportRequestAttempts).values(values),
      (error: unknown) => uniqueViolationOf(error) === 'support_request_attempts_one_in_flight_key',
    );
    // And through HTTP: the open attempt makes a hand-off 409.
    assert.equal((await post(againUrl(submitted.support_request_id))).statusCode, 409);
  });

  test('an interrupted handoff (the process died mid-call) can be handed off again; the dead attempt reads failed', async () => {
    const submitted = await failedSubmit();
    const id = submitted.support_request_id;
    const past = new Date(Date.now() - 60_000);
    // As a server that stopped during the submit's call leaves it: no outcome, its deadline passed.
    await t.db
      .update(supportRequests)
      .set({ handoffOutcome: null, failureSummary: null, handoffDeadlineAt: past })
      .where(eq(supportRequests.id, id));
    await t.db
      .update(supportRequestAttempts)
      .set({ finishedAt: null, outcome: null, summary: null, deadlineAt: past })
      .where(eq(supportRequestAttempts.supportRequestId, id));
    const view = await detail(id);
    assert.equal(view.handoff_outcome, 'external_handoff_failed');
    assert.match(view.failure_summary, /interrupted/);
    assert.equal(view.attempts[0].outcome, 'failed');
    assert.match(view.attempts[0].summary, /interrupted/);
    assert.deepEqual(view.available_actions, { link: true, hand_off_again: true });

    desk.respondWith(answer.json(201, { reference: 'AFTER-CRASH' }));
    const response = await post(againUrl(id));
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().external_ticket_reference, 'AFTER-CRASH');
    const [closed] = await t.db
      .select()
      .from(supportRequestAttempts)
      .where(eq(supportRequestAttempts.supportRequestId, id))
      .orderBy(supportRequestAttempts.id);
    assert.equal(closed?.outcome, 'failed', 'the dead attempt is closed when the next one starts');
    assert.ok(closed?.finishedAt, 'closed?.finishedAt');
  });

  test('a submit still waiting for its desk cannot be followed through (409)', async () => {
    const submitted = await submit('internal_only');
    const id = submitted.support_request_id;
    await t.db
      .update(supportRequests)
      .set({
        handoffMode: 'create_external_ticket',
        handoffOutcome: null,
        handoffDeadlineAt: new Date(Date.now() + 60_000),
      })
      .where(eq(supportRequests.id, id));
    assert.equal((await post(againUrl(id))).statusCode, 409);
    assert.equal((await post(linkUrl(id), { external_ticket_reference: 'X' })).statusCode, 409);
  });

  test('an archived tenant refuses both (409) and offers neither', async () => {
    const submitted = await failedSubmit();
    await t.db.update(tenants).set({ archivedAt: new Date() }).where(eq(tenants.id, tenant.id));
    try {
      assert.deepEqual((await detail(submitted.support_request_id)).available_actions, {
        link: false,
        hand_off_again: false,
      });
      assert.equal((await post(againUrl(submitted.support_request_id))).statusCode, 409);
      const link = await post(linkUrl(submitted.support_request_id), { external_ticket_reference: 'X' });
      assert.equal(link.statusCode, 409);
    } finally {
      await t.db.update(tenants).set({ archivedAt: null }).where(eq(tenants.id, tenant.id));
    }
  });
});

describe('latest_summary in a submit answer', () => {
  test('describes the request that submit made, even when a hand-off again finishes meanwhile', async () => {
    const failed = await failedSubmit();
    desk.respondWith(answer.delayed(200, answer.json(201, { reference: 'MEANWHILE' })));
    const again = post(againUrl(failed.support_request_id));
    const made = await submit('internal_only');
    const response = await request(t.app, operator, {
      method: 'POST',
      url: tenantSubmitUrl(tenant.externalId),
      payload: validBody(),
    });
    const result = response.json();
    assert.equal(result.latest_summary.support_request_id, result.support_request_id);
    assert.notEqual(result.support_request_id, made.support_request_id);
    assert.equal((await again).statusCode, 200);
  });
});
