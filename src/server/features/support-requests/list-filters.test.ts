import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { runSubmitUrl, tenantSubmitUrl, validBody } from '../../../../test/helpers/support-requests.ts';
import { supportRequests } from './tables.ts';

/**
 * docs/rules.md "Support requests": the list filters by outcome (as it reads back), context (the tenant, or
 * one given run) and severity, each alone and together, paged newest first like every list.
 */
let t: TestApp;
let operator: Credential;
let tenant: make.Tenant;
let runA: make.Run;
let runB: make.Run;
let otherTenantRun: make.Run;
const made: { id: number; context: string; run: number | null; severity: string; outcome: string }[] = [];

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  const other = await make.createTenant(t.db, { workspaceId: workspace.id });
  runA = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id });
  runB = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id });
  otherTenantRun = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: other.id });
  const user = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
  await make.addTenantMember(t.db, { tenant: other, userId: user.id, role: 'operator' });
  operator = { bearer: await make.createApiToken(t.db, { userId: user.id }) };

  const plan: [string, string, string][] = [
    // [where, severity, mode]: no desk is configured, so a create fails at once.
    ['tenant', 'low', 'internal_only'],
    ['A', 'high', 'create_external_ticket'],
    ['tenant', 'high', 'link_existing_ticket'],
    ['B', 'blocking', 'internal_only'],
    ['A', 'low', 'link_existing_ticket'],
    ['tenant', 'blocking', 'create_external_ticket'],
    ['A', 'high', 'internal_only'],
  ];
  for (const [where, severity, mode] of plan) {
    const run = where === 'A' ? runA : where === 'B' ? runB : null;
    const response = await request(t.app, operator, {
      method: 'POST',
      url: run ? runSubmitUrl(run.id) : tenantSubmitUrl(tenant.externalId),
      payload: validBody({
        severity,
        handoff_mode: mode,
        ...(mode === 'link_existing_ticket' ? { external_ticket_reference: 'T-1' } : {}),
      }),
    });
    assert.equal(response.statusCode, 200, response.body);
    const result = response.json();
    made.push({
      id: result.support_request_id,
      context: run ? 'operation_run' : 'tenant',
      run: run?.id ?? null,
      severity,
      outcome: result.handoff_outcome,
    });
  }
  // One of the other tenant's, about its own run: never in this tenant's list, whatever the filter.
  await request(t.app, operator, {
    method: 'POST',
    url: runSubmitUrl(otherTenantRun.id),
    payload: validBody(),
  });
});

after(() => t.close());

async function list(query: string) {
  const response = await request(t.app, operator, {
    method: 'GET',
    url: `/admin/t/${tenant.externalId}/support-requests?${query}`,
  });
  assert.equal(response.statusCode, 200, `${query}: ${response.body}`);
  return response.json() as { items: { support_request_id: number }[]; next_cursor: string | null };
}

const idsOf = (page: { items: { support_request_id: number }[] }) =>
  page.items.map((item) => item.support_request_id);
const expected = (keep: (row: (typeof made)[number]) => boolean) =>
  made
    .filter(keep)
    .map((row) => row.id)
    .reverse();

describe('GET /admin/t/{tenant}/support-requests filters', () => {
  test('each filter alone', async () => {
    assert.deepEqual(
      idsOf(await list('')),
      expected(() => true),
    );
    for (const outcome of ['internal_only', 'external_ticket_linked', 'external_handoff_failed']) {
      assert.deepEqual(
        idsOf(await list(`outcome=${outcome}`)),
        expected((r) => r.outcome === outcome),
        outcome,
      );
    }
    assert.deepEqual(idsOf(await list('outcome=external_ticket_created')), []);
    for (const severity of ['low', 'high', 'blocking', 'normal']) {
      assert.deepEqual(
        idsOf(await list(`severity=${severity}`)),
        expected((r) => r.severity === severity),
      );
    }
    assert.deepEqual(
      idsOf(await list('context=tenant')),
      expected((r) => r.context === 'tenant'),
    );
    assert.deepEqual(
      idsOf(await list('context=operation_run')),
      expected((r) => r.context === 'operation_run'),
    );
    assert.deepEqual(
      idsOf(await list(`run=${runA.id}`)),
      expected((r) => r.run === runA.id),
    );
    assert.deepEqual(
      idsOf(await list(`run=${runB.id}`)),
      expected((r) => r.run === runB.id),
    );
  });

  test('filters together, and paged', async () => {
    assert.deepEqual(
      idsOf(await list(`run=${runA.id}&severity=high`)),
      expected((r) => r.run === runA.id && r.severity === 'high'),
    );
    assert.deepEqual(
      idsOf(await list(`context=operation_run&run=${runA.id}&outcome=internal_only`)),
      expected((r) => r.run === runA.id && r.outcome === 'internal_only'),
    );
    const all = expected((r) => r.run === runA.id);
    const first = await list(`run=${runA.id}&limit=2`);
    assert.deepEqual(idsOf(first), all.slice(0, 2));
    assert.ok(first.next_cursor, 'first.next_cursor');
    const second = await list(`run=${runA.id}&limit=2&cursor=${first.next_cursor}`);
    assert.deepEqual(idsOf(second), all.slice(2));
    assert.equal(second.next_cursor, null);
  });

  test("another tenant's run, or an unknown run, lists nothing", async () => {
    assert.deepEqual(idsOf(await list(`run=${otherTenantRun.id}`)), []);
    assert.deepEqual(idsOf(await list('run=99999999')), []);
  });

  test('an interrupted handoff is listed as failed', async () => {
    const target = made.find((r) => r.outcome === 'external_handoff_failed');
    assert.ok(target, 'target');
    await t.db
      .update(supportRequests)
      .set({ handoffOutcome: null, failureSummary: null, handoffDeadlineAt: new Date(Date.now() - 1000) })
      .where(eq(supportRequests.id, target.id));
    assert.ok(
      idsOf(await list('outcome=external_handoff_failed')).includes(target.id),
      'interrupted is listed as failed',
    );
    // Still waiting (deadline ahead): not failed yet.
    await t.db
      .update(supportRequests)
      .set({ handoffDeadlineAt: new Date(Date.now() + 60_000) })
      .where(eq(supportRequests.id, target.id));
    assert.ok(
      !idsOf(await list('outcome=external_handoff_failed')).includes(target.id),
      'still waiting is not failed',
    );
  });

  test('bad filter values are 422 naming the filter', async () => {
    for (const [query, field] of [
      ['outcome=done', 'outcome'],
      ['severity=urgent', 'severity'],
      ['context=workspace', 'context'],
      ['run=abc', 'run'],
      ['run=0', 'run'],
      ['run=-3', 'run'],
      ['run=12345678901234567890', 'run'],
      [`context=tenant&run=${runA.id}`, 'run'],
    ] as const) {
      const response = await request(t.app, operator, {
        method: 'GET',
        url: `/admin/t/${tenant.externalId}/support-requests?${query}`,
      });
      assert.equal(response.statusCode, 422, `${query}: ${response.body}`);
      assert.ok(response.json().error.fields?.[field], `${query}: ${response.body}`);
    }
  });
});
