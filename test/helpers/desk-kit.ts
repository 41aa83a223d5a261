/**
 * Shared by the desk adapter tests: a ticket request with every part filled, a config for a fake desk,
 * and the fault suite every provider must pass against a real local server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DeskConfig, DeskProvider } from '../../src/server/config.ts';
import type { SupportDesk, TicketRequest } from '../../src/server/desks/desk.ts';
import { createSupportDesk } from '../../src/server/desks/index.ts';
import {
  answer,
  type DeskBehaviour,
  type FakeDesk,
  type RecordedRequest,
  refusedUrl,
  startFakeDesk,
  UNKNOWN_HOST_URL,
} from './fake-desk.ts';

/** Planted in every credential setting; no summary may ever contain it. */
export const PLANTED_SECRET = 'planted-secret-7f3a9c';
/** The budget of the tests that wait for it to run out. */
export const FAST_BUDGET_MS = 300;
/** The budget of every other test: ample, so a loaded 2-core machine never turns an answer into a timeout. */
export const AMPLE_BUDGET_MS = 3000;
/** Timers, connection teardown and a loaded 2-core machine: the bound holds within this slack. */
export const SLACK_MS = 600;

export function ticketRequest(overrides: Partial<TicketRequest> = {}): TicketRequest {
  return {
    internalReference: 'SR-20261123-ABC123',
    severity: 'high',
    summary: 'Sync fails with <b>"quotes"</b> & emoji 🚀',
    reproductionNotes: 'Run the sync.\nIt fails on step 2.',
    contact: { name: 'Dana Contact', email: 'dana@example.com' },
    context: {
      type: 'operation_run',
      workspace: { id: 7, name: 'Acme MSP' },
      tenant: { id: 11, externalId: 'contoso-prod', name: 'Contoso' },
      operationRun: {
        id: 42,
        type: 'inventory_sync',
        status: 'completed',
        outcome: 'failed',
        summary: '3 of 10 devices failed',
      },
    },
    submittedBy: { id: 5, displayName: 'Olive Operator' },
    submittedAt: new Date('2026-11-23T01:02:03.000Z'),
    link: 'https://tenantpilot.example.com/admin/t/11/support-requests/99',
    deskCustomerId: '314',
    ...overrides,
  };
}

export function deskConfig(provider: DeskProvider, url: string | null, overrides: Partial<DeskConfig> = {}) {
  return {
    provider,
    url,
    timeoutMs: AMPLE_BUDGET_MS,
    email: 'agent@example.com',
    apiToken: PLANTED_SECRET,
    secret: PLANTED_SECRET,
    serviceDeskId: '10',
    requestTypeId: '25',
    authUrl: url ? `${url}/auth` : null,
    clientId: 'tenantpilot-client',
    clientSecret: PLANTED_SECRET,
    haloTenant: null,
    companyId: 'acmemsp',
    publicKey: 'pubkey123',
    privateKey: PLANTED_SECRET,
    boardId: '3',
    apiIntegrationCode: PLANTED_SECRET,
    username: 'api-user@acmemsp.example',
    queueId: '29683',
    ...overrides,
  } satisfies DeskConfig;
}

export function assertNoSecret(text: string) {
  assert.ok(!text.includes(PLANTED_SECRET), `summary leaks the secret: ${text}`);
  assert.ok(
    !text.includes(Buffer.from(PLANTED_SECRET).toString('base64').slice(0, 12)),
    `leaks auth: ${text}`,
  );
  assert.ok(!/authorization|basic /i.test(text), `mentions credentials material: ${text}`);
}

export async function expectFailure(desk: SupportDesk, request = ticketRequest()): Promise<string> {
  const result = await desk.createTicket(request);
  assert.equal(result.kind, 'failed', `expected a failure, got ${JSON.stringify(result)}`);
  const summary = (result as { summary: string }).summary;
  assertNoSecret(summary);
  return summary;
}

/** The request the fake desk received last; fails the test when there is none. */
export function lastRequest(fake: FakeDesk): RecordedRequest {
  const sent = fake.requests.at(-1);
  assert.ok(sent, 'the desk received no request');
  return sent;
}

