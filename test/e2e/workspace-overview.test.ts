import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  checkAtPhoneWidth,
  screenshot,
  signInAs,
  withServerAndBrowser,
} from './helpers.ts';

/**
 * docs/rules.md "Workspace views" in the browser: an owner lands on the overview at /admin, sorts it by a
 * header, opens a tenant's accountability-gap count and gets that tenant's findings filtered to the 40 gaps,
 * searches from the header (`/` focuses the box), sees the findings across tenants, and works the approval
 * queue: approves the exception another owner requested and is told they cannot approve their own.
 */
const started = withServerAndBrowser(join(import.meta.dirname, 'workspace-overview.fixture.json'));
const page = (): Page => started.page();
const owner = { email: 'owen.owner@views.test', password: 'owner-password-1234' };
const requester = { email: 'rick.requester@views.test', password: 'requester-password-1234' };

async function settle(name: string) {
  await assertAccessible(page(), name);
  await screenshot(page(), name);
  await checkAtPhoneWidth(page(), name);
}

async function rowOf(tenant: string) {
  return page()
    .getByRole('row')
    .filter({ has: page().getByRole('link', { name: tenant, exact: true }) });
}

test('an owner lands on the overview at /admin', async () => {
  await page().goto('/admin');
  await signInAs(page(), owner.email, owner.password);
  await page().waitForURL('**/admin/w/msp/overview');
  await page().getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  const contoso = await rowOf('Contoso Ltd');
  // 25 without an owner and 15 owned by Leo, who has no role on Contoso: 40 gaps; 3 resolved ones do not count.
  await contoso
    .getByRole('link', { name: '40 open findings with an accountability gap in Contoso Ltd' })
    .waitFor();
  await contoso.getByRole('link', { name: '50 open findings in Contoso Ltd' }).waitFor();
  const fabrikam = await rowOf('Fabrikam Inc');
  await fabrikam.getByRole('link', { name: '3 pending exceptions in Fabrikam Inc' }).waitFor();
  await settle('workspace-overview');
});

test('the overview sorts by a header, and again the other way', async () => {
  const pending = page().getByRole('button', { name: 'Pending exceptions' });
  await pending.click();
  await page().waitForURL('**/overview?sort=pending_exceptions');
  // The sorted table replaces the previous one when it arrives: its header names the order.
  const sortedBy = (order: string) =>
    page().locator(`th[aria-sort="${order}"]`, { hasText: 'Pending exceptions' }).waitFor();
  await sortedBy('descending');
  const firstTenant = page().getByRole('row').nth(1).getByRole('link').first();
  assert.equal(await firstTenant.textContent(), 'Fabrikam Inc');
  await pending.click();
  await page().waitForURL('**/overview?sort=pending_exceptions&direction=asc');
  await sortedBy('ascending');
  assert.notEqual(await firstTenant.textContent(), 'Fabrikam Inc');
  await screenshot(page(), 'workspace-overview-sorted');
});

test("a tenant's gap count opens its findings list filtered to the 40 gaps", async () => {
  const contoso = await rowOf('Contoso Ltd');
  await contoso.getByRole('link', { name: /40 open findings with an accountability gap/ }).click();
  await page().waitForURL('**/admin/t/contoso/findings?accountability_gap=true');
  await page().getByRole('heading', { name: 'Findings', level: 1 }).waitFor();
  const rows = page()
    .getByRole('table', { name: /Findings/ })
    .getByRole('row');
  // A page holds 25; the rest come with "Load more".
  await page().getByRole('button', { name: 'Load more' }).click();
  await page().getByText('Showing all 40 findings').waitFor();
  assert.equal((await rows.count()) - 1, 40);
  await screenshot(page(), 'workspace-overview-gap-list');
});

