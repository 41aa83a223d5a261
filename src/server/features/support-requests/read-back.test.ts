import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NOT_FOUND } from '../../../../test/helpers/actors.ts';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { runSubmitUrl, tenantSubmitUrl, validBody } from '../../../../test/helpers/support-requests.ts';
import { interruptedSummary } from './rules.ts';
import { supportRequests } from './tables.ts';

let t: TestApp;
let reader: Credential;
let operator: Credential;
let tenant: make.Tenant;
let sibling: make.Tenant;
let run: make.Run;
let userId = 0;
const submittedIds: number[] = [];
let siblingRequestId = 0;

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  sibling = await make.createTenant(t.db, { workspaceId: workspace.id });
  run = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id });
  const user = await make.createUser(t.db);
  userId = user.id;
  await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
  await make.addTenantMember(t.db, { tenant: sibling, userId: user.id, role: 'operator' });
  operator = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  const readonly = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant, userId: readonly.id, role: 'readonly' });
  reader = { bearer: await make.createApiToken(t.db, { userId: readonly.id }) };
  for (let i = 0; i < 7; i++) {
    const url = i % 2 ? runSubmitUrl(run.id) : tenantSubmitUrl(tenant.externalId);
    const response = await request(t.app, operator, {
      method: 'POST',
      url,
      payload: validBody({ summary: `request ${i}` }),
    });
    submittedIds.push(response.json().support_request_id);
  }
  const other = await request(t.app, operator, {
    method: 'POST',
    url: tenantSubmitUrl(sibling.externalId),
    payload: validBody(),
  });
  siblingRequestId = other.json().support_request_id;
});

after(() => t.close());

const get = (url: string, credential = reader) => request(t.app, credential, { method: 'GET', url });
const listUrl = () => `/admin/t/${tenant.externalId}/support-requests`;

describe('GET /admin/t/{tenant}/support-requests', () => {
  test('pages through both contexts newest first, each request once, none of another tenant', async () => {
    const seen: { support_request_id: number; primary_context_type: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await get(`${listUrl()}?limit=3${suffix}`);
      assert.equal(response.statusCode, 200, response.body);
      const page = response.json();
      assert.ok(page.items.length <= 3);
      seen.push(...page.items);
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen.map((item) => item.support_request_id),
      [...submittedIds].reverse(),
    );
    assert.deepEqual(
      new Set(seen.map((item) => item.primary_context_type)),
      new Set(['tenant', 'operation_run']),
    );
    assert.ok(!seen.some((item) => item.support_request_id === siblingRequestId));
  });

  test('defaults to 50 a page; limit outside 1–200 or a bad cursor is 422', async () => {
    const page = (await get(listUrl())).json();
    assert.equal(page.items.length, 7);
    assert.equal(page.next_cursor, null);
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=x', 'limit'],
      ['cursor=nope', 'cursor'],
    ] as const) {
      const response = await get(`${listUrl()}?${query}`);
      assert.equal(response.statusCode, 422, query);
      assert.ok(response.json().error.fields[field], response.body);
    }
  });
});

describe('GET /admin/t/{tenant}/support-requests/{id}', () => {
  test('answers every stored field with the contract names', async () => {
    const id = submittedIds[1] ?? 0;
    const response = await get(`${listUrl()}/${id}`);
    assert.equal(response.statusCode, 200);
    const detail = response.json();
    assert.deepEqual(Object.keys(detail).sort(), [
      'attempts',
      'available_actions',
      'contact_email',
      'contact_name',
      'external_ticket_reference',
      'external_ticket_url',
      'failure_summary',
      'handoff_mode',
      'handoff_outcome',
      'internal_reference',
      'operation_run',
      'primary_context_id',
      'primary_context_type',
      'reproduction_notes',
      'severity',
      'submitted_at',
      'submitted_by',
      'summary',
      'support_request_id',
    ]);
    assert.equal(detail.support_request_id, id);
    assert.equal(detail.summary, 'request 1');
    assert.equal(detail.primary_context_type, 'operation_run');
    assert.equal(detail.submitted_by.id, userId);
    assert.equal(detail.contact_email, 'dana@example.test');
    assert.ok(!Number.isNaN(Date.parse(detail.submitted_at)));
  });

  test("another tenant's request, unknown and malformed ids answer the same 404", async () => {
    for (const id of [String(siblingRequestId), '999999', 'abc', '-1', '0', '1.5', '12345678901234567890']) {
      const response = await get(`${listUrl()}/${id}`, operator);
      assert.equal(response.statusCode, 404, id);
      assert.deepEqual(response.json(), NOT_FOUND);
    }
  });
});

