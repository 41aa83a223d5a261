import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MB, startLargeImportWorld } from '../../../../test/helpers/large-imports.ts';
import { scubaResults } from '../../../../test/helpers/result-files.ts';
import { MAX_IMPORT_BYTES } from './read-json.ts';

/** docs/rules.md "Imports": a ScubaGear file made big by its Raw export is read as a stream; over 50 MB is 413. */
let world: Awaited<ReturnType<typeof startLargeImportWorld>>;
before(async () => {
  world = await startLargeImportWorld();
});
after(() => world.t.close());

test('a ScubaGear file whose Raw export makes it 49 MB imports', async () => {
  const base = {
    tenantId: world.tenantDirectoryId,
    products: {
      AAD: [{ id: 'MS.AAD.1.1v1', requirement: 'r', result: 'Fail' as const, criticality: 'Shall' }],
    },
  };
  const probe = Buffer.byteLength(JSON.stringify(scubaResults(base)));
  const file = Buffer.from(JSON.stringify(scubaResults({ ...base, rawPadding: 49 * MB - probe })));
  assert.equal(file.length, 49 * MB);
  const response = await world.importFile(file);
  assert.equal(response.statusCode, 201, response.body.slice(0, 500));
  assert.equal(response.json().counts.created, 1);
});

test('51 MB, and 50 MB and one byte, are 413 in the standard body; nothing is written', async () => {
  const before = await world.counts();
  const file = world.maesterOfSize(51 * MB, '2026-11-21T10:00:00Z');
  assert.ok(file.length > MAX_IMPORT_BYTES);
  const response = await world.importFile(file);
  assert.equal(response.statusCode, 413);
  assert.deepEqual(response.json(), {
    error: { code: 'payload_too_large', message: 'The file is larger than 50 MB' },
  });
  assert.deepEqual(await world.counts(), before);
  // Over by one byte: still refused, from the declared length, before any of it is read.
  const over = Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x20);
  assert.equal((await world.importFile(over)).statusCode, 413);
  assert.deepEqual(await world.counts(), before);
});