test('the header search: "/" focuses it, results are grouped by kind, each a link', async () => {
  await page().goto('/admin/w/msp/overview');
  await page().getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
  await page().keyboard.press('/');
  const box = page().getByRole('searchbox', { name: /Search findings/ });
  assert.equal(await box.evaluate((element) => element === document.activeElement), true);
  await page().keyboard.type('legacy');
  await page().keyboard.press('Enter');
  await page().waitForURL('**/admin/w/msp/search?q=legacy');
  const findings = page().getByRole('region', { name: 'Findings' });
  await findings.getByRole('link', { name: 'Legacy authentication allowed' }).waitFor();
  await settle('workspace-search');
  await box.fill('wood');
  await box.press('Enter');
  await page().getByRole('region', { name: 'Tenants' }).getByRole('link', { name: 'Woodgrove Bank' }).click();
  await page().waitForURL('**/admin/t/woodgrove');
  await page().goto('/admin/w/msp/search?q=nothing-like-this');
  await page().getByRole('heading', { name: 'Nothing found for “nothing-like-this”' }).waitFor();
});

test('findings across tenants, filtered by tenant', async () => {
  await page().goto('/admin/w/msp/findings');
  await page().getByRole('heading', { name: 'Findings across tenants', level: 1 }).waitFor();
  const table = page().getByRole('table', { name: 'Findings across tenants' });
  await table.getByRole('link', { name: 'Fabrikam Inc' }).first().waitFor();
  await table.getByRole('link', { name: 'Woodgrove Bank' }).first().waitFor();
  // The header's tenant switcher is a "Tenant" too: this one is the page's.
  await page().getByRole('main').getByRole('combobox', { name: 'Tenant', exact: true }).click();
  await page().getByRole('option', { name: 'Woodgrove Bank' }).click();
  await page().waitForURL('**/findings?tenant=woodgrove');
  // The unfiltered list has the Woodgrove finding too: the filtered one is there once Fabrikam's are gone.
  await table.getByRole('link', { name: 'Fabrikam Inc' }).first().waitFor({ state: 'detached' });
  await table.getByRole('link', { name: 'Backup retention below policy' }).waitFor();
  assert.equal(await table.getByRole('row').count(), 2, 'a header and the one Woodgrove finding');
  await settle('workspace-findings');
});

test('the approval queue: approve what another owner requested; not what you requested yourself', async () => {
  await page().goto('/admin/w/msp/exceptions');
  await page().getByRole('heading', { name: 'Approval queue', level: 1 }).waitFor();
  const own = page().getByRole('row').filter({ hasText: 'External sharing open to anyone' });
  await own.getByText('You requested this exception: another owner must decide').waitFor();
  assert.equal(await own.getByRole('button', { name: 'Approve' }).count(), 0);
  await settle('workspace-queue');
  const theirs = page().getByRole('row').filter({ hasText: 'Legacy authentication allowed' });
  await theirs.getByRole('button', { name: 'Approve' }).click();
  const modal = page().getByRole('dialog', { name: 'Approve exception' });
  await modal.getByRole('button', { name: 'Approve exception' }).click();
  await modal.getByText('Exception approved').waitFor();
  await screenshot(page(), 'workspace-queue-approved', { window: true });
  await page().keyboard.press('Escape');
  await page()
    .getByRole('row')
    .filter({ hasText: 'Legacy authentication allowed' })
    .waitFor({ state: 'detached' });
});

test('the requester sees the other request and cannot approve their own', async () => {
  await page().context().clearCookies();
  await page().goto('/admin/w/msp/exceptions');
  await signInAs(page(), requester.email, requester.password);
  await page().goto('/admin/w/msp/exceptions');
  const theirs = page().getByRole('row').filter({ hasText: 'External sharing open to anyone' });
  await theirs.getByRole('button', { name: 'Approve' }).waitFor();
  const own = page().getByRole('row').filter({ hasText: 'MFA not enforced for admins' });
  await own.getByText('You requested this exception: another owner must decide').waitFor();
  assert.equal(await own.getByRole('button', { name: 'Approve' }).count(), 0);
  await screenshot(page(), 'workspace-queue-requester');
});
