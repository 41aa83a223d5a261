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
  connectwiseInstancePriorities,
  connectwiseSettings,
  type FakeConnectWise,
  startFakeConnectWise,
} from '../../../test/helpers/fake-connectwise.ts';
import { answer } from '../../../test/helpers/fake-desk.ts';
import { connectwisePriorities } from './connectwise.ts';
import { createSupportDesk } from './index.ts';

/** Ample for a loaded machine: half of it for the hanging read, the other half for the create. */
const HALF_BUDGET_TEST_MS = 1600;

describe('connectwise_psa desk', () => {
  let cw: FakeConnectWise;
  const desk = (overrides = {}) =>
    createSupportDesk(deskConfig('connectwise_psa', cw.url, { ...connectwiseSettings(cw), ...overrides }));
  const customer = { deskCustomerId: '250' };

  before(async () => {
    cw = await startFakeConnectWise();
  });
  beforeEach(() => {
    connectwisePriorities.clear();
    cw.answerNormally();
  });
  after(() => cw.close());

  test('POST /apis/3.0/service/tickets: Basic company+public:private, clientId, board, company, externalXRef', async () => {
    const result = await desk().createTicket(ticketRequest(customer));
    const made = cw.tickets.at(-1);
    assert.ok(made);
    const host = new URL(cw.url).host;
    assert.deepEqual(result, {
      kind: 'created',
      reference: `#${made.id}`,
      url: `http://${host}/v4_6_release/services/system_io/Service/fv_sr100_request.rails?service_recid=${made.id}&companyName=acmemsp`,
    });
    const sent = cw.requests.at(-1);
    assert.equal(sent?.path, '/v4_6_release/apis/3.0/service/tickets');
    assert.equal(sent?.headers.clientid, cw.clientId);
    const body = sent?.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), [
      'board',
      'company',
      'contactEmailAddress',
      'contactName',
      'externalXRef',
      'initialDescription',
      'priority',
      'summary',
    ]);
    assert.deepEqual(body.board, { id: 3 });
    assert.deepEqual(body.company, { id: 250 });
    assert.equal(made.company.identifier, 'Contoso');
    assert.equal(made.externalXRef, 'SR-20261123-ABC123');
    assert.equal(made.contactEmailAddress, 'dana@example.com');
    assert.ok(made.initialDescription.includes('TenantPilot support request SR-20261123-ABC123'));
  });

  test('a desk customer that is not a number is the company identifier', async () => {
    await desk().createTicket(ticketRequest({ deskCustomerId: 'Contoso' }));
    assert.deepEqual((lastRequest(cw.desk).json() as { company: unknown }).company, {
      identifier: 'Contoso',
    });
    assert.equal(cw.tickets.at(-1)?.company.id, 250);
  });

  for (const [severity, name] of [
    ['blocking', 'Priority 1 - Emergency Response'],
    ['high', 'Priority 2 - Quick Response'],
    ['normal', 'Priority 3 - Normal Response'],
    ['low', 'Priority 4 - Schedule Maintenance'],
  ] as const) {
    test(`severity ${severity} → the instance's "${name}" (read from the desk)`, async () => {
      await desk().createTicket(ticketRequest({ ...customer, severity }));
      const expected = connectwiseInstancePriorities.find((p) => p.name === name);
      assert.deepEqual(cw.tickets.at(-1)?.priority, { id: expected?.id, name });
    });
  }

  test('priorities are read once and cached across handoffs, also 10 at once', async () => {
    const before = cw.priorityReads;
    const d = desk();
    await Promise.all(Array.from({ length: 10 }, () => d.createTicket(ticketRequest(customer))));
    await d.createTicket(ticketRequest(customer));
    assert.equal(cw.priorityReads - before, 1);
  });

  test('priorities that cannot be read: the ticket goes without one (the board default)', async () => {
    cw.desk.respondWith((r) =>
      r.path.includes('/service/priorities')
        ? answer.json(403, { message: 'no' })
        : answer.json(201, { id: 77 }),
    );
    const result = await desk().createTicket(ticketRequest(customer));
    assert.equal(result.kind, 'created');
    assert.equal('priority' in (lastRequest(cw.desk).json() as object), false);
  });

  test('a priority read that hangs takes at most half the budget; the ticket is still filed', async () => {
    cw.desk.respondWith((r) =>
      r.path.includes('/service/priorities') ? answer.hang() : answer.json(201, { id: 78 }),
    );
    const { value, ms } = await timed(() =>
      desk({ timeoutMs: HALF_BUDGET_TEST_MS }).createTicket(ticketRequest(customer)),
    );
    assert.equal(value.kind, 'created');
    // The read gives up at half the budget; the create, answered at once, fits well in the rest.
    assert.ok(ms >= HALF_BUDGET_TEST_MS / 2 - 20 && ms < HALF_BUDGET_TEST_MS + SLACK_MS, `took ${ms} ms`);
  });

  test('no desk customer: fails without a call', async () => {
    const before = cw.requests.length;
    for (const deskCustomerId of [null, '  ']) {
      const summary = await expectFailure(desk(), ticketRequest({ deskCustomerId }));
      assert.equal(summary, 'ConnectWise PSA: no desk customer mapped for this tenant.');
    }
    assert.equal(cw.requests.length, before);
    assert.equal(desk().requiresCustomer, true);
  });

  test('an unknown company: ConnectWise’s field error is the summary', async () => {
    const summary = await expectFailure(desk(), ticketRequest({ deskCustomerId: '999' }));
    assert.equal(
      summary,
      'ConnectWise PSA refused the ticket as invalid (HTTP 400): ticket object is invalid; The company with the given identifier/id could not be found.',
    );
  });

  test('the summary is cut to ConnectWise’s 100 characters by whole characters', async () => {
    const result = await desk().createTicket(ticketRequest({ ...customer, summary: '👩‍💻'.repeat(60) }));
    assert.equal(result.kind, 'created');
    const summary = cw.tickets.at(-1)?.summary ?? '';
    assert.ok(summary.length <= 100 && summary.endsWith('…'), summary);
    assert.ok(
      summary
        .replace(/^\[SR-20261123-ABC123\] /, '')
        .replace('…', '')
        .split('👩‍💻')
        .every((s) => s === ''),
    );
  });

  test('a long contact name is cut to ConnectWise’s 62 characters by whole characters', async () => {
    const contact = { name: '😀'.repeat(40), email: 'dana@example.com' };
    await desk().createTicket(ticketRequest({ ...customer, contact }));
    const { contactName } = lastRequest(cw.desk).json() as { contactName: string };
    assert.ok(contactName.length <= 62 && contactName.endsWith('😀…'), contactName);
  });

  test('missing settings: fails without a call, naming each', async () => {
    const before = cw.requests.length;
    const summary = await expectFailure(desk({ clientId: null, boardId: null }), ticketRequest(customer));
    assert.equal(
      summary,
      'ConnectWise PSA needs SUPPORT_DESK_CLIENT_ID, SUPPORT_DESK_BOARD_ID, which are not set.',
    );
    assert.equal(cw.requests.length, before);
  });

  test('wrong keys: 401 says credentials', async () => {
    const summary = await expectFailure(desk({ privateKey: 'wrong-private' }), ticketRequest(customer));
    assert.match(
      summary,
      /^ConnectWise PSA rejected the credentials \(HTTP 401\) — check SUPPORT_DESK_COMPANY_ID/,
    );
  });

  test('findTicket: by externalXRef, exactly', async () => {
    const d = desk();
    const made = await d.createTicket(
      ticketRequest({ ...customer, internalReference: 'SR-20261129-CWFIND' }),
    );
    assert.equal(made.kind, 'created');
    const found = await d.findTicket?.('SR-20261129-CWFIND');
    assert.equal(found?.kind, 'found');
    assert.equal((found as { reference: string }).reference, (made as { reference: string }).reference);
    assert.match(
      String(cw.requests.at(-1)?.path),
      /service\/tickets\?conditions=externalXRef%3D%22SR-20261129-CWFIND%22/,
    );
    assert.deepEqual(await d.findTicket?.('SR-20261129-NOSUCH'), { kind: 'not_found' });
    cw.desk.respondWith(answer.json(503, { message: 'maintenance' }));
    assert.equal((await d.findTicket?.('SR-20261129-CWFIND'))?.kind, 'failed');
  });

  test('check: GET the board; an unknown board is a 404 naming SUPPORT_DESK_BOARD_ID', async () => {
    assert.deepEqual(await desk().check(), {
      ok: true,
      detail: 'credentials accepted (service board "Service Desk")',
    });
    assert.equal(cw.requests.at(-1)?.path, '/v4_6_release/apis/3.0/service/boards/3');
    const missing = await desk({ boardId: '9' }).check();
    assert.match((missing as { summary: string }).summary, /404 Not Found — .*SUPPORT_DESK_BOARD_ID/);
    const before = cw.tickets.length;
    await desk().check();
    assert.equal(cw.tickets.length, before, 'check created something');
  });
});

describeDeskFaults({
  provider: 'connectwise_psa',
  name: 'ConnectWise PSA',
  errorBody: (status, text) =>
    status === 400 || status === 422
      ? { code: 'InvalidObject', message: text, errors: [] }
      : { code: 'Error', message: text },
  passThrough: (request) =>
    request.path.includes('/service/priorities') ? answer.json(200, connectwiseInstancePriorities) : null,
});
