import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { directoryId, maesterResult, scubaResults } from '../../../../test/helpers/result-files.ts';
import { findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { MAX_IMPORT_BYTES } from './read-json.ts';

/** docs/rules.md "Imports": a ScubaGear file made big by its Raw export is read as a stream; over 50 MB is 413. */
let t: TestApp;
let tenant: make.Tenant;
let owner: Credential;
const MB = 1024 * 1024;

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id, directoryId: directoryId() });
  const user = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'owner' });
  owner = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
});

after(() => t.close());

/** A Maester file of about `bytes`, its bulk in ScriptBlock and ErrorRecord as in a real run's. */
function maesterOfSize(bytes: number, executedAt: string): Buffer {
  const tests = Array.from({ length: 1500 }, (_, i) => ({
    id: `MT.${1000 + i}`,
    title: `Check ${i}`,
    result: (i % 2 ? 'Passed' : 'Failed') as 'Passed' | 'Failed',
    severity: 'High',
    description: 'Why it matters, in markdown.',
    evidence: `| Policy | State |\n| --- | --- |\n| p${i} | off |`,
  }));
  const probe = Buffer.byteLength(
    JSON.stringify(maesterResult({ tenantId: tenant.directoryId as string, tests, executedAt })),
  );
  // Failed tests carry the padding twice (ScriptBlock and the error record's stack trace).
  const padding = Math.floor((bytes - probe) / (1500 * 1.5));
  return Buffer.from(
    JSON.stringify(
      maesterResult({ tenantId: tenant.directoryId as string, tests, executedAt, scriptPadding: padding }),
    ),
  );
}

const importFile = (payload: Buffer) =>
  request(t.app, owner, {
    method: 'POST',
    url: `/admin/t/${tenant.externalId}/imports`,
    payload,
    headers: { 'content-type': 'application/json' },
  });

const counts = async () => ({
  runs: (await t.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenant.id))).length,
  findings: (await t.db.select().from(findings).where(eq(findings.tenantId, tenant.id))).length,
});

test('a ScubaGear file whose Raw export makes it 49 MB imports', async () => {
  const base = {
    tenantId: tenant.directoryId as string,
    products: {
      AAD: [{ id: 'MS.AAD.1.1v1', requirement: 'r', result: 'Fail' as const, criticality: 'Shall' }],
    },
  };
  const probe = Buffer.byteLength(JSON.stringify(scubaResults(base)));
  const file = Buffer.from(JSON.stringify(scubaResults({ ...base, rawPadding: 49 * MB - probe })));
  assert.equal(file.length, 49 * MB);
  const response = await importFile(file);
  assert.equal(response.statusCode, 201, response.body.slice(0, 500));
  assert.equal(response.json().counts.created, 1);
});

test('51 MB, and 50 MB and one byte, are 413 in the standard body; nothing is written', async () => {
  const before = await counts();
  const file = maesterOfSize(51 * MB, '2026-11-21T10:00:00Z');
  assert.ok(file.length > MAX_IMPORT_BYTES);
  const response = await importFile(file);
  assert.equal(response.statusCode, 413);
  assert.deepEqual(response.json(), {
    error: { code: 'payload_too_large', message: 'The file is larger than 50 MB' },
  });
  assert.deepEqual(await counts(), before);
  // Over by one byte: still refused, from the declared length, before any of it is read.
  const over = Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x20);
  assert.equal((await importFile(over)).statusCode, 413);
  assert.deepEqual(await counts(), before);
});
