import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ActorWorld, createActorWorld } from '../../../../test/helpers/actors.ts';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  answer,
  type DeskBehaviour,
  type FakeDesk,
  startFakeDesk,
} from '../../../../test/helpers/fake-desk.ts';

/**
 * docs/rules.md "Support requests": a submit's `latest_summary` describes the request that submit made, whatever else
 * was submitted meanwhile. 16 submits in flight on one context against a slow local desk (one of them on a
 * hung one, until the budget): the desk holds every ticket until all the internal_only submits have
 * answered, so each create_external_ticket submit ends after newer requests of its context exist.
 */
const SUBMITS = 16;
const HUNG = 'hung desk';

const tenantSubmitUrl = (tenant: string) => `/admin/t/${tenant}/support-requests/actions/submit`;
const runSubmitUrl = (run: number) => `/admin/operations/${run}/support-requests/actions/submit`;

const body = (summary: string, handoff_mode: string) => ({
  severity: handoff_mode === 'internal_only' ? 'normal' : 'high',
  summary,
  reproduction_notes: 'Open the run, see the error',
  contact_name: 'Dana Operator',
  contact_email: 'dana@example.test',
  handoff_mode,
});

/** Submit i: every third one internal_only, one against a desk that never answers, the rest created. */
function submissionOf(i: number) {
  if (i % 3 === 0) return body(`internal ${i}`, 'internal_only');
  return body(i === 1 ? HUNG : `desk ${i}`, 'create_external_ticket');
}

/** Resolves once `n` calls of the returned `done` have been made, or after `ms` (the test then fails on its own). */
function gate(n: number, ms: number) {
  let left = n;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
    setTimeout(resolve, ms).unref();
  });
  return {
    opened,
    done() {
      left -= 1;
      if (left === 0) open();
    },
  };
}

let desk: FakeDesk;
let t: TestApp;
let operator: Credential;
let tenant: ActorWorld['tenant'];
let run: Awaited<ReturnType<typeof make.createRun>>;

before(async () => {
  desk = await startFakeDesk();
  // The default 5 s budget: the hung submit waits it out; the others must not, however loaded the machine.
  t = await startTestApp({ SUPPORT_DESK_PROVIDER: 'webhook', SUPPORT_DESK_URL: desk.url });
  const world = await createActorWorld(t);
  tenant = world.tenant;
  run = await make.createRun(t.db, { workspaceId: world.workspace.id, tenantId: tenant.id });
  operator = world.token('operator');
});
after(async () => {
  await t?.close();
  await desk?.close();
});

/** Fires the 16 submits at once against a desk that answers only once the internal_only ones have answered. */
async function submitInFlight(url: string) {
  const internalAnswered = gate(Math.ceil(SUBMITS / 3), 3500);
  desk.respondWith(async (received): Promise<DeskBehaviour> => {
    const ticket = received.json() as { internal_reference: string; summary: string };
    await internalAnswered.opened;
    if (ticket.summary === HUNG) return answer.hang();
    const reference = `DESK-${ticket.internal_reference}`;
    const delay = 50 + (Number(ticket.summary.replace(/\D/g, '')) % 4) * 100;
    return answer.delayed(delay, answer.json(201, { reference, url: `https://desk.test/${reference}` }));
  });
  const bodies = Array.from({ length: SUBMITS }, (_, i) => submissionOf(i));
  const responses = await Promise.all(
    bodies.map(async (payload) => {
      const response = await request(t.app, operator, { method: 'POST', url, payload });
      if (payload.handoff_mode === 'internal_only') internalAnswered.done();
      return response;
    }),
  );
  return bodies.map((sent, i) => {
    const response = responses[i];
    assert.ok(response);
    assert.equal(response.statusCode, 200, response.body);
    return { sent, result: response.json() };
  });
}

function assertOwnSummaries(answers: Awaited<ReturnType<typeof submitInFlight>>) {
  const ids = new Set(answers.map(({ result }) => result.support_request_id));
  assert.equal(ids.size, SUBMITS, 'every submit made a request of its own');
  const describedElse = answers
    .filter(({ result }) => result.latest_summary.support_request_id !== result.support_request_id)
    .map(({ result }) => `${result.internal_reference} answered ${result.latest_summary.internal_reference}`);
  assert.deepEqual(describedElse, [], "latest_summary described another submit's request");
  for (const { sent, result } of answers) {
    const latest = result.latest_summary;
    const label = `${sent.summary} (${result.internal_reference})`;
    assert.equal(latest.support_request_id, result.support_request_id, `${label}: latest_summary id`);
    assert.equal(latest.internal_reference, result.internal_reference, `${label}: latest_summary reference`);
    assert.equal(latest.summary, sent.summary, label);
    assert.equal(latest.severity, sent.severity, label);
    assert.equal(latest.handoff_mode, sent.handoff_mode, label);
    assert.equal(latest.handoff_outcome, result.handoff_outcome, label);
    assert.equal(latest.external_ticket_reference, result.external_ticket_reference, label);
    assert.equal(latest.external_ticket_url, result.external_ticket_url, label);
    assert.equal(latest.external_handoff_failure_summary, result.failure_summary, label);
    assert.equal(latest.primary_context_type, result.primary_context_type, label);
    assert.equal(latest.primary_context_id, result.primary_context_id, label);
  }
}

function assertOutcomes(answers: Awaited<ReturnType<typeof submitInFlight>>) {
  for (const { sent, result } of answers) {
    if (sent.handoff_mode === 'internal_only') {
      assert.equal(result.handoff_outcome, 'internal_only');
    } else if (sent.summary === HUNG) {
      assert.equal(result.handoff_outcome, 'external_handoff_failed');
      assert.ok(result.failure_summary.includes(result.internal_reference), result.failure_summary);
    } else {
      assert.equal(result.handoff_outcome, 'external_ticket_created', result.failure_summary);
      assert.equal(result.external_ticket_reference, `DESK-${result.internal_reference}`);
    }
  }
}

/** GET …/latest is unchanged: the newest request of the context, whichever submit made it. */
async function assertLatestIsNewest(url: string, answers: Awaited<ReturnType<typeof submitInFlight>>) {
  const newest = Math.max(...answers.map(({ result }) => result.support_request_id));
  const response = await request(t.app, operator, { method: 'GET', url });
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().support_request_id, newest);
}

describe('latest_summary of submits in flight on one context', () => {
  test('tenant context: every answer describes its own request', async () => {
    const answers = await submitInFlight(tenantSubmitUrl(tenant.externalId));
    assertOutcomes(answers);
    assertOwnSummaries(answers);
    for (const { result } of answers) assert.equal(result.primary_context_id, tenant.id);
    await assertLatestIsNewest(`/admin/t/${tenant.externalId}/support-requests/latest`, answers);
  });

  test('run context: every answer describes its own request', async () => {
    const answers = await submitInFlight(runSubmitUrl(run.id));
    assertOutcomes(answers);
    assertOwnSummaries(answers);
    for (const { result } of answers) assert.equal(result.primary_context_id, run.id);
    await assertLatestIsNewest(`/admin/operations/${run.id}/support-requests/latest`, answers);
  });
});
