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

/** Zendesk's 201 to POST /api/v2/tickets.json (abridged from the Tickets API reference). */
function createdTicket(id: number, url: string) {
  return {
    ticket: {
      id,
      url: `${url}/api/v2/tickets/${id}.json`,
      external_id: 'SR-20261123-ABC123',
      subject: '[SR-20261123-ABC123] Sync fails',
      priority: 'high',
      status: 'new',
      requester_id: 20978392,
      tags: ['tenantpilot'],
      created_at: '2026-11-23T01:02:04Z',
    },
    audit: { id: 1, events: [] },
  };
}

describe('zendesk desk', () => {
  let fake: FakeDesk;
  before(async () => {
    fake = await startFakeDesk();
  });
  after(() => fake.close());

  test('POST /api/v2/tickets.json: Basic {email}/token, Idempotency-Key, external_id, priority, full body', async () => {
    fake.respondWith(
      answer.json(201, createdTicket(35436, fake.url), { location: `${fake.url}/api/v2/tickets/35436.json` }),
    );
    const result = await createSupportDesk(deskConfig('zendesk', `${fake.url}/`)).createTicket(
      ticketRequest(),
    );
    assert.deepEqual(result, {
      kind: 'created',
      reference: '#35436',
      url: `${fake.url}/agent/tickets/35436`,
    });

    const sent = fake.requests.at(-1);
    assert.ok(sent);
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/api/v2/tickets.json');
    const basic = Buffer.from(`agent@example.com/token:${PLANTED_SECRET}`).toString('base64');
    assert.equal(sent.headers.authorization, `Basic ${basic}`);
    assert.equal(sent.headers['idempotency-key'], 'SR-20261123-ABC123');
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(sent.headers.accept, 'application/json');
    const { ticket } = sent.json() as { ticket: Record<string, unknown> & { comment: { body: string } } };
    assert.deepEqual(Object.keys(ticket).sort(), [
      'comment',
      'external_id',
      'organization_id',
      'priority',
      'requester',
      'subject',
      'tags',
    ]);
    assert.equal(ticket.subject, '[SR-20261123-ABC123] Sync fails with <b>"quotes"</b> & emoji 🚀');
    assert.equal(ticket.external_id, 'SR-20261123-ABC123');
    assert.equal(ticket.organization_id, 314, "the tenant's desk customer is the Zendesk organization");
    assert.equal(ticket.priority, 'high');
    assert.deepEqual(ticket.tags, ['tenantpilot']);
    assert.deepEqual(ticket.requester, { name: 'Dana Contact', email: 'dana@example.com' });
    const body = ticket.comment.body;
    for (const expected of [
      'TenantPilot support request SR-20261123-ABC123',
      'Severity: high',
      'Tenant: Contoso (external id contoso-prod, id 11)',
      'Workspace: Acme MSP (id 7)',
      'Operation run: #42 inventory_sync — status completed, outcome failed',
      'Run summary: 3 of 10 devices failed',
      'Submitted by: Olive Operator (id 5) at 2026-11-23T01:02:03.000Z',
      'Contact: Dana Contact <dana@example.com>',
      'Run the sync.\nIt fails on step 2.',
      'Open in TenantPilot: https://tenantpilot.example.com/admin/t/11/support-requests/99',
    ]) {
      assert.ok(body.includes(expected), `body lacks ${JSON.stringify(expected)}:\n${body}`);
    }
  });

  for (const [severity, priority] of [
    ['low', 'low'],
    ['normal', 'normal'],
    ['high', 'high'],
    ['blocking', 'urgent'],
  ] as const) {
    test(`severity ${severity} → priority ${priority}`, async () => {
      fake.respondWith(answer.json(201, createdTicket(1, fake.url)));
      await createSupportDesk(deskConfig('zendesk', fake.url)).createTicket(ticketRequest({ severity }));
      assert.equal(lastBody<{ ticket: { priority: string } }>(fake).ticket.priority, priority);
    });
  }

  test('no contact email: no requester (the API user becomes the requester)', async () => {
    fake.respondWith(answer.json(201, createdTicket(2, fake.url)));
    const request = ticketRequest({ contact: { name: 'Only A Name', email: null } });
    await createSupportDesk(deskConfig('zendesk', fake.url)).createTicket(request);
    const { ticket } = lastBody<{ ticket: Record<string, unknown> }>(fake);
    assert.equal('requester' in ticket, false);
  });

  test('missing email or token: fails without a call', async () => {
    const before = fake.requests.length;
    for (const overrides of [{ email: null }, { apiToken: null }]) {
      const summary = await expectFailure(createSupportDesk(deskConfig('zendesk', fake.url, overrides)));
      assert.match(summary, /needs SUPPORT_DESK_EMAIL and SUPPORT_DESK_API_TOKEN/);
    }
    assert.equal(fake.requests.length, before);
  });

  test('a ticket id that is not a positive integer is a failure', async () => {
    fake.respondWith(answer.json(201, { ticket: { id: '12' } }));
    assert.match(
      await expectFailure(createSupportDesk(deskConfig('zendesk', fake.url))),
      /without a ticket id/,
    );
  });

  test('Zendesk 401 as it answers it, and 429 with Retry-After', async () => {
    const desk = createSupportDesk(deskConfig('zendesk', fake.url));
    fake.respondWith(answer.json(401, { error: "Couldn't authenticate you" }));
    assert.equal(
      await expectFailure(desk),
      'Zendesk rejected the credentials (HTTP 401) — check SUPPORT_DESK_EMAIL and SUPPORT_DESK_API_TOKEN.',
    );
    fake.respondWith(answer.text(429, 'Rate limit for ticket creation exceeded', { 'retry-after': '93' }));
    assert.equal(
      await expectFailure(desk),
      'Zendesk is rate limiting requests (HTTP 429); it asks to retry after 93 s.',
    );
  });

  test('a 422 names what Zendesk found invalid', async () => {
    fake.respondWith(
      answer.json(422, {
        error: 'RecordInvalid',
        description: 'Record validation errors',
        details: {
          requester: [{ description: 'Requester: Email is not properly formatted', error: 'InvalidValue' }],
        },
      }),
    );
    assert.equal(
      await expectFailure(createSupportDesk(deskConfig('zendesk', fake.url))),
      'Zendesk refused the ticket as invalid (HTTP 422): Record validation errors; Requester: Email is not properly formatted',
    );
  });

  test('check: GET /api/v2/users/me.json as an agent is OK', async () => {
    fake.respondWith(
      answer.json(200, { user: { id: 35436, name: 'Agent A', email: 'agent@example.com', role: 'agent' } }),
    );
    const result = await createSupportDesk(deskConfig('zendesk', fake.url)).check();
    assert.deepEqual(result, {
      ok: true,
      detail: 'credentials accepted (signed in as agent@example.com, role agent)',
    });
    const sent = fake.requests.at(-1);
    assert.equal(sent?.method, 'GET');
    assert.equal(sent?.path, '/api/v2/users/me.json');
    assert.match(String(sent?.headers.authorization), /^Basic /);
  });

  for (const [label, user] of [
    [
      'the anonymous user',
      { id: null, name: 'Anonymous user', email: 'invalid@example.com', role: 'end-user' },
    ],
    ['an end user', { id: 77, name: 'Customer', email: 'customer@example.com', role: 'end-user' }],
  ] as const) {
    test(`check: Zendesk answering 200 with ${label} means the credentials were not accepted`, async () => {
      fake.respondWith(answer.json(200, { user }));
      const result = await createSupportDesk(deskConfig('zendesk', fake.url)).check();
      assert.equal(result.ok, false);
      assert.match((result as { summary: string }).summary, /did not accept the credentials/);
    });
  }
});

