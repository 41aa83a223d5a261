import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  describeDeskFaults,
  deskConfig,
  expectFailure,
  lastBody,
  lastRequest,
  PLANTED_SECRET,
  ticketRequest,
} from '../../../test/helpers/desk-kit.ts';
import { answer, type FakeDesk, startFakeDesk } from '../../../test/helpers/fake-desk.ts';
import { createSupportDesk } from './index.ts';

/** Freshdesk's 201 to POST /api/v2/tickets (abridged from the API v2 reference). */
function createdTicket(id: number) {
  return {
    id,
    subject: '[SR-20261123-ABC123] Sync fails',
    description: '<div>…</div>',
    description_text: '…',
    priority: 3,
    status: 2,
    source: 2,
    requester_id: 43000123456,
    responder_id: null,
    tags: ['tenantpilot', 'SR-20261123-ABC123'],
    created_at: '2026-11-23T01:02:04Z',
    updated_at: '2026-11-23T01:02:04Z',
  };
}

type FreshdeskBody = Record<string, unknown> & { description: string };

describe('freshdesk desk', () => {
  let fake: FakeDesk;
  before(async () => {
    fake = await startFakeDesk();
  });
  after(() => fake.close());

  test('POST /api/v2/tickets: Basic {api_token}:X, contact as requester, priority, status, tags, HTML body', async () => {
    fake.respondWith(answer.json(201, createdTicket(42)));
    const result = await createSupportDesk(deskConfig('freshdesk', fake.url)).createTicket(ticketRequest());
    assert.deepEqual(result, { kind: 'created', reference: '#42', url: `${fake.url}/a/tickets/42` });

    const sent = lastRequest(fake);
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/api/v2/tickets');
    assert.equal(
      sent.headers.authorization,
      `Basic ${Buffer.from(`${PLANTED_SECRET}:X`).toString('base64')}`,
    );
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(sent.headers['idempotency-key'], undefined);
    const body = lastBody<FreshdeskBody>(fake);
    assert.deepEqual(Object.keys(body).sort(), [
      'company_id',
      'description',
      'email',
      'name',
      'priority',
      'source',
      'status',
      'subject',
      'tags',
    ]);
    assert.equal(body.subject, '[SR-20261123-ABC123] Sync fails with <b>"quotes"</b> & emoji 🚀');
    assert.equal(body.email, 'dana@example.com');
    assert.equal(body.company_id, 314, "the tenant's desk customer is the Freshdesk company");
    assert.equal(body.name, 'Dana Contact');
    assert.equal(body.priority, 3);
    assert.equal(body.status, 2);
    assert.equal(body.source, 2);
    assert.deepEqual(body.tags, ['tenantpilot', 'SR-20261123-ABC123']);
    // The reporter's markup is shown as text, never rendered as HTML in the desk.
    assert.ok(
      body.description.includes('Sync fails with &lt;b&gt;&quot;quotes&quot;&lt;/b&gt; &amp; emoji 🚀'),
    );
    assert.ok(!body.description.includes('<b>'));
    assert.ok(body.description.includes('Run the sync.<br>It fails on step 2.'));
    for (const expected of [
      'TenantPilot support request SR-20261123-ABC123',
      'Tenant: Contoso (external id contoso-prod, id 11)',
      'Operation run: #42 inventory_sync — status completed, outcome failed',
      'Run summary: 3 of 10 devices failed',
      'Open in TenantPilot: https://tenantpilot.example.com/admin/t/11/support-requests/99',
    ]) {
      assert.ok(body.description.includes(expected), `description lacks ${expected}`);
    }
  });

  for (const [severity, priority] of [
    ['low', 1],
    ['normal', 2],
    ['high', 3],
    ['blocking', 4],
  ] as const) {
    test(`severity ${severity} → priority ${priority}`, async () => {
      fake.respondWith(answer.json(201, createdTicket(1)));
      await createSupportDesk(deskConfig('freshdesk', fake.url)).createTicket(ticketRequest({ severity }));
      assert.equal(lastBody<FreshdeskBody>(fake).priority, priority);
    });
  }

  test('no contact email: SUPPORT_DESK_EMAIL is the requester, without the contact name', async () => {
    fake.respondWith(answer.json(201, createdTicket(43)));
    const request = ticketRequest({ contact: { name: 'Only A Name', email: null } });
    await createSupportDesk(deskConfig('freshdesk', fake.url)).createTicket(request);
    const body = lastBody<FreshdeskBody>(fake);
    assert.equal(body.email, 'agent@example.com');
    assert.equal('name' in body, false);
  });

  test('no contact email and no SUPPORT_DESK_EMAIL: fails clearly without a call', async () => {
    const before = fake.requests.length;
    const desk = createSupportDesk(deskConfig('freshdesk', fake.url, { email: null }));
    const summary = await expectFailure(desk, ticketRequest({ contact: { name: null, email: null } }));
    assert.match(summary, /needs a requester email.*SUPPORT_DESK_EMAIL/);
    assert.equal(fake.requests.length, before);
  });

  test('no API token: fails without a call', async () => {
    const before = fake.requests.length;
    const summary = await expectFailure(
      createSupportDesk(deskConfig('freshdesk', fake.url, { apiToken: null })),
    );
    assert.match(summary, /needs SUPPORT_DESK_API_TOKEN/);
    assert.equal(fake.requests.length, before);
  });

  test("a 400 lists Freshdesk's field errors", async () => {
    fake.respondWith(
      answer.json(400, {
        description: 'Validation failed',
        errors: [
          { field: 'email', message: 'It should be a valid email address', code: 'invalid_value' },
          { field: 'priority', message: 'It should be one of these values: 1,2,3,4', code: 'invalid_value' },
        ],
      }),
    );
    assert.equal(
      await expectFailure(createSupportDesk(deskConfig('freshdesk', fake.url))),
      'Freshdesk refused the ticket as invalid (HTTP 400): Validation failed; email: It should be a valid email address; priority: It should be one of these values: 1,2,3,4',
    );
  });

  test('Freshdesk 401 as it answers it', async () => {
    fake.respondWith(
      answer.json(401, {
        code: 'invalid_credentials',
        message: 'You have to be logged in to perform this action.',
      }),
    );
    assert.equal(
      await expectFailure(createSupportDesk(deskConfig('freshdesk', fake.url))),
      'Freshdesk rejected the credentials (HTTP 401) — check SUPPORT_DESK_API_TOKEN.',
    );
  });

  test('check: GET /api/v2/agents/me names the agent', async () => {
    fake.respondWith(
      answer.json(200, {
        id: 43000123,
        available: true,
        type: 'support_agent',
        contact: { active: true, email: 'agent@example.com', name: 'Agent A' },
      }),
    );
    const result = await createSupportDesk(deskConfig('freshdesk', fake.url)).check();
    assert.deepEqual(result, { ok: true, detail: 'credentials accepted (signed in as agent@example.com)' });
    assert.equal(lastRequest(fake).method, 'GET');
    assert.equal(lastRequest(fake).path, '/api/v2/agents/me');
  });

  test('check: OK but warns when requests without a contact email cannot become tickets', async () => {
    fake.respondWith(answer.json(200, { id: 1, contact: { email: 'agent@example.com' } }));
    const result = await createSupportDesk(deskConfig('freshdesk', fake.url, { email: null })).check();
    assert.equal(result.ok, true);
    assert.match((result as { detail: string }).detail, /without SUPPORT_DESK_EMAIL/);
  });
});

