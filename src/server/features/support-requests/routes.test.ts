import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  auditEventsOf,
  runSubmitUrl,
  tenantSubmitUrl,
  validBody,
} from '../../../../test/helpers/support-requests.ts';
import { queryRows } from '../../db/client.ts';
import { NO_DESK_SUMMARY } from './rules.ts';
import { supportRequests } from './tables.ts';

let t: TestApp;
let operator: Credential;
let tenant: make.Tenant;
let run: make.Run;
let quietRun: make.Run;

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  run = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id, outcome: 'failed' });
  quietRun = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id });
  const user = await make.createUser(t.db, { displayName: 'Dana Operator' });
  await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
  operator = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
});

after(() => t.close());

async function submit(url: string, body: Record<string, unknown>) {
  const response = await request(t.app, operator, { method: 'POST', url, payload: body });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}
const get = (url: string) => request(t.app, operator, { method: 'GET', url });
const storedRow = async (id: number) =>
  (await t.db.select().from(supportRequests).where(eq(supportRequests.id, id)))[0];

describe('each handoff mode and its outcome', () => {
  test('internal_only: committed with an SR reference, no link, audit event written', async () => {
    const result = await submit(tenantSubmitUrl(tenant.externalId), validBody());
    assert.match(result.internal_reference, /^SR-\d{4}-\d{6,}$/);
    assert.equal(result.handoff_outcome, 'internal_only');
    assert.equal(result.primary_context_type, 'tenant');
    assert.equal(result.primary_context_id, tenant.id);
    assert.equal(result.external_ticket_reference, null);
    assert.equal(result.external_ticket_url, null);
    assert.equal(result.failure_summary, null);
    assert.equal(result.latest_summary.internal_reference, result.internal_reference);
    const row = await storedRow(result.support_request_id);
    assert.equal(row?.internalReference, result.internal_reference);
    assert.equal(row?.handoffDeadlineAt, null);
    const events = await auditEventsOf(t.db, result.support_request_id);
    assert.deepEqual(
      events.map((event) => event.action),
      ['support_request.submitted'],
    );
    assert.equal(
      (events[0]?.after as { handoffOutcome?: string } | undefined)?.handoffOutcome,
      'internal_only',
    );
    assert.equal(events[0]?.tenantId, tenant.id);
  });

  test('link_existing_ticket: reference and URL stored exactly as given', async () => {
    const reference = '  INC-42 / "Café" <b>  ';
    const url = 'https://desk.example/a/tickets/42?view=full#top';
    const result = await submit(
      tenantSubmitUrl(tenant.externalId),
      validBody({
        handoff_mode: 'link_existing_ticket',
        external_ticket_reference: reference,
        external_ticket_url: url,
      }),
    );
    assert.equal(result.handoff_outcome, 'external_ticket_linked');
    assert.equal(result.external_ticket_reference, reference);
    assert.equal(result.external_ticket_url, url);
    assert.equal(result.latest_summary.has_external_link, true);
    assert.equal(result.latest_summary.has_failure, false);
    const row = await storedRow(result.support_request_id);
    assert.equal(row?.externalTicketReference, reference);
    assert.equal(row?.externalTicketUrl, url);
  });

  test('link_existing_ticket without a URL stores the reference and a null URL', async () => {
    const result = await submit(
      tenantSubmitUrl(tenant.externalId),
      validBody({
        handoff_mode: 'link_existing_ticket',
        external_ticket_reference: 'JSM-7',
        external_ticket_url: null,
      }),
    );
    assert.equal(result.handoff_outcome, 'external_ticket_linked');
    assert.equal(result.external_ticket_url, null);
  });

  test('create_external_ticket with no desk configured fails the handoff, keeps the request, audits both', async () => {
    const result = await submit(
      tenantSubmitUrl(tenant.externalId),
      validBody({ handoff_mode: 'create_external_ticket', target_available: true }),
    );
    assert.equal(result.handoff_outcome, 'external_handoff_failed');
    assert.equal(result.failure_summary, NO_DESK_SUMMARY);
    assert.equal(result.external_ticket_reference, null);
    assert.equal(result.latest_summary.has_failure, true);
    assert.equal(result.latest_summary.external_handoff_failure_summary, NO_DESK_SUMMARY);
    const row = await storedRow(result.support_request_id);
    assert.equal(row?.handoffOutcome, 'external_handoff_failed');
    assert.ok(row?.handoffDeadlineAt instanceof Date);
    const events = await auditEventsOf(t.db, result.support_request_id);
    assert.deepEqual(
      events.map((event) => event.action),
      ['support_request.submitted', 'support_request.handoff_failed'],
    );
    assert.equal((events[0]?.after as { handoffOutcome?: unknown } | undefined)?.handoffOutcome, null);
    assert.deepEqual(events[1]?.before, {
      handoffOutcome: null,
      externalTicketReference: null,
      externalTicketUrl: null,
      failureSummary: null,
    });
    assert.deepEqual(events[1]?.after, {
      handoffOutcome: 'external_handoff_failed',
      externalTicketReference: null,
      externalTicketUrl: null,
      failureSummary: NO_DESK_SUMMARY,
    });
  });

  test('target_available from the client is ignored', async () => {
    const linked = await submit(
      tenantSubmitUrl(tenant.externalId),
      validBody({
        handoff_mode: 'link_existing_ticket',
        external_ticket_reference: 'A-1',
        target_available: false,
      }),
    );
    assert.equal(linked.handoff_outcome, 'external_ticket_linked');
    const internal = await submit(tenantSubmitUrl(tenant.externalId), validBody({ target_available: null }));
    assert.equal(internal.handoff_outcome, 'internal_only');
  });
});

