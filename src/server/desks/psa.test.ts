import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Deadline, type FetchOutcome, SharedCache } from './psa.ts';

const deadlineIn = (ms: number): Deadline => {
  const end = performance.now() + ms;
  return {
    remaining: () => Math.max(0, Math.floor(end - performance.now())),
    expired: () => performance.now() >= end,
  };
};

/** A desk that needs `needsMs` to answer: a fetch given less fails once its own time is up, as requestDesk does. */
function slowDesk(needsMs: number) {
  const budgets: number[] = [];
  const fetch = async (timeoutMs: number): Promise<FetchOutcome<string>> => {
    budgets.push(timeoutMs);
    if (timeoutMs < needsMs) {
      // The fetch's own abort comes a little after its caller stopped waiting.
      await sleep(timeoutMs + 40);
      return { ok: false, summary: `did not answer within ${timeoutMs} ms` };
    }
    await sleep(needsMs);
    return { ok: true, value: 'token', ttlMs: 60_000 };
  };
  return { fetch, budgets };
}

test('one fetch in flight serves every caller, and its value is cached', async () => {
  const cache = new SharedCache<string>();
  const desk = slowDesk(50);
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => cache.get('k', deadlineIn(2_000), desk.fetch)),
  );
  assert.ok(answers.every((answer) => answer.ok));
  assert.equal(cache.fetches, 1);
  assert.ok((await cache.get('k', deadlineIn(2_000), desk.fetch)).ok);
  assert.equal(cache.fetches, 1, 'the cached value, no second fetch');
});

test('a caller that joined a fetch started under a shorter budget asks again under its own when it fails', async () => {
  const cache = new SharedCache<string>();
  const desk = slowDesk(200);
  const hurried = await cache.get('k', deadlineIn(100), desk.fetch);
  assert.deepEqual(hurried, { ok: false, timedOut: true });
  // The hurried fetch is still in flight: the next caller joins it, sees it fail, and fetches once itself.
  const patient = await cache.get('k', deadlineIn(2_000), desk.fetch);
  assert.ok(patient.ok, JSON.stringify(patient));
  assert.equal(cache.fetches, 2);
  assert.ok(
    (desk.budgets[1] ?? 0) > 1_000,
    `the second fetch had the patient caller's budget: ${desk.budgets}`,
  );
});

test('a failure of a fetch with at least the caller budget is the answer: no second request', async () => {
  const cache = new SharedCache<string>();
  const rejecting = async (): Promise<FetchOutcome<string>> => {
    await sleep(20);
    return { ok: false, summary: 'HTTP 401' };
  };
  const first = cache.get('k', deadlineIn(2_000), rejecting);
  const second = cache.get('k', deadlineIn(1_000), rejecting);
  assert.deepEqual(await first, { ok: false, summary: 'HTTP 401' });
  assert.deepEqual(await second, { ok: false, summary: 'HTTP 401' });
  assert.equal(cache.fetches, 1);
});