describe('freshdesk desk: desk customer and finding a ticket', () => {
  let fake: FakeDesk;
  before(async () => {
    fake = await startFakeDesk();
  });
  after(() => fake.close());

  test('no desk customer: no company_id (never a default); one that is not a number: no call', async () => {
    fake.respondWith(answer.json(201, createdTicket(43)));
    const desk = createSupportDesk(deskConfig('freshdesk', fake.url));
    await desk.createTicket(ticketRequest({ deskCustomerId: null }));
    assert.equal('company_id' in lastBody<FreshdeskBody>(fake), false);
    assert.equal(desk.requiresCustomer, false);
    const before = fake.requests.length;
    assert.match(
      await expectFailure(desk, ticketRequest({ deskCustomerId: 'Contoso' })),
      /company id \(a number\)/,
    );
    assert.equal(fake.requests.length, before);
  });

  test('findTicket: searches the SR reference tag; found, not found, failed', async () => {
    const desk = createSupportDesk(deskConfig('freshdesk', fake.url));
    fake.respondWith(answer.json(200, { results: [{ id: 77, subject: '[SR-1] x' }], total: 1 }));
    assert.deepEqual(await desk.findTicket?.('SR-20261123-ABC123'), {
      kind: 'found',
      reference: '#77',
      url: `${fake.url}/a/tickets/77`,
    });
    assert.equal(
      decodeURIComponent(lastRequest(fake).path),
      `/api/v2/search/tickets?query="tag:'SR-20261123-ABC123'"`,
    );
    fake.respondWith(answer.json(200, { results: [], total: 0 }));
    assert.deepEqual(await desk.findTicket?.('SR-20261123-ABC123'), { kind: 'not_found' });
    fake.respondWith(answer.json(500, { message: 'down' }));
    assert.equal((await desk.findTicket?.('SR-20261123-ABC123'))?.kind, 'failed');
  });
});

describeDeskFaults({
  provider: 'freshdesk',
  name: 'Freshdesk',
  errorBody: (status, text) =>
    status === 400 || status === 422
      ? {
          description: 'Validation failed',
          errors: [{ field: 'email', message: text, code: 'invalid_value' }],
        }
      : { code: 'error', message: text },
});
