import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { MB, startLargeImportWorld } from '../../../../test/helpers/large-imports.ts';
import { findings } from '../findings/tables.ts';

/** docs/rules.md "Imports": files up to 50 MB are read as a stream; bigger ones are 413, nothing written. */
let world: Awaited<ReturnType<typeof startLargeImportWorld>>;
before(async () => {
  world = await startLargeImportWorld();
});
after(() => world.t.close());

test('a 49 MB Maester file imports: 750 findings, the bulk dropped as it streams past', async () => {
  const file = world.maesterOfSize(49 * MB, '2026-11-20T10:00:00Z');
  assert.ok(file.length > 48 * MB && file.length <= 49 * MB, `${file.length} bytes`);
  const response = await world.importFile(file);
  assert.equal(response.statusCode, 201, response.body.slice(0, 500));
  assert.deepEqual(response.json().counts, {
    created: 750,
    reopened: 0,
    resolved: 0,
    unchanged: 750,
    ignored: 0,
  });
  const [row] = await world.t.db.select().from(findings).where(eq(findings.checkId, 'MT.1000'));
  assert.equal(row?.evidence, '| Policy | State |\n| --- | --- |\n| p0 | off |');
});
