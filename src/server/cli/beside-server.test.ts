// The real `tenantpilot serve` as a child process, and the admin commands run beside it on its embedded database.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  outputLines,
  runCli,
  runCliInProcess,
  type ServingCli,
  serveCli,
} from '../../../test/helpers/cli-process.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-beside-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const POSTGRES = 'with DATABASE_URL (PostgreSQL) the command line works beside running servers.';

describe('first run, and the command line beside a running server', () => {
  const dataDir = path.join(scratch, 'first-run');
  let server: ServingCli;
  let setupLink = '';

  test('serve on a database with no user prints a one-time setup link that works', async () => {
    server = await serveCli(dataDir);
    const match = /\n {2}(http:\S+\/setup\/[A-Za-z0-9_-]{43})\n/.exec(server.output());
    assert.ok(match?.[1], server.output());
    setupLink = match[1];
    assert.ok(setupLink.startsWith(`${server.url}/setup/`));
    const check = await fetch(setupLink, { headers: { accept: 'application/json' } });
    assert.equal(check.status, 200);
    assert.deepEqual(await check.json(), { valid: true });
  });

  const refused: [string[], RegExp][] = [
    [
      ['users', 'create', '--email', 'ann@example.test', '--name', 'Ann'],
      /: invite people on its Administration → People page /,
    ],
    [
      ['users', 'deactivate', '--email', 'ann@example.test'],
      /: suspend people on its Administration → People page /,
    ],
    [
      ['tokens', 'create', '--email', 'ann@example.test'],
      /: people create their own API tokens on its Account page /,
    ],
    [
      ['tokens', 'revoke', '--id', '1'],
      /: revoke tokens on its Account page \(your own\) or Administration → API tokens/,
    ],
    [
      ['members', 'add', '--workspace', 'northwind', '--email', 'ann@example.test', '--role', 'operator'],
      /: add people on its Administration → People page /,
    ],
    [
      ['members', 'grant', '--tenant', 'fabrikam', '--email', 'ann@example.test', '--role', 'operator'],
      /: grant tenant roles on its Administration → People page /,
    ],
  ];
  for (const [index, [args, instead]] of refused.entries()) {
    test(`${args.slice(0, 2).join(' ')} while the server holds the database: one line saying what to do instead, exit 1`, async () => {
      // The first through the real bin (its exit code), the others through the same entry point in this
      // process: a separate process from the server either way, which is what the lock sees.
      const result = await (index === 0 ? runCli : runCliInProcess)(dataDir, args);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.equal(outputLines(result.stderr).length, 1, result.stderr);
      const line = result.stderr.trim();
      const held = `tenantpilot: The embedded database in ${dataDir} is held by the TenantPilot server at ${server.url} (pid ${server.pid}): `;
      assert.ok(line.startsWith(held), line);
      assert.match(line, instead);
      assert.match(
        line,
        new RegExp(
          `\\(${escapeRegExp(server.url)}/admin\\), which does the same, or stop the server and run this again; `,
        ),
      );
      assert.ok(line.endsWith(POSTGRES), line);
    });
  }

  test('a command with nothing in the web UI is told to stop the server first', async () => {
    const result = await runCliInProcess(dataDir, ['migrate']);
    assert.equal(result.code, 1);
    assert.deepEqual(outputLines(result.stderr), [
      `tenantpilot: The embedded database in ${dataDir} is held by the TenantPilot server at ${server.url} (pid ${server.pid}): stop the server first, then run this again; ${POSTGRES}`,
    ]);
  });

  test('setup through the server; stopped, it releases the database and withdraws its note', async () => {
    const response = await fetch(setupLink, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        workspace_name: 'Northwind MSP',
        workspace_slug: 'northwind',
        display_name: 'Nora Owner',
        email: 'nora@northwind.test',
        password: 'a long enough passphrase',
      }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    assert.equal((await fetch(setupLink, { headers: { accept: 'application/json' } })).status, 410);
    assert.equal(await server.stop(), 0);
    assert.equal(fs.existsSync(path.join(dataDir, 'tenantpilot.lock')), false);
    assert.equal(fs.existsSync(path.join(dataDir, 'tenantpilot.server.json')), false);
  });
});
