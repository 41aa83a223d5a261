import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  answer,
  type DeskBehaviour,
  type FakeDesk,
  refusedUrl,
  startFakeDesk,
  UNKNOWN_HOST_URL,
} from '../../../../test/helpers/fake-desk.ts';
import {
  auditEventsOf,
  runSubmitUrl,
  tenantSubmitUrl,
  validBody,
} from '../../../../test/helpers/support-requests.ts';
import type { webhookPayload } from '../../desks/webhook.ts';
import { supportRequests } from './tables.ts';

/**
 * create_external_ticket through the HTTP endpoint against a real local desk (the webhook provider), one
 * fault at a time: every answer is a 200 with the request kept, and a failure summary without secrets.
 */
const SECRET = 'planted-desk-secret-51c0';
const TOKEN = 'planted-desk-token-9e2d';
const BUDGET_MS = 500;
const SLACK_MS = 1500;
const PUBLIC_URL = 'https://tenantpilot.example.com';

let desk: FakeDesk;
let redirectTarget: FakeDesk;
let t: TestApp;
let operator: Credential;
let tenant: make.Tenant;
let run: make.Run;

const deskEnv = (url: string, extra: Record<string, string> = {}) => ({
  SUPPORT_DESK_PROVIDER: 'webhook',
  SUPPORT_DESK_URL: url,
  SUPPORT_DESK_TIMEOUT_MS: String(BUDGET_MS),
  SUPPORT_DESK_SECRET: SECRET,
  SUPPORT_DESK_API_TOKEN: TOKEN,
  TENANTPILOT_PUBLIC_URL: PUBLIC_URL,
  ...extra,
});

/** An operator of a fresh tenant with one run, in the given app. */
async function seed(app: TestApp) {
  const workspace = await make.createWorkspace(app.db, { name: 'Acme MSP' });
  const home = await make.createTenant(app.db, { workspaceId: workspace.id });
  const homeRun = await make.createRun(app.db, {
    workspaceId: workspace.id,
    tenantId: home.id,
    outcome: 'failed',
  });
  const user = await make.createUser(app.db, { displayName: 'Olive Operator' });
  await make.addTenantMember(app.db, { tenant: home, userId: user.id, role: 'operator' });
  return {
    tenant: home,
    run: homeRun,
    operator: { bearer: await make.createApiToken(app.db, { userId: user.id }) } as Credential,
  };
}

before(async () => {
  desk = await startFakeDesk();
  redirectTarget = await startFakeDesk();
  // Node loads its fetch implementation on first use: not inside the first test's short budget.
  await (await fetch(desk.url)).arrayBuffer();
  desk.requests.length = 0;
  t = await startTestApp(deskEnv(`${desk.url}/hooks/tenantpilot`));
  ({ tenant, run, operator } = await seed(t));
});

after(async () => {
  await t.close();
  await desk.close();
  await redirectTarget.close();
});

async function submitCreate(app: TestApp, credential: Credential, url: string, overrides = {}) {
  const started = performance.now();
  const response = await request(app.app, credential, {
    method: 'POST',
    url,
    payload: validBody({ handoff_mode: 'create_external_ticket', ...overrides }),
  });
  const elapsed = performance.now() - started;
  assert.equal(response.statusCode, 200, response.body);
  return { result: response.json(), elapsed };
}

/** The request is kept, reads back as it answered, and its handoff is in the audit log. */
async function assertKept(app: TestApp, result: Record<string, unknown>, action: string) {
  const id = result.support_request_id as number;
  const [row] = await app.db.select().from(supportRequests).where(eq(supportRequests.id, id));
  assert.equal(row?.handoffOutcome, result.handoff_outcome);
  assert.equal(row?.failureSummary, result.failure_summary);
  assert.equal(row?.externalTicketReference, result.external_ticket_reference);
  const events = await auditEventsOf(app.db, id);
  assert.deepEqual(
    events.map((event) => event.action),
    ['support_request.submitted', action],
  );
}

