import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  assertNoSecret,
  describeDeskFaults,
  deskConfig,
  expectFailure,
  FAST_BUDGET_MS,
  PLANTED_SECRET,
  SLACK_MS,
  ticketRequest,
  timed,
} from '../../../test/helpers/desk-kit.ts';
import { answer, type RecordedRequest } from '../../../test/helpers/fake-desk.ts';
import { type FakeHaloPsa, startFakeHaloPsa } from '../../../test/helpers/fake-halopsa.ts';
import { haloTokens } from './halopsa.ts';
import { createSupportDesk } from './index.ts';

describe('halopsa desk', () => {
  let halo: FakeHaloPsa;
  const config = (overrides = {}) =>
    deskConfig('halopsa', halo.url, {
      authUrl: halo.authUrl,
      clientId: halo.clientId,
      clientSecret: halo.clientSecret,
      ...overrides,
    });
  const desk = (overrides = {}) => createSupportDesk(config(overrides));
  const apiCalls = () => halo.requests.filter((r) => r.path.startsWith('/api/'));

  before(async () => {
    halo = await startFakeHaloPsa({ clients: [{ id: 314, name: 'Contoso' }] });
  });
  beforeEach(() => {
    haloTokens.clear();
    halo.answerNormally();
  });
  after(() => halo.close());

  test('a token by client credentials, then POST /api/Tickets: an array of one ticket under the client', async () => {
    const result = await desk().createTicket(ticketRequest());
    const made = halo.tickets.at(-1);
    assert.ok(made);
    assert.deepEqual(result, {
      kind: 'created',
      reference: `#${made.id}`,
      url: `${halo.url}/ticket?id=${made.id}`,
    });

    const [token, create] = halo.requests.slice(-2) as [RecordedRequest, RecordedRequest];
    assert.equal(token.method, 'POST');
    assert.equal(token.path, '/auth/token');
    assert.equal(token.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(token.body)), {
      grant_type: 'client_credentials',
      client_id: halo.clientId,
      client_secret: halo.clientSecret,
      scope: 'all',
    });
    assert.equal(create.path, '/api/Tickets');
    assert.match(String(create.headers.authorization), /^Bearer halo-token-/);
    const body = create.json() as Array<Record<string, unknown>>;
    assert.ok(Array.isArray(body) && body.length === 1, 'Halo takes a JSON array');
    assert.deepEqual(Object.keys(body[0] ?? {}).sort(), [
      'client_id',
      'details',
      'priority_id',
      'reportedby',
      'summary',
    ]);
    assert.equal(made.client_id, 314);
    assert.equal(made.summary, '[SR-20261123-ABC123] Sync fails with <b>"quotes"</b> & emoji 🚀');
    assert.equal(made.priority_id, 2);
    assert.equal(made.reportedby, 'Dana Contact <dana@example.com>');
    assert.ok(made.details.includes('TenantPilot support request SR-20261123-ABC123'));
    assert.ok(
      made.details.includes(
        'Open in TenantPilot: https://tenantpilot.example.com/admin/t/11/support-requests/99',
      ),
    );
  });

  test('the token is cached: 20 handoffs, 10 of them at once, make one token request', async () => {
    const before = halo.tokenRequests;
    const d = desk();
    await Promise.all(Array.from({ length: 10 }, () => d.createTicket(ticketRequest())));
    for (let i = 0; i < 10; i++) await desk().createTicket(ticketRequest());
    assert.equal(halo.tokenRequests - before, 1);
  });

  test('a hosted Halo: the token request names the tenant', async () => {
    await desk({ haloTenant: 'acme msp' }).createTicket(ticketRequest());
    const token = halo.requests.find((r) => r.path.startsWith('/auth/token?'));
    assert.equal(token?.path, '/auth/token?tenant=acme%20msp');
  });

  test('a token past its lifetime (less a 30 s margin) is fetched again', async () => {
    const shortLived = await startFakeHaloPsa({ clients: [{ id: 314, name: 'C' }], tokenLifetime: 30 });
    try {
      const d = createSupportDesk(
        deskConfig('halopsa', shortLived.url, {
          authUrl: shortLived.authUrl,
          clientId: shortLived.clientId,
          clientSecret: shortLived.clientSecret,
        }),
      );
      await d.createTicket(ticketRequest());
      await d.createTicket(ticketRequest());
      assert.equal(shortLived.tokenRequests, 2);
    } finally {
      await shortLived.close();
    }
  });

  for (const [severity, priority] of [
    ['low', 4],
    ['normal', 3],
    ['high', 2],
    ['blocking', 1],
  ] as const) {
    test(`severity ${severity} → priority_id ${priority}`, async () => {
      await desk().createTicket(ticketRequest({ severity }));
      assert.equal(halo.tickets.at(-1)?.priority_id, priority);
    });
  }

  test('no desk customer: fails without calling Halo at all (no token either)', async () => {
    const before = halo.requests.length;
    const summary = await expectFailure(desk(), ticketRequest({ deskCustomerId: null }));
    assert.equal(summary, 'HaloPSA: no desk customer mapped for this tenant.');
    assert.equal(halo.requests.length, before);
    assert.equal(desk().requiresCustomer, true);
  });

  test('a desk customer that is not a Halo client id: fails without a call', async () => {
    const before = halo.requests.length;
    const summary = await expectFailure(desk(), ticketRequest({ deskCustomerId: 'Contoso Ltd' }));
    assert.match(summary, /client id \(a number\).*"Contoso Ltd" is not one/);
    assert.equal(halo.requests.length, before);
  });

  test('an unknown client: Halo’s 400 text is the summary', async () => {
    const summary = await expectFailure(desk(), ticketRequest({ deskCustomerId: '999' }));
    assert.equal(summary, 'HaloPSA refused the ticket as invalid (HTTP 400): Please select a valid Client');
  });

  test('missing settings: fails without a call, naming each', async () => {
    const before = halo.requests.length;
    const summary = await expectFailure(desk({ authUrl: null, clientSecret: null }));
    assert.equal(
      summary,
      'HaloPSA needs SUPPORT_DESK_AUTH_URL, SUPPORT_DESK_CLIENT_SECRET, which are not set.',
    );
    assert.equal(halo.requests.length, before);
  });

  test('wrong client secret: the token endpoint’s invalid_client says credentials, and no ticket call', async () => {
    const calls = apiCalls().length;
    const summary = await expectFailure(desk({ clientSecret: PLANTED_SECRET }));
    assert.match(
      summary,
      /^HaloPSA rejected the credentials \(token request\) — check SUPPORT_DESK_CLIENT_ID/,
    );
    assert.equal(apiCalls().length, calls, 'an API call was made without a token');
  });

  test('a token Halo no longer accepts (401) is dropped: the next handoff fetches a new one', async () => {
    const d = desk();
    await d.createTicket(ticketRequest());
    const before = halo.tokenRequests;
    halo.desk.respondWith((r) => (r.path.startsWith('/auth') ? answer.json(400, {}) : answer.text(401, '')));
    assert.match(await expectFailure(d), /rejected the credentials \(HTTP 401\)/);
    halo.answerNormally();
    assert.equal((await d.createTicket(ticketRequest())).kind, 'created');
    assert.equal(halo.tokenRequests, before + 1);
  });

  test('a token request that hangs uses the budget: no ticket sent, said so', async () => {
    halo.desk.respondWith((r) => (r.path.startsWith('/auth') ? answer.hang() : answer.json(201, { id: 1 })));
    const creates = halo.requests.filter((r) => r.path === '/api/Tickets').length;
    const { value: summary, ms } = await timed(() => expectFailure(desk({ timeoutMs: FAST_BUDGET_MS })));
    assert.ok(ms < FAST_BUDGET_MS + SLACK_MS, `took ${ms} ms`);
    assert.match(summary, /^HaloPSA (\(token request\) )?did not answer within 0\.3 s/);
    assert.doesNotMatch(summary, /may still have created/);
    assert.equal(
      halo.requests.filter((r) => r.path === '/api/Tickets').length,
      creates,
      'a ticket call was sent',
    );
  });

  test('a slow token and a slow create share one budget', async () => {
    // Separate budgets would end at 1000 + 1500 ms; one shared budget ends at 1500 ms.
    const budgetMs = 1500;
    halo.desk.respondWith((r) =>
      r.path.startsWith('/auth')
        ? answer.delayed(1000, answer.json(200, { access_token: 'slow-token-123456', expires_in: 3600 }))
        : answer.hang(),
    );
    const { value: summary, ms } = await timed(() => expectFailure(desk({ timeoutMs: budgetMs })));
    assert.ok(ms >= budgetMs - 20 && ms < budgetMs + SLACK_MS, `took ${ms} ms`);
    assert.match(
      summary,
      /^Not confirmed within 1\.5 s — the desk may still have created it; search it for SR-20261123-ABC123/,
    );
  });

  test('429 with Retry-After, and the token never in a summary', async () => {
    halo.desk.respondWith((r) =>
      r.path.startsWith('/auth')
        ? answer.json(200, { access_token: `${PLANTED_SECRET}-token`, expires_in: 3600 })
        : answer.json(429, { message: `slow down ${PLANTED_SECRET}-token` }, { 'retry-after': '12' }),
    );
    const summary = await expectFailure(desk());
    assert.equal(summary, 'HaloPSA is rate limiting requests (HTTP 429); it asks to retry after 12 s.');
  });

  test('a 403 says the API agent lacks permission', async () => {
    halo.desk.respondWith((r) =>
      r.path.startsWith('/auth')
        ? answer.json(200, { access_token: 'tok-abcdefgh', expires_in: 3600 })
        : answer.json(403, { message: 'You do not have permission to create Tickets' }),
    );
    const summary = await expectFailure(desk());
    assert.match(summary, /refused: the account lacks permission to create this ticket \(HTTP 403\)/);
    assert.doesNotMatch(summary, /credentials/);
  });

  test('findTicket: a ticket whose summary starts with the reference is found; another is not', async () => {
    const d = desk();
    const made = await d.createTicket(ticketRequest({ internalReference: 'SR-20261124-FIND01' }));
    assert.equal(made.kind, 'created');
    const found = await d.findTicket?.('SR-20261124-FIND01');
    assert.deepEqual(found, {
      kind: 'found',
      reference: (made as { reference: string }).reference,
      url: (made as { url: string }).url,
    });
    const search = halo.requests.at(-1);
    assert.equal(search?.method, 'GET');
    assert.match(String(search?.path), /^\/api\/Tickets\?search=SR-20261124-FIND01&/);
    assert.deepEqual(await d.findTicket?.('SR-20261124-NONE99'), { kind: 'not_found' });
  });

  test('findTicket: a failure is a failure, never not_found', async () => {
    const d = desk();
    await d.check();
    halo.desk.respondWith((r) =>
      r.path.startsWith('/auth') ? answer.json(400, {}) : answer.json(500, { message: 'boom' }),
    );
    const result = await d.findTicket?.('SR-20261124-FIND01');
    assert.equal(result?.kind, 'failed');
    assertNoSecret(JSON.stringify(result));
  });

  test('check: a token, then GET /api/Agent/me; creates nothing', async () => {
    const before = halo.tickets.length;
    const result = await desk().check();
    assert.deepEqual(result, {
      ok: true,
      detail:
        "credentials accepted (token issued; API agent TenantPilot API); tickets go to each tenant's Halo client",
    });
    assert.equal(halo.requests.at(-1)?.path, '/api/Agent/me');
    assert.equal(halo.tickets.length, before);
  });

  test('check: wrong credentials and a wrong auth URL are told apart', async () => {
    const wrong = await desk({ clientSecret: 'not-the-secret' }).check();
    assert.match((wrong as { summary: string }).summary, /rejected the credentials \(token request\)/);
    const lost = await desk({ authUrl: `${halo.url}/nowhere` }).check();
    assert.match(
      (lost as { summary: string }).summary,
      /^HaloPSA \(token request\) answered 404 Not Found — check SUPPORT_DESK_AUTH_URL/,
    );
  });

  test('a subject of 200 emoji is cut by whole characters to 255 code units', async () => {
    await desk().createTicket(ticketRequest({ summary: '🚀'.repeat(200) }));
    const subject = halo.tickets.at(-1)?.summary ?? '';
    assert.ok(subject.length <= 255, `${subject.length}`);
    assert.ok(subject.endsWith('…'));
    assert.ok(
      !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(subject),
      'half a surrogate pair',
    );
  });
});

/** The fault suite: the token endpoint answers normally, every API call gets the fault. */
describeDeskFaults({
  provider: 'halopsa',
  name: 'HaloPSA',
  errorBody: (status, text) => (status === 400 || status === 422 ? text : { message: text }),
  passThrough: (request) =>
    request.path.startsWith('/auth/token')
      ? answer.json(200, { access_token: `fault-suite-token-${request.headers.host}`, expires_in: 3600 })
      : null,
});
