import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settleWithin } from './deadline.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('work that settles first gives its outcome, and the expiry never runs after it', async () => {
  let expired = 0;
  const outcome = await settleWithin(Promise.resolve('done'), 30, () => {
    expired += 1;
    return 'expired';
  });
  assert.equal(outcome, 'done');
  await pause(60);
  assert.equal(expired, 0, 'the timer was left armed');
});

test('work that has not settled by the deadline gives what the expiry answers', async () => {
  const never = new Promise<string>(() => {});
  const started = performance.now();
  assert.equal(await settleWithin(never, 30, () => 'expired'), 'expired');
  assert.ok(performance.now() - started >= 25);
});
