// The production build: `tenantpilot` runs the compiled server (dist/server) on plain Node. The tests work
// on a copy of the checkout in a temporary directory whose node_modules has no tsx, run with no
// NODE_OPTIONS, so nothing could load TypeScript; the real checkout's build is never touched.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-compiled-'));
const checkout = path.join(work, 'checkout');
const dataDir = path.join(work, 'data');
const bin = path.join(checkout, 'bin', 'tenantpilot.js');
after(() => fs.rmSync(work, { recursive: true, force: true }));

const modules = fs.realpathSync(path.join(root, 'node_modules'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean }>;
};

/** A node_modules of links to the installed packages that `keep` names (`@scope/name` or `name`). */
function linkModules(target: string, keep: (name: string) => boolean) {
  fs.mkdirSync(target);
  for (const entry of fs.readdirSync(modules)) {
    const names = entry.startsWith('@')
      ? fs.readdirSync(path.join(modules, entry)).map((name) => `${entry}/${name}`)
      : [entry];
    for (const name of names.filter(keep)) {
      fs.mkdirSync(path.dirname(path.join(target, name)), { recursive: true });
      fs.symlinkSync(path.join(modules, name), path.join(target, name));
    }
  }
}

/**
 * The files a clone has that the build and the command need, dist/web being the real one (the UI build);
 * node_modules is every installed package but tsx (`npm ci`), or the runtime dependencies alone (`npm ci`
 * then `npm prune --omit=dev`), switched with `switchNodeModules`.
 */
function copyCheckout() {
  const copy = (relative: string) =>
    fs.cpSync(path.join(root, relative), path.join(checkout, relative), {
      recursive: true,
      filter: (source) => !source.endsWith('.test.ts'),
    });
  for (const relative of ['src/server', 'bin', 'scripts', 'package.json', 'package-lock.json'])
    copy(relative);
  for (const relative of ['tsconfig.json', 'tsconfig.build.json']) copy(relative);
  fs.mkdirSync(path.join(checkout, 'dist'));
  fs.symlinkSync(path.join(root, 'dist', 'web'), path.join(checkout, 'dist', 'web'));
  linkModules(path.join(work, 'modules-all'), (name) => name !== 'tsx' && name !== '.bin');
  linkModules(path.join(work, 'modules-runtime'), (name) => {
    const installed = lock.packages[`node_modules/${name}`];
    return installed !== undefined && installed.dev !== true;
  });
  switchNodeModules('all');
}

function switchNodeModules(which: 'all' | 'runtime') {
  fs.rmSync(path.join(checkout, 'node_modules'), { force: true });
  fs.symlinkSync(path.join(work, `modules-${which}`), path.join(checkout, 'node_modules'));
}

before(() => {
  const web = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-web-build.js')], { cwd: root });
  assert.equal(web.status, 0, String(web.stderr));
  copyCheckout();
});

function start(args: string[]): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, TENANTPILOT_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  for (const name of ['NODE_OPTIONS', 'DATABASE_URL', 'TENANTPILOT_DEBUG', 'TENANTPILOT_PUBLIC_URL']) {
    delete env[name];
  }
  return spawn(process.execPath, [bin, ...args], { cwd: os.tmpdir(), env });
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const builtFile = (relative: string) => path.join(checkout, 'dist', 'server', relative);

test('the first command of a fresh clone builds dist/server; two at once both end with a complete build', async () => {
  assert.equal(fs.existsSync(builtFile('cli/main.js')), false);
  const [first, second] = await Promise.all([run(['--help']), run(['--help'])]);
  for (const result of [first, second]) {
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: tenantpilot <command>/);
  }
  assert.ok(fs.existsSync(builtFile('cli/main.js')));
  assert.ok(fs.existsSync(builtFile('db/migrations/0000_initial.sql')));
  assert.ok(fs.existsSync(builtFile('features/tenancy/fixture.schema.json')));
  assert.equal(fs.existsSync(builtFile('cli/main.test.js')), false);
  assert.deepEqual(fs.readdirSync(path.join(checkout, 'dist')).sort(), ['server', 'web']);
});

describe('compiled, with no sources and the runtime dependencies only', () => {
  const sources = path.join(checkout, 'src', 'server');
  before(() => {
    fs.renameSync(sources, `${sources}.away`);
    switchNodeModules('runtime');
  });
  after(() => {
    fs.renameSync(`${sources}.away`, sources);
    switchNodeModules('all');
  });

  test('fixtures load migrates and loads a file checked against its schema', async () => {
    const loaded = await run(['fixtures', 'load', path.join(root, 'test', 'e2e', 'fixture.json')]);
    assert.equal(loaded.code, 0, loaded.stderr);
    assert.ok(JSON.parse(loaded.stdout).workspaces.acme > 0);
  });

  test('serve answers /healthz and a page, and its process runs nothing but the command', async () => {
    const server = start(['serve', '--port', '0']);
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
      assert.deepEqual(commandLine.slice(1, 3), [bin, 'serve'], 'no --import, no loader');
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});

test('an edited source makes the next command rebuild before it runs', async () => {
  const source = path.join(checkout, 'src', 'server', 'cli', 'commands', 'serve.ts');
  const text = fs.readFileSync(source, 'utf8');
  fs.writeFileSync(
    source,
    text.replace('Migrate the database and serve', 'Rebuilt: migrate the database and serve'),
  );
  const builtAt = fs.statSync(builtFile('cli/main.js')).mtimeMs;

  const result = await run(['--help']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Rebuilt: migrate the database and serve/);
  assert.ok(fs.statSync(builtFile('cli/main.js')).mtimeMs > builtAt);

  const unchanged = fs.statSync(builtFile('cli/main.js')).mtimeMs;
  assert.equal((await run(['--help'])).code, 0);
  assert.equal(
    fs.statSync(builtFile('cli/main.js')).mtimeMs,
    unchanged,
    'an up-to-date build is not rebuilt',
  );
});
