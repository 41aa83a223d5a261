// `tenantpilot serve --demo` (what `npm start` runs) on an empty database loads the demo, not first-run setup.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { serveCli } from '../../../test/helpers/cli-process.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-serve-demo-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('serve --demo on an empty database loads the demo instead of printing a setup link', async () => {
  const server = await serveCli(path.join(scratch, 'demo'), ['--demo']);
  try {
    assert.match(server.output(), /owner@demo\.tenantpilot\.test/);
    assert.doesNotMatch(server.output(), /\/setup\//);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