function assertFailed(result: Record<string, unknown>, pattern?: RegExp) {
  assert.equal(result.handoff_outcome, 'external_handoff_failed');
  assert.equal(result.external_ticket_reference, null);
  assert.equal(result.external_ticket_url, null);
  const summary = result.failure_summary;
  assert.equal(typeof summary, 'string');
  assert.ok((summary as string).length > 0);
  assert.ok(!(summary as string).includes(SECRET) && !(summary as string).includes(TOKEN), String(summary));
  if (pattern) assert.match(summary as string, pattern);
  const latest = result.latest_summary as Record<string, unknown>;
  assert.equal(latest.has_failure, true);
  assert.equal(latest.external_handoff_failure_summary, summary);
}

describe('a desk that answers', () => {
  test('201 with reference and URL: created, exact webhook payload, signed, one call only', async () => {
    desk.respondWith(answer.json(201, { reference: 'HOOK-17', url: 'https://desk.example/agent/17' }));
    desk.requests.length = 0;
    const { result } = await submitCreate(t, operator, runSubmitUrl(run.id), { severity: 'blocking' });
    assert.equal(result.handoff_outcome, 'external_ticket_created', result.failure_summary);
    assert.equal(result.external_ticket_reference, 'HOOK-17');
    assert.equal(result.external_ticket_url, 'https://desk.example/agent/17');
    assert.equal(result.failure_summary, null);
    assert.equal(result.latest_summary.has_external_link, true);
    await assertKept(t, result, 'support_request.handoff_completed');
    assert.equal(desk.requests.length, 1);
    const sent = desk.requests[0];
    assert.equal(sent?.path, '/hooks/tenantpilot');
    assert.equal(sent?.headers['idempotency-key'], result.internal_reference);
    assert.match(String(sent?.headers['x-tenantpilot-signature']), /^sha256=[0-9a-f]{64}$/);
    const payload = sent?.json() as ReturnType<typeof webhookPayload>;
    assert.equal(payload.internal_reference, result.internal_reference);
    assert.equal(payload.severity, 'blocking');
    assert.equal(
      payload.link,
      `${PUBLIC_URL}/admin/t/${tenant.externalId}/support-requests/${result.support_request_id}`,
    );
    assert.deepEqual(payload.context.tenant, {
      id: tenant.id,
      external_id: tenant.externalId,
      name: tenant.name,
    });
    assert.deepEqual(payload.context.operation_run, {
      id: run.id,
      type: 'sync',
      status: 'completed',
      outcome: 'failed',
    });
    assert.equal(payload.context.type, 'operation_run');
    assert.equal(payload.context.workspace.name, 'Acme MSP');
    assert.equal(payload.submitted_by.display_name, 'Olive Operator');
    assert.deepEqual(payload.contact, { name: 'Dana Operator', email: 'dana@example.test' });
  });

  test('a reference without a URL is a success with a null URL', async () => {
    desk.respondWith(answer.json(200, { reference: 'HOOK-18' }));
    const { result } = await submitCreate(t, operator, tenantSubmitUrl(tenant.externalId));
    assert.equal(result.handoff_outcome, 'external_ticket_created', result.failure_summary);
    assert.equal(result.external_ticket_reference, 'HOOK-18');
    assert.equal(result.external_ticket_url, null);
    assert.equal(result.primary_context_type, 'tenant');
    await assertKept(t, result, 'support_request.handoff_completed');
  });

  test('internal_only and link_existing_ticket never call the configured desk', async () => {
    desk.requests.length = 0;
    for (const body of [
      validBody(),
      validBody({ handoff_mode: 'link_existing_ticket', external_ticket_reference: 'X-1' }),
    ]) {
      for (const url of [tenantSubmitUrl(tenant.externalId), runSubmitUrl(run.id)]) {
        const response = await request(t.app, operator, { method: 'POST', url, payload: body });
        assert.equal(response.statusCode, 200);
      }
    }
    assert.equal(desk.requests.length, 0);
  });

  test('GET /admin/support-desk offers the configured desk', async () => {
    const response = await request(t.app, operator, { method: 'GET', url: '/admin/support-desk' });
    const view = response.json();
    assert.equal(view.target_available, true);
    assert.equal(view.provider, 'webhook');
    assert.equal(typeof view.display_name, 'string');
    assert.ok(
      !response.body.includes(SECRET) && !response.body.includes(TOKEN) && !response.body.includes(desk.url),
    );
  });
});

