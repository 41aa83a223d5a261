import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  assertNoSecret,
  describeDeskFaults,
  deskConfig,
  expectFailure,
  PLANTED_SECRET,
  ticketRequest,
} from '../../../test/helpers/desk-kit.ts';
import { answer, type FakeDesk, startFakeDesk } from '../../../test/helpers/fake-desk.ts';
import { createSupportDesk } from './index.ts';

describe('webhook desk', () => {
  let fake: FakeDesk;
  before(async () => {
    fake = await startFakeDesk();
  });
  after(() => fake.close());

  test('POSTs exactly the payload of docs/rules.md, with Idempotency-Key and a signature of the bytes sent', async () => {
    fake.respondWith(answer.json(201, { reference: 'HOOK-77', url: 'https://desk.example.com/t/77' }));
    const url = `${fake.url}/hooks/tenantpilot?key=${PLANTED_SECRET}`;
    const result = await createSupportDesk(deskConfig('webhook', url)).createTicket(ticketRequest());
    assert.deepEqual(result, { kind: 'created', reference: 'HOOK-77', url: 'https://desk.example.com/t/77' });

    const sent = fake.requests.at(-1);
    assert.ok(sent);
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, `/hooks/tenantpilot?key=${PLANTED_SECRET}`);
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(sent.headers['idempotency-key'], 'SR-20261123-ABC123');
    const expected = createHmac('sha256', PLANTED_SECRET).update(sent.rawBody).digest('hex');
    assert.equal(sent.headers['x-tenantpilot-signature'], `sha256=${expected}`);
    assert.equal(sent.headers.authorization, undefined);
    assert.deepEqual(sent.json(), {
      internal_reference: 'SR-20261123-ABC123',
      severity: 'high',
      summary: 'Sync fails with <b>"quotes"</b> & emoji 🚀',
      reproduction_notes: 'Run the sync.\nIt fails on step 2.',
      contact: { name: 'Dana Contact', email: 'dana@example.com' },
      context: {
        type: 'operation_run',
        workspace: { id: 7, name: 'Acme MSP' },
        tenant: { id: 11, external_id: 'contoso-prod', name: 'Contoso' },
        operation_run: { id: 42, type: 'inventory_sync', status: 'completed', outcome: 'failed' },
      },
      submitted_by: { id: 5, display_name: 'Olive Operator' },
      submitted_at: '2026-11-23T01:02:03.000Z',
      link: 'https://tenantpilot.example.com/admin/t/11/support-requests/99',
    });
  });

  test('a tenant-context request sends operation_run null and null notes/contact as null', async () => {
    fake.respondWith(answer.json(200, { reference: 'HOOK-78' }));
    const request = ticketRequest({
      reproductionNotes: null,
      contact: { name: null, email: null },
      context: { ...ticketRequest().context, type: 'tenant', operationRun: null },
    });
    const result = await createSupportDesk(deskConfig('webhook', fake.url)).createTicket(request);
    assert.deepEqual(result, { kind: 'created', reference: 'HOOK-78', url: null });
    const body = fake.requests.at(-1)?.json() as {
      context: { type: string; operation_run: unknown };
      reproduction_notes: unknown;
      contact: unknown;
    };
    assert.equal(body.context.type, 'tenant');
    assert.equal(body.context.operation_run, null);
    assert.equal(body.reproduction_notes, null);
    assert.deepEqual(body.contact, { name: null, email: null });
  });

  test('no secret set: no signature header', async () => {
    fake.respondWith(answer.json(201, { reference: 'HOOK-79' }));
    await createSupportDesk(deskConfig('webhook', fake.url, { secret: null })).createTicket(ticketRequest());
    assert.equal(fake.requests.at(-1)?.headers['x-tenantpilot-signature'], undefined);
  });

  for (const url of ['/relative/77', 'javascript:alert(1)', 'ftp://desk.example.com/77', 42]) {
    test(`a url that is not absolute http(s) (${String(url)}) is stored as null`, async () => {
      fake.respondWith(answer.json(201, { reference: 'HOOK-80', url }));
      const result = await createSupportDesk(deskConfig('webhook', fake.url)).createTicket(ticketRequest());
      assert.deepEqual(result, { kind: 'created', reference: 'HOOK-80', url: null });
    });
  }

  for (const reference of ['', '   ', 77, null, 'x'.repeat(201)]) {
    test(`a 2xx with reference ${JSON.stringify(reference)?.slice(0, 20)} is a failure`, async () => {
      fake.respondWith(answer.json(200, { reference, url: 'https://desk.example.com/t/1' }));
      const summary = await expectFailure(createSupportDesk(deskConfig('webhook', fake.url)));
      assert.match(summary, /HTTP 200 .*reference/);
    });
  }

  test('the query string of the URL never reaches a summary', async () => {
    fake.respondWith(answer.json(500, { error: 'boom' }));
    const url = `${fake.url}/hook?key=${PLANTED_SECRET}`;
    const summary = await expectFailure(createSupportDesk(deskConfig('webhook', url)));
    assertNoSecret(summary);
    assert.match(summary, /had an error \(HTTP 500\): boom/);
  });

  test('check GETs the URL, creates nothing, and reports reachability and signing', async () => {
    fake.respondWith(answer.json(405, { error: 'Method Not Allowed' }));
    const before = fake.requests.length;
    const result = await createSupportDesk(deskConfig('webhook', `${fake.url}/hook`)).check();
    assert.deepEqual(result, {
      ok: true,
      detail: 'reachable (HTTP 405 to a read-only GET; tickets are sent by POST); tickets will be signed',
    });
    assert.equal(fake.requests.length, before + 1);
    assert.equal(fake.requests.at(-1)?.method, 'GET');
    assert.equal(fake.requests.at(-1)?.path, '/hook');
  });

  test('check: a 5xx is not OK', async () => {
    fake.respondWith(answer.json(502, {}));
    const result = await createSupportDesk(deskConfig('webhook', fake.url)).check();
    assert.deepEqual(result, { ok: false, summary: 'The webhook desk had an error (HTTP 502).' });
  });
});

describeDeskFaults({
  provider: 'webhook',
  name: 'The webhook desk',
  errorBody: (_status, text) => ({ error: text }),
});
