import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  AMPLE_BUDGET_MS,
  deskConfig,
  FAST_BUDGET_MS,
  PLANTED_SECRET,
  SLACK_MS,
  ticketRequest,
  timed,
} from '../../../test/helpers/desk-kit.ts';
import { answer, type FakeDesk, startFakeDesk } from '../../../test/helpers/fake-desk.ts';
import { MAX_DESK_TIMEOUT_MS } from '../config.ts';
import { deskCall, MAX_ANSWER_BYTES } from './desk-http.ts';
import { budgetText, withoutSecrets } from './failure-summary.ts';
import { createSupportDesk } from './index.ts';

describe('deskCall: the one bounded outbound call', () => {
  let fake: FakeDesk;
  before(async () => {
    fake = await startFakeDesk();
  });
  after(() => fake.close());

  const get = (path = '/', timeoutMs = AMPLE_BUDGET_MS) =>
    deskCall({ method: 'GET', url: `${fake.url}${path}`, headers: {}, timeoutMs });

  test('answers status, headers, text and parsed JSON', async () => {
    fake.respondWith(answer.json(418, { a: 1 }, { 'x-thing': 'yes' }));
    const result = await get('/x?y=1');
    assert.equal(result.kind, 'answered');
    if (result.kind !== 'answered') return;
    assert.equal(result.status, 418);
    assert.equal(result.headers.get('x-thing'), 'yes');
    assert.deepEqual(result.json, { a: 1 });
    assert.equal(fake.requests.at(-1)?.path, '/x?y=1');
  });

  test('an answered call keeps nothing of its exchange alive until its budget would have run out', async () => {
    fake.respondWith(answer.json(201, { reference: 'KEPT-1' }));
    const answerRef = await get().then((answered) => {
      assert.equal(answered.kind, 'answered');
      return new WeakRef(answered);
    });
    // Well inside the call's budget (AMPLE_BUDGET_MS): a deadline timer still armed would keep the answer.
    await collectGarbage();
    assert.equal(answerRef.deref(), undefined, 'the answer is still reachable after the call returned');
  });

  test('an empty or non-JSON body has json undefined and keeps the text', async () => {
    fake.respondWith(answer.text(500, 'Internal Server Error'));
    const result = await get();
    assert.ok(
      result.kind === 'answered' && result.json === undefined && result.text === 'Internal Server Error',
    );
  });

  test('a body of exactly 1 MiB is read; one byte more is refused', async () => {
    fake.respondWith(answer.oversized(MAX_ANSWER_BYTES));
    assert.equal((await get()).kind, 'answered');
    fake.respondWith(answer.oversized(MAX_ANSWER_BYTES + 1));
    assert.deepEqual(await get(), { kind: 'failed', failure: { kind: 'oversized' } });
  });

  test('a URL carrying a user name or password is refused without a request', async () => {
    const before = fake.requests.length;
    const url = fake.url.replace('http://', `http://user:${PLANTED_SECRET}@`);
    const result = await deskCall({ method: 'GET', url, headers: {}, timeoutMs: FAST_BUDGET_MS });
    assert.deepEqual(result, { kind: 'failed', failure: { kind: 'invalid-url' } });
    assert.equal(fake.requests.length, before);
  });

  test('hanging calls do not queue behind each other: 50 at once all end within one budget', async () => {
    fake.respondWith(answer.hang());
    const { value, ms } = await timed(() =>
      Promise.all(Array.from({ length: 50 }, () => get('/', FAST_BUDGET_MS))),
    );
    assert.ok(value.every((r) => r.kind === 'failed' && r.failure.kind === 'timeout'));
    // Queued one after another they would take 50 budgets (15 s); together they take about one.
    assert.ok(ms < FAST_BUDGET_MS * 5, `took ${ms} ms`);
  });

  test(`at the default budget (${MAX_DESK_TIMEOUT_MS} ms) a trickling body is cut at 5 s`, async () => {
    fake.respondWith(answer.slowBody(201, 200));
    const desk = createSupportDesk(deskConfig('webhook', fake.url, { timeoutMs: MAX_DESK_TIMEOUT_MS }));
    const { value, ms } = await timed(() => desk.createTicket(ticketRequest()));
    assert.ok(ms >= MAX_DESK_TIMEOUT_MS - 20 && ms < MAX_DESK_TIMEOUT_MS + SLACK_MS, `took ${ms} ms`);
    assert.equal(value.kind, 'failed');
    assert.match(
      (value as { summary: string }).summary,
      /^Not confirmed within 5 s — the desk may still have created it; search it for SR-20261123-ABC123/,
    );
  });
});

describe('failure summaries', () => {
  test('the budget in seconds as configured', () => {
    assert.equal(budgetText(5000), '5 s');
    assert.equal(budgetText(2500), '2.5 s');
    assert.equal(budgetText(300), '0.3 s');
  });

  test('no configured secret survives, wherever it came from', () => {
    const config = deskConfig('webhook', `https://hooks.example.com/in?key=${PLANTED_SECRET}-url`, {
      apiToken: `${PLANTED_SECRET}-token`,
      secret: `${PLANTED_SECRET}-hmac`,
    });
    const text = `a ${PLANTED_SECRET}-token b ${PLANTED_SECRET}-hmac c key=${PLANTED_SECRET}-url`;
    const safe = withoutSecrets(text, config);
    assert.ok(!safe.includes(PLANTED_SECRET), safe);
  });

  test('a timeout of a desk that de-duplicates says sending again is safe; others do not claim it', async () => {
    const fake = await startFakeDesk(answer.hang());
    try {
      const zendesk = await createSupportDesk(deskConfig('zendesk', fake.url)).createTicket(ticketRequest());
      const freshdesk = await createSupportDesk(deskConfig('freshdesk', fake.url)).createTicket(
        ticketRequest(),
      );
      assert.match(JSON.stringify(zendesk), /Zendesk keeps one ticket per reference/);
      assert.doesNotMatch(JSON.stringify(freshdesk), /keeps one ticket/);
    } finally {
      await fake.close();
    }
  });
});

/** A full collection, twice (a first one may only run finalizers), without --expose-gc on the runner. */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let round = 0; round < 2; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
}
