import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WriteGroup } from './write-group.ts';

/** A writer that records each call's items and answers each item doubled, failing on items it is told to. */
function recordingWriter(refuse: (item: number) => boolean = () => false) {
  const calls: number[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const writeMany = async (items: readonly number[]) => {
    calls.push([...items]);
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight -= 1;
    const refused = items.find(refuse);
    if (refused !== undefined) throw new Error(`refused ${refused}`);
    return items.map((item) => item * 2);
  };
  return { calls, writeMany, mostInFlight: () => mostInFlight };
}

describe('WriteGroup', () => {
  test('writes arriving in one turn go together, each caller gets its own answer', async () => {
    const writer = recordingWriter();
    const group = new WriteGroup(writer.writeMany);
    const answers = await Promise.all([1, 2, 3, 4].map((item) => group.write(item)));
    assert.deepEqual(answers, [2, 4, 6, 8]);
    assert.deepEqual(writer.calls, [[1, 2, 3, 4]]);
  });

  test('a write alone goes out alone; what arrives while a group is written forms the next one', async () => {
    const writer = recordingWriter();
    const group = new WriteGroup(writer.writeMany);
    const first = group.write(1);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const later = [2, 3, 4].map((item) => group.write(item));
    assert.deepEqual(await Promise.all([first, ...later]), [2, 4, 6, 8]);
    assert.deepEqual(writer.calls, [[1], [2, 3, 4]]);
    assert.equal(writer.mostInFlight(), 1, 'one group in flight at a time');
  });

  test('no group is larger than the largest given', async () => {
    const writer = recordingWriter();
    const group = new WriteGroup(writer.writeMany, 2);
    assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map((item) => group.write(item))), [2, 4, 6, 8, 10]);
    assert.deepEqual(writer.calls, [[1, 2], [3, 4], [5]]);
  });

  test('a refused group is written again item by item: only the refused item fails its caller', async () => {
    const writer = recordingWriter((item) => item === 3);
    const group = new WriteGroup(writer.writeMany);
    const settled = await Promise.allSettled([1, 2, 3, 4].map((item) => group.write(item)));
    assert.deepEqual(
      settled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : String(outcome.reason))),
      [2, 4, 'Error: refused 3', 8],
    );
    assert.deepEqual(writer.calls.slice(1).sort(), [[1], [2], [3], [4]]);
  });

  test('a writer that answers the wrong number of results fails no caller silently', async () => {
    const group = new WriteGroup(async (items: readonly number[]) =>
      items.length > 1 ? [0] : [items[0] ?? 0],
    );
    assert.deepEqual(await Promise.all([5, 6].map((item) => group.write(item))), [5, 6]);
    const alone = new WriteGroup(async () => [] as number[]);
    await assert.rejects(alone.write(1), /answered 0 results for 1 items/);
  });

  test('the group keeps writing after a failure', async () => {
    const writer = recordingWriter((item) => item === 1);
    const group = new WriteGroup(writer.writeMany);
    await assert.rejects(group.write(1), /refused 1/);
    assert.equal(await group.write(7), 14);
  });
});
