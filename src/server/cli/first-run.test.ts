// `tenantpilot serve` prints no setup link once someone has an account (serve-demo.test.ts: nor with --demo);
// a command refused by a lock another command holds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { outputLines, runCli, serveCli } from '../../../test/helpers/cli-process.ts';
import { openDatabase } from '../db/client.ts';
import { users } from '../features/tenancy/tables.ts';
import { EMBEDDED_DURABILITY } from '../main.ts';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-first-run-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('a start once someone has an account prints no setup link', async () => {
  const dataDir = path.join(scratch, 'with-user');
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await database.migrate();
    await database.db.insert(users).values({ email: 'ann@example.test', displayName: 'Ann' });
  } finally {
    await database.close();
  }
  const server = await serveCli(dataDir);
  try {
    assert.equal(server.output(), `TenantPilot is running at ${server.url}\n${EMBEDDED_DURABILITY}\n`);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('held by another command, not a server: wait for it, one line, exit 1', async () => {
  const dataDir = path.join(scratch, 'held');
  fs.mkdirSync(dataDir, { recursive: true });
  // This test process is alive and is not the command: it plays a `fixtures load` in progress.
  fs.writeFileSync(path.join(dataDir, 'tenantpilot.lock'), String(process.pid));
  const result = await runCli(dataDir, ['users', 'deactivate', '--email', 'a@example.test']);
  assert.equal(result.code, 1);
  assert.deepEqual(outputLines(result.stderr), [
    `tenantpilot: The embedded database in ${dataDir} is in use by another TenantPilot process (pid ${process.pid}): wait for it to finish, or stop it, and run this again; with DATABASE_URL (PostgreSQL) the command line works beside running servers.`,
  ]);
});
