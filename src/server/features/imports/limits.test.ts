import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { directoryId, maesterResult } from '../../../../test/helpers/result-files.ts';
import { findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';

/** docs/rules.md "Imports": files up to 50 MB are read as a stream; bigger ones are 413, nothing written. */
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

const _counts = async () => ({
  runs: (await t.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenant.id))).length,
  findings: (await t.db.select().from(findings).where(eq(findings.tenantId, tenant.id))).length,
});

test('a 49 MB Maester file imports: 750 findings, the bulk dropped as it streams past', async () => {
  const file = maesterOfSize(49 * MB, '2026-11-20T10:00:00Z');
  assert.ok(file.length > 48 * MB && file.length <= 49 * MB, `${file.length} bytes`);
  const response = await importFile(file);
  assert.equal(response.statusCode, 201, response.body.slice(0, 500));
  assert.deepEqual(response.json().counts, {
    created: 750,
    reopened: 0,
    resolved: 0,
    unchanged: 750,
    ignored: 0,
  });
  const [row] = await t.db.select().from(findings).where(eq(findings.checkId, 'MT.1000'));
  assert.equal(row?.evidence, '| Policy | State |\n| --- | --- |\n| p0 | off |');
});
