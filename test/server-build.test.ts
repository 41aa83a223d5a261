// Building dist/server: `tenantpilot` compiles the server when the build is missing or older than its
// sources, two commands at once both end with a complete build, and an up-to-date build is left alone.
// On a copy of the checkout whose node_modules has no tsx, run with no NODE_OPTIONS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { allButTsx, createCheckoutCopy } from './helpers/checkout-copy.ts';

const checkout = createCheckoutCopy();
const builtFile = (relative: string) => path.join(checkout.dir, 'dist', 'server', relative);
before(() => {
  checkout.copy('src/server', 'bin', 'scripts', 'package.json', 'package-lock.json');
  checkout.copy('tsconfig.json');
  checkout.linkNodeModules(allButTsx);
});
after(() => checkout.remove());

test('the first command of a fresh clone builds dist/server; two at once both end with a complete build', async () => {
  assert.equal(fs.existsSync(builtFile('cli/main.js')), false);
  const [first, second] = await Promise.all([checkout.run(['--help']), checkout.run(['--help'])]);
  for (const result of [first, second]) {
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Usage: tenantpilot <command>/);
  }
  assert.ok(fs.existsSync(builtFile('cli/main.js')));
  assert.ok(fs.existsSync(builtFile('db/migrations/0000_initial.sql')));
  assert.ok(fs.existsSync(builtFile('db/migrations/meta/_journal.json')));
  assert.ok(fs.existsSync(builtFile('features/tenancy/fixture.schema.json')));
  assert.equal(fs.existsSync(builtFile('cli/main.test.js')), false);
  assert.deepEqual(fs.readdirSync(path.join(checkout.dir, 'dist')).sort(), ['server', 'web']);
});

test('an edited source makes the next command rebuild before it runs; an up-to-date build is left alone', async () => {
  const source = path.join(checkout.dir, 'src', 'server', 'cli', 'commands', 'serve.ts');
  const text = fs.readFileSync(source, 'utf8');
  fs.writeFileSync(
    source,
    text.replace('Migrate the database and serve', 'Rebuilt: migrate the database and serve'),
  );
  const builtAt = fs.statSync(builtFile('cli/main.js')).mtimeMs;

  const result = await checkout.run(['--help']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Rebuilt: migrate the database and serve/);
  assert.ok(fs.statSync(builtFile('cli/main.js')).mtimeMs > builtAt);

  const unchanged = fs.statSync(builtFile('cli/main.js')).mtimeMs;
  assert.equal((await checkout.run(['--help'])).code, 0);
  assert.equal(fs.statSync(builtFile('cli/main.js')).mtimeMs, unchanged);
});
