// `tenantpilot import FILE [--tenant EXTERNAL_ID]`: the imports service from the command line, with no actor.
// Run in this process through the command line's entry point (output captured), on the embedded database or,
// with TEST_DATABASE_URL, on PostgreSQL through DATABASE_URL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { outputLines, runCliInProcess as runCli } from '../../../test/helpers/cli-process.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { directoryId, maesterMerged, maesterResult } from '../../../test/helpers/result-files.ts';
import { type Database, type Db, openDatabase } from '../db/client.ts';
import { auditEvents } from '../features/audit/tables.ts';
import { findings } from '../features/findings/tables.ts';
import { tenants, workspaces } from '../features/tenancy/tables.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-import-'));
const dataDir = path.join(dir, 'data');
let target: string | { url: string } = dataDir;
let postgres: (Database & { url: string | null }) | null = null;
const fabrikam = directoryId();
const contoso = directoryId();

after(async () => {
  await postgres?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  if (postgres) return work(postgres.db);
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await database.migrate();
    return await work(database.db);
  } finally {
    await database.close();
  }
}

before(async () => {
  if (process.env.TEST_DATABASE_URL) {
    postgres = await createTestDatabase();
    target = { url: postgres.url as string };
  }
  await withDb(async (db) => {
    const [workspace] = await db
      .insert(workspaces)
      .values({ slug: 'northwind', name: 'Northwind' })
      .returning();
    assert.ok(workspace);
    await db.insert(tenants).values([
      { workspaceId: workspace.id, externalId: 'fabrikam', name: 'Fabrikam', directoryId: fabrikam },
      { workspaceId: workspace.id, externalId: 'contoso', name: 'Contoso', directoryId: contoso },
    ]);
  });
});

function writeFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

const findingsOf = (externalId: string) =>
  withDb(async (db) => {
    const [tenant] = await db.select().from(tenants).where(eq(tenants.externalId, externalId));
    return db
      .select()
      .from(findings)
      .where(eq(findings.tenantId, tenant?.id ?? 0));
  });

test('a merged file without --tenant: each part to the tenant with its directory id, the answer printed as JSON', async () => {
  const file = writeFile(
    'TestResults-merged.json',
    maesterMerged([
      maesterResult({ tenantId: fabrikam, tests: [{ id: 'MT.1', title: 'One', result: 'Failed' }] }),
      maesterResult({ tenantId: contoso, tests: [{ id: 'MT.1', title: 'One', result: 'Passed' }] }),
    ]),
  );
  const result = await runCli(target, ['import', file]);
  assert.equal(result.code, 0, result.stderr);
  const answer = JSON.parse(result.stdout);
  assert.deepEqual(answer.counts, { created: 1, reopened: 0, resolved: 0, unchanged: 1, ignored: 0 });
  assert.deepEqual(
    answer.imports.map((part: { run: { tenant: { external_id: string } } }) => part.run.tenant.external_id),
    ['fabrikam', 'contoso'],
  );
  const events = await withDb((db) =>
    db.select().from(auditEvents).where(eq(auditEvents.action, 'finding.imported')),
  );
  assert.equal(events[0]?.actorUserId, null, 'the command line has no actor');
  // Again: nothing changes, the same runs are answered.
  const again = JSON.parse((await runCli(target, ['import', file])).stdout);
  assert.equal(again.already_imported, true);
});

test('--tenant names the tenant; a file for another directory is refused in one line, exit 1, nothing written', async () => {
  const file = writeFile(
    'TestResults-contoso.json',
    maesterResult({
      tenantId: contoso,
      executedAt: '2026-11-25T10:00:00Z',
      tests: [{ id: 'MT.2', title: 'Two', result: 'Failed' }],
    }),
  );
  const refused = await runCli(target, ['import', '--tenant', 'fabrikam', file]);
  assert.equal(refused.code, 1);
  assert.equal(outputLines(refused.stderr).length, 1);
  assert.match(refused.stderr, /\$\.TenantId The file is for directory .*, not Fabrikam/);
  assert.equal((await findingsOf('fabrikam')).length, 1);
  const ok = await runCli(target, ['import', '--tenant', 'contoso', file]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).run.tenant.external_id, 'contoso');
});

test('an unreadable file, malformed JSON and an unknown tenant each say so in one line', async () => {
  const missing = await runCli(target, ['import', path.join(dir, 'nope.json')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read .*nope\.json: no such file/);
  const broken = path.join(dir, 'broken.json');
  fs.writeFileSync(broken, '{"TenantId": "x", "Tests": [');
  const malformed = await runCli(target, ['import', broken]);
  assert.equal(malformed.code, 1);
  assert.match(malformed.stderr, /not valid JSON: \$\.Tests/);
  const unknown = await runCli(target, ['import', '--tenant', 'no-such', broken]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No tenant has the external id no-such/);
});