/** [name, the desk's behaviour, whether the call can only end by the budget running out]. */
const faults: [string, () => DeskBehaviour, boolean?][] = [
  ['2xx without a reference', () => answer.json(201, { id: 5 })],
  ['400 validation error', () => answer.json(400, { error: 'summary too short' })],
  ['401 bad credentials', () => answer.json(401, { error: `bad signature for ${SECRET}` })],
  ['404 wrong URL', () => answer.text(404, 'Not Found')],
  ['422 refused', () => answer.json(422, { message: `token ${TOKEN} cannot create` })],
  ['429 rate limited', () => answer.json(429, { error: 'slow down' }, { 'retry-after': '30' })],
  ['500 server error', () => answer.text(500, '<html>Internal Server Error</html>')],
  ['503 unavailable', () => answer.json(503, { error: 'maintenance' })],
  ['hang', () => answer.hang(), true],
  ['headers, then a slow body', () => answer.slowBody(201, 50), true],
  ['garbage body', () => answer.text(201, 'this is { not json')],
  ['redirect (never followed)', () => answer.redirect(`${redirectTarget.url}/elsewhere`)],
  ['oversized body (chunked)', () => answer.oversized()],
  ['oversized body (declared length)', () => answer.oversized(1.5 * 1024 * 1024, true)],
  ['socket closed without an answer', () => answer.closeSocket()],
  [
    'answers after the budget',
    () => answer.delayed(BUDGET_MS + 400, answer.json(201, { reference: 'LATE-1' })),
    true,
  ],
];

describe('a desk that fails: 200, external_handoff_failed, the request kept, one call, bounded time', () => {
  for (const [name, behaviour, endsByBudget] of faults) {
    test(name, async () => {
      desk.respondWith(behaviour());
      desk.requests.length = 0;
      redirectTarget.requests.length = 0;
      const { result, elapsed } = await submitCreate(t, operator, tenantSubmitUrl(tenant.externalId));
      assertFailed(result);
      await assertKept(t, result, 'support_request.handoff_failed');
      assert.ok(elapsed < BUDGET_MS + SLACK_MS, `${name} took ${elapsed} ms`);
      if (endsByBudget) assert.ok(elapsed >= BUDGET_MS * 0.9, `${name} ended early: ${elapsed} ms`);
      assert.equal(desk.requests.length, 1, 'no retry');
      assert.equal(redirectTarget.requests.length, 0, 'redirect not followed');
    });
  }
});

describe('a desk that cannot be reached', () => {
  for (const [name, url] of [
    ['connection refused', refusedUrl],
    ['unknown host', async () => UNKNOWN_HOST_URL],
  ] as const) {
    test(name, async () => {
      const app = await startTestApp(deskEnv(await url()));
      try {
        const world = await seed(app);
        const { result, elapsed } = await submitCreate(app, world.operator, runSubmitUrl(world.run.id));
        assertFailed(result);
        await assertKept(app, result, 'support_request.handoff_failed');
        assert.ok(elapsed < BUDGET_MS + SLACK_MS, `${name} took ${elapsed} ms`);
      } finally {
        await app.close();
      }
    });
  }

  test('a provider without a URL is not offered, and a submission fails without a call', async () => {
    const app = await startTestApp({ SUPPORT_DESK_PROVIDER: 'webhook', SUPPORT_DESK_SECRET: SECRET });
    try {
      const world = await seed(app);
      const view = (
        await request(app.app, world.operator, { method: 'GET', url: '/admin/support-desk' })
      ).json();
      assert.equal(view.target_available, false);
      assert.equal(view.provider, 'webhook');
      const { result } = await submitCreate(app, world.operator, tenantSubmitUrl(world.tenant.externalId));
      assertFailed(result);
    } finally {
      await app.close();
    }
  });
});
