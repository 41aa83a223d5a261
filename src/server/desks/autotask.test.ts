import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  describeDeskFaults,
  deskConfig,
  expectFailure,
  lastRequest,
  SLACK_MS,
  ticketRequest,
  timed,
} from '../../../test/helpers/desk-kit.ts';
import {
  autotaskFields,
  autotaskSettings,
  type FakeAutotask,
  startFakeAutotask,
} from '../../../test/helpers/fake-autotask.ts';
import { answer } from '../../../test/helpers/fake-desk.ts';
import { autotaskPicklists, autotaskTicketUrl } from './autotask.ts';
import { createSupportDesk } from './index.ts';

/** Ample for a loaded machine: half of it for the hanging read, the other half for the create. */
const HALF_BUDGET_TEST_MS = 1600;

describe('autotask desk', () => {
  let at: FakeAutotask;
  const desk = (overrides = {}) =>
    createSupportDesk(deskConfig('autotask', at.url, { ...autotaskSettings(at), ...overrides }));
  const customer = { deskCustomerId: '174' };

  before(async () => {
    at = await startFakeAutotask();
  });
  beforeEach(() => {
    autotaskPicklists.clear();
    at.answerNormally();
  });
  after(() => at.close());

  test('POST /ATServicesRest/V1.0/Tickets with the three headers: company, queue, New, title and description', async () => {
    const result = await desk().createTicket(ticketRequest(customer));
    const made = at.tickets.at(-1);
    assert.ok(made);
    // A local URL is not an Autotask zone host, so there is no web link to make.
    assert.deepEqual(result, { kind: 'created', reference: `#${made.id}`, url: null });
    const sent = lastRequest(at.desk);
    assert.equal(sent.path, '/ATServicesRest/V1.0/Tickets');
    assert.equal(sent.headers.apiintegrationcode, at.apiIntegrationCode);
    assert.equal(sent.headers.username, at.username);
    assert.equal(sent.headers.secret, at.secret);
    assert.deepEqual(Object.keys(sent.json() as object).sort(), [
      'companyID',
      'description',
      'priority',
      'queueID',
      'status',
      'title',
    ]);
    assert.equal(made.companyID, 174);
    assert.equal(made.queueID, 29683);
    assert.equal(made.status, 1);
    assert.equal(made.title, '[SR-20261123-ABC123] Sync fails with <b>"quotes"</b> & emoji 🚀');
    assert.ok(made.description.includes('Tenant: Contoso (external id contoso-prod, id 11)'));
  });

  test('the agent link is on the zone’s web host', () => {
    const config = deskConfig('autotask', 'https://webservices5.autotask.net');
    assert.equal(
      autotaskTicketUrl(config, 42),
      'https://ww5.autotask.net/Mvc/ServiceDesk/TicketDetail.mvc?workspace=False&ticketId=42',
    );
    assert.equal(autotaskTicketUrl(deskConfig('autotask', 'https://example.net'), 42), null);
  });

  for (const [severity, value] of [
    ['blocking', 9],
    ['high', 8],
    ['normal', 7],
    ['low', 6],
  ] as const) {
    test(`severity ${severity} → the instance's priority ${value} (read from its picklist)`, async () => {
      await desk().createTicket(ticketRequest({ ...customer, severity }));
      assert.equal(at.tickets.at(-1)?.priority, value);
    });
  }

  test('the picklist is read once for many handoffs, also 10 at once', async () => {
    const before = at.picklistReads;
    const d = desk();
    await Promise.all(Array.from({ length: 10 }, () => d.createTicket(ticketRequest(customer))));
    await d.createTicket(ticketRequest(customer));
    assert.equal(at.picklistReads - before, 1);
  });

  test('a picklist that cannot be read: Autotask’s default priorities', async () => {
    at.desk.respondWith((r) =>
      r.path.includes('entityInformation')
        ? answer.json(500, { errors: ['x'] })
        : answer.json(200, { itemId: 3 }),
    );
    await desk().createTicket(ticketRequest({ ...customer, severity: 'blocking' }));
    assert.equal((lastRequest(at.desk).json() as { priority: number }).priority, 4);
  });

  test('a picklist read that hangs costs at most half the budget', async () => {
    at.desk.respondWith((r) =>
      r.path.includes('entityInformation') ? answer.hang() : answer.json(200, { itemId: 4 }),
    );
    const { value, ms } = await timed(() =>
      desk({ timeoutMs: HALF_BUDGET_TEST_MS }).createTicket(ticketRequest(customer)),
    );
    assert.equal(value.kind, 'created');
    // The read gives up at half the budget; the create, answered at once, fits well in the rest.
    assert.ok(ms >= HALF_BUDGET_TEST_MS / 2 - 20 && ms < HALF_BUDGET_TEST_MS + SLACK_MS, `took ${ms} ms`);
  });

  test('no desk customer, or one that is not a company id: fails without a call', async () => {
    const before = at.requests.length;
    assert.equal(
      await expectFailure(desk(), ticketRequest({ deskCustomerId: null })),
      'Autotask: no desk customer mapped for this tenant.',
    );
    assert.match(
      await expectFailure(desk(), ticketRequest({ deskCustomerId: 'Contoso' })),
      /company id \(a number\).*"Contoso" is not one/,
    );
    assert.equal(at.requests.length, before);
    assert.equal(desk().requiresCustomer, true);
  });

  test('an unknown company: Autotask’s 500 with errors is named', async () => {
    const summary = await expectFailure(desk(), ticketRequest({ deskCustomerId: '999' }));
    assert.equal(
      summary,
      'Autotask had an error (HTTP 500): Value does not exist for the required field companyID. 999',
    );
  });

  test('missing settings: fails without a call', async () => {
    const before = at.requests.length;
    const summary = await expectFailure(desk({ username: null, queueId: null }), ticketRequest(customer));
    assert.equal(summary, 'Autotask needs SUPPORT_DESK_USERNAME, SUPPORT_DESK_QUEUE_ID, which are not set.');
    assert.equal(at.requests.length, before);
  });

  test('a wrong secret: 401 says credentials', async () => {
    const summary = await expectFailure(desk({ secret: 'wrong-secret-000' }), ticketRequest(customer));
    assert.match(
      summary,
      /^Autotask rejected the credentials \(HTTP 401\) — check SUPPORT_DESK_USERNAME, SUPPORT_DESK_SECRET/,
    );
  });

  test('findTicket: the ticket whose title begins with [reference]', async () => {
    const d = desk();
    const made = await d.createTicket(
      ticketRequest({ ...customer, internalReference: 'SR-20261129-ATFIND' }),
    );
    assert.equal(made.kind, 'created');
    const found = await d.findTicket?.('SR-20261129-ATFIND');
    assert.deepEqual(found, {
      kind: 'found',
      reference: (made as { reference: string }).reference,
      url: null,
    });
    const search = JSON.parse(
      new URL(lastRequest(at.desk).path, 'http://x').searchParams.get('search') ?? '',
    );
    assert.deepEqual(search.filter, [{ op: 'beginsWith', field: 'title', value: '[SR-20261129-ATFIND]' }]);
    assert.deepEqual(await d.findTicket?.('SR-20261129-NOSUCH'), { kind: 'not_found' });
    at.desk.respondWith(answer.json(429, { errors: ['busy'] }, { 'retry-after': '5' }));
    const failed = await d.findTicket?.('SR-20261129-ATFIND');
    assert.equal(failed?.kind, 'failed');
    assert.match((failed as { summary: string }).summary, /rate limiting/);
  });

  test('check: the ticket fields prove the credentials and the queue', async () => {
    assert.deepEqual(await desk().check(), {
      ok: true,
      detail: 'credentials accepted (queue "Client Portal")',
    });
    assert.equal(lastRequest(at.desk).path, '/ATServicesRest/V1.0/Tickets/entityInformation/fields');
    const unknown = await desk({ queueId: '404' }).check();
    assert.match(
      (unknown as { summary: string }).summary,
      /no ticket queue 404 — check SUPPORT_DESK_QUEUE_ID/,
    );
    const inactive = await desk({ queueId: '5' }).check();
    assert.match((inactive as { summary: string }).summary, /queue "Retired Queue" \(5\) is inactive/);
  });
});

describeDeskFaults({
  provider: 'autotask',
  name: 'Autotask',
  errorBody: (_status, text) => ({ errors: [text] }),
  passThrough: (request) =>
    request.path.includes('/Tickets/entityInformation/fields') && request.method === 'GET'
      ? answer.json(200, autotaskFields())
      : null,
});
