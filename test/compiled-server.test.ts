// The built server as deployed: dist/server with no sources beside it, the runtime dependencies alone (what
// `npm prune --omit=dev` leaves: no tsx, no TypeScript) and no NODE_OPTIONS, so nothing could load
// TypeScript. Migrations and the fixture schema are found from the compiled code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SERVING_START_FLAGS } from '../src/server/serving-memory.ts';
import { createCheckoutCopy, repoRoot, runtimeOnly } from './helpers/checkout-copy.ts';

const checkout = createCheckoutCopy();
before(() => {
  for (const script of ['ensure-server-build.js', 'ensure-web-build.js']) {
    const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', script)], { cwd: repoRoot });
    assert.equal(built.status, 0, String(built.stderr));
  }
  checkout.copy('dist/server', 'bin', 'scripts', 'package.json');
  checkout.linkNodeModules(runtimeOnly);
});
after(() => checkout.remove());

test('fixtures load migrates and loads a file checked against its schema', async () => {
  const loaded = await checkout.run(['fixtures', 'load', path.join(repoRoot, 'test', 'e2e', 'fixture.json')]);
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.ok(JSON.parse(loaded.stdout).workspaces.acme > 0);
});

test('serve answers /healthz and a page, its process running nothing but the command', async () => {
  const server = checkout.start(['serve', '--port', '0']);
  const exited = new Promise((resolve) => server.on('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout?.on('data', (chunk) => {
        output += chunk;
        const match = /TenantPilot is running at (http:\S+)\n/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
    });
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const page = await fetch(`${url}/admin`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
    const commandLine = fs.readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    // Before the command, only the V8 flags serve restarts itself with where Node can (serving-memory.ts).
    const nodeFlags = 'execve' in process ? SERVING_START_FLAGS : [];
    assert.deepEqual(
      commandLine.slice(1, -1),
      [...nodeFlags, checkout.bin, 'serve', '--port', '0'],
      'no loader',
    );
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
});

test('with sources newer than the build and no esbuild installed, the build runs and stderr says so', async () => {
  checkout.copy('src/server');
  const result = await checkout.run(['--help']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Usage: tenantpilot <command>/);
  assert.match(result.stderr, /older than src\/server, and esbuild is not installed to rebuild it/);
});