/** The JSON body of the last request, typed as the test expects it. */
export function lastBody<T>(fake: FakeDesk): T {
  return lastRequest(fake).json() as T;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

export interface FaultSuite {
  provider: DeskProvider;
  name: string;
  /** An error body in the desk's own shape for this status, carrying `text` as its message. */
  errorBody(status: number, text: string): unknown;
  /**
   * The desk's answer to the calls a create or check makes before the one under test (a token, the
   * priorities): those answer normally and every other call gets the fault. Null: the fault applies.
   */
  passThrough?(request: RecordedRequest): DeskBehaviour | null;
}

/** Every failure the desk can hand us, for create and check, against a real local server. */
export function describeDeskFaults(suite: FaultSuite) {
  describe(`${suite.name}: faults`, () => {
    let fake: FakeDesk;
    let other: FakeDesk;
    let desk: SupportDesk;
    let fastDesk: SupportDesk;
    before(async () => {
      fake = await startFakeDesk();
      other = await startFakeDesk(answer.json(201, {}));
      desk = createSupportDesk(deskConfig(suite.provider, fake.url));
      fastDesk = createSupportDesk(deskConfig(suite.provider, fake.url, { timeoutMs: FAST_BUDGET_MS }));
    });
    after(async () => {
      await fake.close();
      await other.close();
    });
    /** Every call answers `behaviour`, but those the suite passes through. */
    const respond = (behaviour: DeskBehaviour) =>
      fake.respondWith((request) => suite.passThrough?.(request) ?? behaviour);

    const statusCases: Array<[number, RegExp, Record<string, string>?]> = [
      [401, /rejected the credentials \(HTTP 401\)/],
      [403, /refused: the account lacks permission to create this ticket \(HTTP 403\)/],
      [404, /404 Not Found — check SUPPORT_DESK_URL/],
      [422, /refused the ticket as invalid \(HTTP 422\): .*Requester email is invalid/],
      [400, /refused the ticket as invalid \(HTTP 400\): .*Requester email is invalid/],
      [429, /rate limiting requests \(HTTP 429\); it asks to retry after 30 s/, { 'retry-after': '30' }],
      [500, /had an error \(HTTP 500\)/],
      [503, /had an error \(HTTP 503\)/],
    ];
    for (const [status, expected, headers] of statusCases) {
      test(`HTTP ${status} becomes a clear summary`, async () => {
        respond(answer.json(status, suite.errorBody(status, 'Requester email is invalid'), headers));
        const summary = await expectFailure(desk);
        assert.match(summary, expected);
        assert.ok(summary.startsWith(suite.name), summary);
        // A 403 is a permission the account lacks: sending people to re-check working credentials misleads.
        if (status === 403) assert.doesNotMatch(summary, /credentials/);
      });
    }

    test("the desk's error text is cut short and scrubbed of any secret it echoes", async () => {
      const echo = `token ${PLANTED_SECRET} is bad ${'x'.repeat(500)}`;
      respond(answer.json(422, suite.errorBody(422, echo)));
      const summary = await expectFailure(desk);
      assert.match(summary, /\[redacted\]/);
      assert.ok(summary.length < 450, `too long: ${summary.length}`);
    });

    test('a 2xx that is not JSON is a malformed answer', async () => {
      respond(answer.text(201, '<html>not json</html>', { 'content-type': 'text/html' }));
      assert.match(
        await expectFailure(desk),
        /malformed answer \(not JSON\).*search .* for SR-20261123-ABC123/,
      );
    });

    test('a 2xx without a reference fails and says the ticket may exist', async () => {
      respond(answer.json(201, { ok: true }));
      assert.match(await expectFailure(desk), /HTTP 201 without .*may have created the ticket/);
    });

    test('a redirect fails, names only the host, and is not followed', async () => {
      respond(answer.redirect(`${other.url}/login?token=${PLANTED_SECRET}`));
      const summary = await expectFailure(desk);
      assert.match(summary, new RegExp(`redirect to ${new URL(other.url).host} \\(HTTP 302\\)`));
      assert.equal(other.requests.length, 0, 'the redirect target was requested');
    });

    for (const declareLength of [false, true]) {
      test(`an answer over 1 MiB fails (${declareLength ? 'declared length' : 'chunked'})`, async () => {
        respond(answer.oversized(1.5 * 1024 * 1024, declareLength));
        assert.match(await expectFailure(desk), /more than 1 MiB/);
      });
    }

    const budgetCases: Array<[string, DeskBehaviour]> = [
      ['a desk that never answers', answer.hang()],
      ['headers then a body that trickles forever', answer.slowBody(201, 50)],
      ['an answer after the budget', answer.delayed(FAST_BUDGET_MS * 3, answer.json(201, {}))],
    ];
    for (const [label, behaviour] of budgetCases) {
      test(`${label}: the budget ends the call, reported as not confirmed`, async () => {
        respond(behaviour);
        const { value: summary, ms } = await timed(() => expectFailure(fastDesk));
        assert.ok(ms >= FAST_BUDGET_MS - 20 && ms < FAST_BUDGET_MS + SLACK_MS, `took ${ms} ms`);
        assert.match(
          summary,
          /^Not confirmed within 0\.3 s — the desk may still have created it; search .* for SR-20261123-ABC123/,
        );
        assert.doesNotMatch(summary, /not created/i);
      });
    }

    test('a closed connection is reported as lost, possibly created', async () => {
      respond(answer.closeSocket());
      assert.match(
        await expectFailure(desk),
        /: connection lost before an answer \(UND_ERR_SOCKET\) — the desk may still have created it/,
      );
    });

    test('connection refused', async () => {
      const refused = createSupportDesk(deskConfig(suite.provider, await refusedUrl()));
      assert.match(await expectFailure(refused), /connection refused/);
    });

    test('unknown host', async () => {
      const unknown = createSupportDesk(deskConfig(suite.provider, UNKNOWN_HOST_URL));
      assert.match(await expectFailure(unknown), /desk host not found/);
    });

    test('no SUPPORT_DESK_URL: fails without a call', async () => {
      const before = fake.requests.length;
      const unset = createSupportDesk(deskConfig(suite.provider, null));
      assert.match(await expectFailure(unset), /needs SUPPORT_DESK_URL/);
      assert.equal(fake.requests.length, before);
    });

    // Every call of a check gets the fault: a check proves exactly the calls a create passes through first.
    test('check: each failure kind is named', async () => {
      fake.respondWith(answer.json(401, suite.errorBody(401, 'Couldn’t authenticate you')));
      const rejected = await desk.check();
      // A webhook has no credentials to check by a read: an unsigned GET answered 401 still proves the URL.
      if (suite.provider !== 'webhook') {
        assert.equal(rejected.ok, false);
        assert.match((rejected as { summary: string }).summary, /credentials/);
      }
      fake.respondWith(answer.json(403, suite.errorBody(403, 'You do not have permission')));
      const forbidden = await desk.check();
      if (suite.provider !== 'webhook') {
        const { summary } = forbidden as { summary: string };
        assert.match(summary, /lacks permission to read what the check reads \(HTTP 403\)/);
        assert.doesNotMatch(summary, /credentials/, 'a 403 is a permission, not wrong credentials');
      }
      fake.respondWith(answer.json(404, suite.errorBody(404, 'Not found')));
      assert.match(((await desk.check()) as { summary: string }).summary, /404 Not Found/);
      fake.respondWith(answer.hang());
      const hung = await fastDesk.check();
      assert.match((hung as { summary: string }).summary, /did not answer within 0\.3 s/);
      fake.respondWith(answer.redirect('https://login.example.net/sso'));
      assert.match(((await desk.check()) as { summary: string }).summary, /redirect to login\.example\.net/);
      const refused = createSupportDesk(deskConfig(suite.provider, await refusedUrl()));
      assert.match(((await refused.check()) as { summary: string }).summary, /connection refused/);
      const unknown = createSupportDesk(deskConfig(suite.provider, UNKNOWN_HOST_URL));
      assert.match(((await unknown.check()) as { summary: string }).summary, /desk host not found/);
      for (const result of [rejected, hung]) assertNoSecret(JSON.stringify(result));
    });
  });
}
