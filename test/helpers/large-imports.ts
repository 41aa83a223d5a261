import { eq } from 'drizzle-orm';
import { findings } from '../../src/server/features/findings/tables.ts';
import { operationRuns } from '../../src/server/features/operation-runs/tables.ts';
import { type Credential, request, startTestApp, type TestApp } from './app.ts';
import * as make from './factories.ts';
import { directoryId, maesterResult } from './result-files.ts';

export const MB = 1024 * 1024;

/**
 * docs/rules.md "Imports": one tenant with a directory id and its owner, for the files near the 50 MB limit
 * (split over several test files so each stays within the runner's time per file).
 */
export async function startLargeImportWorld() {
  const t: TestApp = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  const tenant = await make.createTenant(t.db, { workspaceId: workspace.id, directoryId: directoryId() });
  const user = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'owner' });
  const owner: Credential = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  const tenantDirectoryId = tenant.directoryId as string;

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
      JSON.stringify(maesterResult({ tenantId: tenantDirectoryId, tests, executedAt })),
    );
    // Failed tests carry the padding twice (ScriptBlock and the error record's stack trace).
    const padding = Math.floor((bytes - probe) / (1500 * 1.5));
    return Buffer.from(
      JSON.stringify(
        maesterResult({ tenantId: tenantDirectoryId, tests, executedAt, scriptPadding: padding }),
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

  return { t, tenant, tenantDirectoryId, maesterOfSize, importFile, counts };
}