describe('run context', () => {
  test('every mode leaves the run byte-identical and creates no run', async () => {
    const snapshot = async () =>
      JSON.stringify(await queryRows(t.db, sql`select * from operation_runs order by id`));
    const before = await snapshot();
    for (const body of [
      validBody(),
      validBody({ handoff_mode: 'link_existing_ticket', external_ticket_reference: 'INC-9' }),
      validBody({ handoff_mode: 'create_external_ticket' }),
    ]) {
      const result = await submit(runSubmitUrl(run.id), body);
      assert.equal(result.primary_context_type, 'operation_run');
      assert.equal(result.primary_context_id, run.id);
      assert.equal(result.latest_summary.support_request_id, result.support_request_id);
    }
    assert.equal(await snapshot(), before);
  });

  test('the detail of a run-context request names its run', async () => {
    const result = await submit(runSubmitUrl(run.id), validBody());
    const detail = (
      await get(`/admin/t/${tenant.externalId}/support-requests/${result.support_request_id}`)
    ).json();
    assert.deepEqual(detail.operation_run, {
      id: run.id,
      type: run.type,
      status: run.status,
      outcome: 'failed',
    });
    assert.equal(detail.primary_context_id, run.id);
  });
});

describe('latest_summary per primary context', () => {
  test('the tenant counts tenant-context requests only; a run, that run only', async () => {
    const workspace = await make.createWorkspace(t.db);
    const fresh = await make.createTenant(t.db, { workspaceId: workspace.id });
    const runA = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: fresh.id });
    const runB = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: fresh.id });
    const user = await make.createUser(t.db);
    await make.addTenantMember(t.db, { tenant: fresh, userId: user.id, role: 'manager' });
    const previous = operator;
    operator = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
    try {
      assert.equal((await get(`/admin/t/${fresh.externalId}/support-requests/latest`)).json(), null);
      const tenantOne = await submit(tenantSubmitUrl(fresh.externalId), validBody({ summary: 'tenant one' }));
      const onRunA = await submit(runSubmitUrl(runA.id), validBody({ summary: 'run A' }));
      assert.equal(onRunA.latest_summary.internal_reference, onRunA.internal_reference);
      const tenantLatest = (await get(`/admin/t/${fresh.externalId}/support-requests/latest`)).json();
      assert.equal(tenantLatest.internal_reference, tenantOne.internal_reference);
      assert.equal(tenantLatest.summary, 'tenant one');
      const runALatest = (await get(`/admin/operations/${runA.id}/support-requests/latest`)).json();
      assert.equal(runALatest.internal_reference, onRunA.internal_reference);
      assert.equal(runALatest.primary_context_id, runA.id);
      assert.equal((await get(`/admin/operations/${runB.id}/support-requests/latest`)).json(), null);
      const tenantTwo = await submit(tenantSubmitUrl(fresh.externalId), validBody({ summary: 'tenant two' }));
      assert.equal(tenantTwo.latest_summary.internal_reference, tenantTwo.internal_reference);
      const runAAgain = (await get(`/admin/operations/${runA.id}/support-requests/latest`)).json();
      assert.equal(runAAgain.internal_reference, onRunA.internal_reference);
    } finally {
      operator = previous;
    }
  });
});

describe('text within the limits is stored and returned exactly', () => {
  test('emoji, quotes, markup, SQL-like text and the longest allowed values', async () => {
    const texts = {
      summary: '🔥'.repeat(200),
      reproduction_notes: `'; DROP TABLE support_requests; -- <script>alert("x")</script> \\ %s ${'é'.repeat(9000)}`,
      contact_name: `O'Brien "Ops" <b>&amp;</b> 🧑‍🔧`,
      contact_email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.test`,
    };
    assert.equal(texts.contact_email.length, 254);
    const result = await submit(runSubmitUrl(quietRun.id), validBody(texts));
    const detail = (
      await get(`/admin/t/${tenant.externalId}/support-requests/${result.support_request_id}`)
    ).json();
    const row = await storedRow(result.support_request_id);
    for (const [field, value] of Object.entries(texts)) assert.equal(detail[field], value, field);
    assert.equal(row?.summary, texts.summary);
    assert.equal(row?.reproductionNotes, texts.reproduction_notes);
    assert.equal(result.latest_summary.summary, texts.summary);
  });
});

describe('references', () => {
  test('concurrent submissions each get their own SR reference', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        submit(tenantSubmitUrl(tenant.externalId), validBody({ summary: `parallel ${i}` })),
      ),
    );
    const references = new Set(results.map((result) => result.internal_reference));
    assert.equal(references.size, 12);
    for (const result of results) {
      assert.equal(
        result.internal_reference,
        `SR-${new Date().getUTCFullYear()}-${String(result.support_request_id).padStart(6, '0')}`,
      );
    }
  });

  test('past SR-…-999999 the id keeps all its digits; the audit event names the same id and reference', async () => {
    await queryRows(t.db, sql`select setval(pg_get_serial_sequence('support_requests', 'id'), 12345677)`);
    const result = await submit(tenantSubmitUrl(tenant.externalId), validBody({ summary: 'eight digits' }));
    assert.equal(result.support_request_id, 12345678);
    assert.equal(result.internal_reference, `SR-${new Date().getUTCFullYear()}-12345678`);
    assert.equal((await storedRow(12345678))?.internalReference, result.internal_reference);
    const [event] = await auditEventsOf(t.db, 12345678);
    const after = event?.after as { id?: number; internalReference?: string; summary?: string };
    assert.deepEqual(
      { id: after.id, internalReference: after.internalReference, summary: after.summary },
      { id: 12345678, internalReference: result.internal_reference, summary: 'eight digits' },
    );
  });
});