describe('a handoff whose process stopped', () => {
  async function insertInFlight(deadline: Date, context: 'tenant' | 'operation_run') {
    const submittedAt = new Date(deadline.getTime() - 7000);
    const reference = `SR-TEST-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
    const [row] = await t.db
      .insert(supportRequests)
      .values({
        internalReference: reference,
        workspaceId: tenant.workspaceId,
        tenantId: tenant.id,
        primaryContextType: context,
        operationRunId: context === 'operation_run' ? run.id : null,
        severity: 'high',
        summary: 'Interrupted',
        submittedByUserId: userId,
        submittedAt,
        handoffMode: 'create_external_ticket',
        handoffOutcome: null,
        handoffDeadlineAt: deadline,
      })
      .returning();
    return { id: row?.id ?? 0, reference };
  }

  test('reads back as failed ("handoff interrupted") everywhere once its deadline has passed', async () => {
    const { id, reference } = await insertInFlight(new Date(Date.now() - 1000), 'operation_run');
    const expected = interruptedSummary(reference);
    const detail = (await get(`${listUrl()}/${id}`)).json();
    assert.equal(detail.handoff_outcome, 'external_handoff_failed');
    assert.equal(detail.failure_summary, expected);
    assert.match(expected, new RegExp(`search it for ${reference}`));
    const listed = (await get(listUrl()))
      .json()
      .items.find((item: { support_request_id: number }) => item.support_request_id === id);
    assert.equal(listed.handoff_outcome, 'external_handoff_failed');
    assert.equal(listed.failure_summary, expected);
    const latest = (await get(`/admin/operations/${run.id}/support-requests/latest`)).json();
    assert.equal(latest.support_request_id, id);
    assert.equal(latest.handoff_outcome, 'external_handoff_failed');
    assert.equal(latest.external_handoff_failure_summary, expected);
    assert.equal(latest.has_failure, true);
    assert.equal(latest.has_external_link, false);
  });

  test('reads back as in progress (outcome null) while the deadline is ahead', async () => {
    const { id } = await insertInFlight(new Date(Date.now() + 60_000), 'tenant');
    const detail = (await get(`${listUrl()}/${id}`)).json();
    assert.equal(detail.handoff_outcome, null);
    assert.equal(detail.failure_summary, null);
    const latest = (await get(`${listUrl()}/latest`)).json();
    assert.equal(latest.support_request_id, id);
    assert.equal(latest.handoff_outcome, null);
    assert.equal(latest.has_failure, false);
  });
});

describe('GET /admin/support-desk and the API description', () => {
  test('no desk configured: not available, no provider', async () => {
    const response = await get('/admin/support-desk');
    assert.deepEqual(response.json(), { target_available: false, provider: null, display_name: null });
    assert.equal((await request(t.app, null, { method: 'GET', url: '/admin/support-desk' })).statusCode, 401);
  });

  test('/openapi.json documents every support-request route with its answer', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const [path, method] of [
      ['/admin/t/{tenant}/support-requests/actions/submit', 'post'],
      ['/admin/operations/{run}/support-requests/actions/submit', 'post'],
      ['/admin/t/{tenant}/support-requests', 'get'],
      ['/admin/t/{tenant}/support-requests/{id}', 'get'],
      ['/admin/t/{tenant}/support-requests/latest', 'get'],
      ['/admin/operations/{run}/support-requests/latest', 'get'],
      ['/admin/support-desk', 'get'],
    ] as const) {
      const operation = spec.paths[path]?.[method];
      assert.ok(operation?.responses?.['200'], `${method} ${path}`);
    }
    const submit = spec.paths['/admin/t/{tenant}/support-requests/actions/submit'].post;
    const body = submit.requestBody.content['application/json'].schema;
    assert.equal(body.additionalProperties, false);
    assert.deepEqual(body.required.sort(), ['handoff_mode', 'severity', 'summary']);
  });
});