describe('zendesk desk: desk customer and finding a ticket', () => {
  let fake: FakeDesk;
  before(async () => {
    fake = await startFakeDesk();
  });
  after(() => fake.close());

  test('no desk customer: no organization_id (never a default); one that is not a number: no call', async () => {
    fake.respondWith(answer.json(201, createdTicket(3, fake.url)));
    const desk = createSupportDesk(deskConfig('zendesk', fake.url));
    await desk.createTicket(ticketRequest({ deskCustomerId: null }));
    assert.equal('organization_id' in lastBody<{ ticket: object }>(fake).ticket, false);
    assert.equal(desk.requiresCustomer, false);
    const before = fake.requests.length;
    const summary = await expectFailure(desk, ticketRequest({ deskCustomerId: 'Contoso' }));
    assert.match(summary, /organization id \(a number\)/);
    assert.equal(fake.requests.length, before);
  });

  test('findTicket: GET tickets by external_id; found, not found, failed', async () => {
    const desk = createSupportDesk(deskConfig('zendesk', fake.url));
    fake.respondWith(
      answer.json(200, { tickets: [{ id: 35436, external_id: 'SR-20261123-ABC123' }], count: 1 }),
    );
    assert.deepEqual(await desk.findTicket?.('SR-20261123-ABC123'), {
      kind: 'found',
      reference: '#35436',
      url: `${fake.url}/agent/tickets/35436`,
    });
    assert.equal(lastRequest(fake).path, '/api/v2/tickets.json?external_id=SR-20261123-ABC123');
    fake.respondWith(answer.json(200, { tickets: [], count: 0 }));
    assert.deepEqual(await desk.findTicket?.('SR-20261123-ABC123'), { kind: 'not_found' });
    fake.respondWith(answer.json(401, { error: "Couldn't authenticate you" }));
    const failed = await desk.findTicket?.('SR-20261123-ABC123');
    assert.match((failed as { summary: string }).summary, /rejected the credentials/);
  });
});

describeDeskFaults({
  provider: 'zendesk',
  name: 'Zendesk',
  errorBody: (status, text) =>
    status === 422 || status === 400
      ? {
          error: 'RecordInvalid',
          description: 'Record validation errors',
          details: { base: [{ description: text }] },
        }
      : { error: text },
});
