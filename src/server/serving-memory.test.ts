// The serving memory settings take effect on the Node version running the tests.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { serveCli } from '../../test/helpers/cli-process.ts';

const run = promisify(execFile);
const settingModule = path.join(import.meta.dirname, 'serving-memory.ts');

const churn = (tight: boolean) => `
  import v8 from 'node:v8';
  ${tight ? `import { setServingFlags } from ${JSON.stringify(settingModule)}; setServingFlags();` : ''}
  const oldSpace = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space').space_size;
  const live = Array.from({ length: 300_000 }, (_, i) => ({ i, text: 'live-' + i }));
  const inFlight = [];
  let peak = 0;
  for (let round = 0; round < 400; round++) {
    inFlight.push(Array.from({ length: 4000 }, (_, j) => ({ round, j, text: 'done-' + round + '-' + j })));
    if (inFlight.length > 30) inFlight.shift();
    peak = Math.max(peak, oldSpace());
  }
  console.log(JSON.stringify({ peak, live: live.length }));
`;

async function peakOldSpace(tight: boolean): Promise<number> {
  const { stdout } = await run(process.execPath, [
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    churn(tight),
  ]);
  return (JSON.parse(stdout) as { peak: number }).peak;
}

// A process that keeps a live set and churns objects that outlive a few young collections (as requests in
// flight do) peaks at a smaller old space with the flags set from inside than without.
test('a serving process keeps its old space closer to what it keeps alive', async () => {
  const [loose, tight] = await Promise.all([peakOldSpace(false), peakOldSpace(true)]);
  // Measured 150–177 MiB without and 65–102 MiB with, on Node 20 and 24.
  assert.ok(
    tight < loose * 0.8,
    `peak old space ${tight >> 20} MiB with the setting, ${loose >> 20} MiB without`,
  );
});

test('serve on the embedded database runs with the flags V8 reads at its start where Node can restart itself', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-serving-flags-'));
  const server = await serveCli(dataDir);
  try {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    const commandLine = fs.readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    for (const flag of ['--heap-growing-percent=20', '--liftoff-only', '--max-semi-space-size=16']) {
      // Node 24: the same process (the id the test spawned), restarted with the flags; Node 20 cannot restart
      // itself, and sets what it can from inside (the test above).
      assert.equal(commandLine.includes(flag), 'execve' in process, `${flag} in ${commandLine}`);
    }
    assert.ok(commandLine.includes('serve'));
  } finally {
    assert.equal(await server.stop(), 0, 'serve exits 0 on SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
