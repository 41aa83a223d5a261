// Importing results in the browser: a Maester file on a tenant, the result, the run, a new finding with the
// tool's markdown rendered safely; a refused file; a merged file on the workspace overview; a readonly member.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { directoryId, maesterMerged, maesterResult } from '../helpers/result-files.ts';
import {
  assertAccessible,
  checkAtPhoneWidth,
  screenshot,
  signInAs,
  withServerAndBrowser,
} from './helpers.ts';

const started = withServerAndBrowser(join(import.meta.dirname, 'imports.fixture.json'));
const page = () => started.page();
const contoso = directoryId();
const fabrikam = directoryId();

const OWNER = ['owen.owner@acme.test', 'owner-password-1234'] as const;

/** The owner gives a tenant its directory id, as Administration → Tenants does (through the same API). */
async function setDirectoryId(p: Page, tenant: string, id: string) {
  const session = await (
    await p.request.get('/api/session', { headers: { accept: 'application/json' } })
  ).json();
  const response = await p.request.patch(`/admin/w/acme/tenants/${tenant}`, {
    headers: { 'x-csrf-token': session.csrf_token, accept: 'application/json' },
    data: { directory_id: id },
  });
  assert.equal(response.status(), 200, await response.text());
}

const file = (name: string, content: unknown) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(JSON.stringify(content)),
});

async function chooseFile(p: Page, upload: ReturnType<typeof file>) {
  await p.locator('input[type="file"]').setInputFiles(upload);
  await p.getByText(upload.name).waitFor();
}

