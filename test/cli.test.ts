// The real `tenantpilot` command, run as a child process against an embedded database of its own.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../src/server/db/client.ts';
import { digestSecret, verifyPassword } from '../src/server/features/tenancy/credentials.ts';
import { apiTokens, users } from '../src/server/features/tenancy/tables.ts';
import { type CliResult, outputOf } from './helpers/cli-process.ts';

const bin = path.resolve(import.meta.dirname, '../bin/tenantpilot.js');
const fixtures = path.resolve(import.meta.dirname, 'fixtures');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cli-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TENANTPILOT_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  delete childEnv.TENANTPILOT_DEBUG;
  // Run from elsewhere than the checkout: the command must not depend on the working directory.
  return spawn(process.execPath, [bin, ...args], { cwd: os.tmpdir(), env: childEnv });
}

function run(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  return outputOf(start(args, options.env), options.input);
}

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('tenantpilot without a database', () => {
  test('--help prints the commands and exits 0', async () => {
    const result = await run(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: tenantpilot <command>/);
    for (const command of ['serve', 'migrate', 'fixtures load', 'seed', 'users create', 'tokens revoke']) {
      assert.ok(result.stdout.includes(`  ${command} `), command);
    }
    assert.equal(result.stderr, '');
  });

  test('an unknown command: one line and a usage hint, exit 2', async () => {
    const result = await run(['frobnicate']);
    assert.equal(result.code, 2);
    assert.deepEqual(lines(result.stderr), [
      'tenantpilot: unknown command "frobnicate"',
      'Run "tenantpilot --help" for usage.',
    ]);
  });

  test('a bad configuration: one line, no stack, exit 1', async () => {
    const result = await run(['migrate'], { env: { SUPPORT_DESK_TIMEOUT_MS: '9000' } });
    assert.equal(result.code, 1);
    assert.deepEqual(lines(result.stderr), [
      'tenantpilot: SUPPORT_DESK_TIMEOUT_MS must be at most 5000, got 9000',
    ]);
    assert.equal(result.stdout, '');
  });
});

describe('tenantpilot on an embedded database', () => {
  let token = '';

  test('migrate', async () => {
    const result = await run(['migrate']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `Migrations applied to the embedded database in ${dataDir}.\n`);
  });

  test('fixtures load: a good file prints the ids as one JSON line', async () => {
    const result = await run(['fixtures', 'load', path.join(fixtures, 'small.json')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(lines(result.stdout).length, 1);
    const ids = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(ids), [
      'workspaces',
      'users',
      'tenants',
      'operation_runs',
      'findings',
      'finding_exceptions',
    ]);
    assert.deepEqual(Object.keys(ids.users), ['alice', 'bob']);
    assert.ok(Number.isInteger(ids.findings.f2));

    // The load leaves the embedded database analyzed (it has no autovacuum): the planner knows the rows.
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const analyzed = await queryRows<{ table: string; rows: number }>(
        database.db,
        sql`select relname as "table", reltuples::int as rows from pg_class
            where relname in ('users', 'findings') and relkind = 'r' order by relname`,
      );
      assert.deepEqual(analyzed, [
        { table: 'findings', rows: 2 },
        { table: 'users', rows: 2 },
      ]);
    } finally {
      await database.close();
    }
  });

  test('fixtures load: a bad file names the record and field, exit 1, nothing on stdout', async () => {
    const file = path.join(fixtures, 'bad-reference.json');
    const result = await run(['fixtures', 'load', file]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.deepEqual(lines(result.stderr), [
      `tenantpilot: ${file}: findings[0] (key "f1") owner: unknown user key "bob"`,
    ]);
  });

  test('users create reads the password from stdin', async () => {
    const result = await run(
      ['users', 'create', '--email', 'dana@example.test', '--name', 'Dana', '--password-stdin'],
      {
        input: 'a password from a pipe\n',
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Created user \d+ dana@example\.test \(active, with a password\)\.\n$/);
  });

  test('tokens create prints the token once, alone on stdout', async () => {
    const result = await run(['tokens', 'create', '--email', 'dana@example.test']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^tp_[A-Za-z0-9_-]{43}\n$/);
    token = result.stdout.trim();
    assert.ok(!result.stderr.includes(token));
    assert.match(result.stderr, /shown only this once/);
  });

  test('serve answers /healthz; a second process on the same data directory is refused; SIGTERM exits 0', async () => {
    const server = start(['serve', '--port', '0']);
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout?.on('data', (chunk) => {
        output += chunk;
        const match = /TenantPilot is running at (http:\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      server.on('exit', (code) => reject(new Error(`serve exited ${code} before listening: ${output}`)));
    });
    const exited = new Promise((resolve) => server.on('exit', resolve));
    try {
      const health = await fetch(`${url}/healthz`);
      assert.deepEqual(await health.json(), { status: 'ok' });

      const second = await run(['migrate']);
      assert.equal(second.code, 1);
      assert.equal(lines(second.stderr).length, 1);
      assert.match(
        second.stderr,
        /^tenantpilot: The embedded database in .* is held by the TenantPilot server at http:\S+ \(pid \d+\): stop the server first/,
      );
    } finally {
      server.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.equal(fs.existsSync(path.join(dataDir, 'tenantpilot.lock')), false, 'the lock is released');
  });

  test('what the commands stored: the password hashed, the token as a digest only', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const [dana] = await database.db.select().from(users).where(eq(users.email, 'dana@example.test'));
      assert.ok(await verifyPassword(dana?.passwordHash ?? null, 'a password from a pipe'));
      const tokens = await database.db
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.userId, dana?.id ?? -1));
      assert.deepEqual(
        tokens.map((t) => t.tokenHash),
        [digestSecret(token)],
      );
    } finally {
      await database.close();
    }
  });
});