test('an owner imports a Maester file on the tenant and opens a new finding: markdown rendered, its script never run', async () => {
  const p = page();
  await signInAs(p, ...OWNER);
  await setDirectoryId(p, 'contoso', contoso);
  await setDirectoryId(p, 'fabrikam', fabrikam);
  await p.goto('/admin/t/contoso');
  await p.getByRole('button', { name: 'Import results' }).click();
  const dialog = p.getByRole('dialog', { name: 'Import results' });
  await dialog.waitFor();
  await assertAccessible(p, 'import dialog');
  await screenshot(p, 'imports-01-dialog', { window: true });
  await checkAtPhoneWidth(p, 'imports-01-dialog', { window: true });

  // Import with no file: the dialog says what is missing.
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await dialog.getByText('Choose a result file first.').waitFor();

  const results = maesterResult({
    tenantId: contoso,
    tests: [
      {
        id: 'MT.1005',
        title: 'All Conditional Access policies are enabled',
        result: 'Failed',
        severity: 'High',
        description:
          '## Why it matters\n\nDisabled policies protect **nobody**.\n\n<script>window.__pwned = true</script>\n\n<img src="x" onerror="window.__pwned = true">\n\n[A link](javascript:window.__pwned=true)',
        evidence: '| Policy | State |\n| --- | --- |\n| Block legacy auth | disabled |',
      },
      { id: 'MT.1006', title: 'Security defaults are off', result: 'Passed', severity: 'Medium' },
      { id: 'MT.1007', title: 'Exchange audit is on', result: 'Skipped' },
    ],
  });
  await chooseFile(p, file('TestResults-2026-11-20.json', results));
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await dialog.getByText('1 assessment imported from a Maester file.').waitFor();
  const counts = await dialog.getByRole('table').innerText();
  assert.match(counts, /New findings[\s\S]*1/);
  assert.match(counts, /Not judged[\s\S]*1/);
  await assertAccessible(p, 'import result');
  await screenshot(p, 'imports-02-result', { window: true });
  await checkAtPhoneWidth(p, 'imports-02-result', { window: true });

  // The run it made.
  await dialog.getByRole('link', { name: /^Open run #\d+$/ }).click();
  await p.waitForURL('**/admin/operations/*');
  await p
    .getByText(/Maester: 1 failed \(1 new, 0 reopened\), 1 passed/)
    .first()
    .waitFor();
  await screenshot(p, 'imports-03-run');

  // Its findings: the list filtered by source, then the new finding.
  await p.goto('/admin/t/contoso/findings?source=maester&workflow_status=any');
  await p.getByRole('row', { name: /All Conditional Access policies are enabled/ }).waitFor();
  await screenshot(p, 'imports-04-findings-by-source');
  await p.getByRole('link', { name: 'All Conditional Access policies are enabled' }).click();
  await p.getByRole('heading', { name: 'From Maester' }).waitFor();
  const report = p.getByRole('region', { name: 'From Maester' });
  await report.getByRole('heading', { name: 'Why it matters' }).waitFor();
  assert.equal(await report.locator('strong', { hasText: 'nobody' }).count(), 1, 'markdown rendered');
  assert.equal(
    await report.getByRole('cell', { name: 'Block legacy auth' }).count(),
    1,
    'evidence table rendered',
  );
  assert.equal(
    await report.locator('script, img[onerror], [onerror]').count(),
    0,
    'no script or handler in the page',
  );
  const link = report.getByRole('link', { name: 'A link' });
  if ((await link.count()) > 0) assert.doesNotMatch((await link.getAttribute('href')) ?? '', /^javascript:/i);
  await p.waitForTimeout(300);
  assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
  const text = await report.innerText();
  assert.match(text, /MT\.1005/);
  assert.match(text, /Maester documentation for MT\.1005/);
  assert.equal(
    await report.getByRole('link', { name: 'Maester documentation for MT.1005' }).getAttribute('href'),
    'https://maester.dev/docs/tests/MT.1005',
  );
  await assertAccessible(p, 'finding from Maester');
  await screenshot(p, 'imports-05-finding');
  await checkAtPhoneWidth(p, 'imports-05-finding');
  // The history names the import as the cause.
  await p.getByText(/Finding imported \(import, run #\d+\)/).waitFor();
});

test('a file for another tenant is refused, saying where; a merged file on the workspace overview goes to each tenant', async () => {
  const p = page();
  await p.goto('/admin/t/contoso');
  await p.getByRole('button', { name: 'Import results' }).click();
  const dialog = p.getByRole('dialog', { name: 'Import results' });
  await chooseFile(p, file('TestResults-fabrikam.json', maesterResult({ tenantId: fabrikam, tests: [] })));
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const refusal = dialog.getByRole('alert');
  await refusal.getByText('Not imported: nothing was written').waitFor();
  assert.match(await refusal.innerText(), /\$\.TenantId[\s\S]*not Contoso Ltd/);
  await assertAccessible(p, 'refused import');
  await screenshot(p, 'imports-06-refused', { window: true });
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await p.goto('/admin/w/acme/overview');
  await p.getByRole('button', { name: 'Import results' }).click();
  const overviewDialog = p.getByRole('dialog', { name: 'Import results' });
  const unknown = directoryId();
  const merged = maesterMerged([
    maesterResult({
      tenantId: fabrikam,
      executedAt: '2026-11-21T09:00:00Z',
      tests: [{ id: 'MT.1', title: 'Fabrikam check', result: 'Failed' }],
    }),
    maesterResult({
      tenantId: unknown,
      executedAt: '2026-11-21T09:00:00Z',
      tests: [{ id: 'MT.1', title: 'x', result: 'Failed' }],
    }),
  ]);
  await chooseFile(p, file('TestResults-merged.json', merged));
  await overviewDialog.getByRole('button', { name: 'Import', exact: true }).click();
  await overviewDialog.getByRole('heading', { name: 'Fabrikam Inc' }).waitFor();
  await overviewDialog.getByRole('heading', { name: 'Not imported (1)' }).waitFor();
  assert.match(
    await overviewDialog.innerText(),
    new RegExp(`No tenant of this workspace has directory id ${unknown}`),
  );
  await assertAccessible(p, 'merged import result');
  await screenshot(p, 'imports-07-merged', { window: true });
  await checkAtPhoneWidth(p, 'imports-07-merged', { window: true });
  await overviewDialog.getByRole('button', { name: 'Close', exact: true }).click();
});

test('a readonly member sees no Import results button', async () => {
  const p = page();
  await p.context().clearCookies();
  await signInAs(p, 'rita.readonly@acme.test', 'readonly-password-1234');
  await p.goto('/admin/t/contoso');
  await p.getByRole('heading', { name: 'Contoso Ltd' }).waitFor();
  assert.equal(await p.getByRole('button', { name: 'Import results' }).count(), 0);
});
