import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  assertAccessible,
  checkAtPhoneWidth,
  chooseByTyping,
  chooseHighlighted,
  definitionListText,
  screenshot,
  signInAs,
  typeToFilter,
  withServerAndBrowser,
} from './helpers.ts';

const fixture = join(import.meta.dirname, 'fixture.json');
const operator = { email: 'olivia.operator@acme.test', password: 'correct-horse-battery-staple' };
const NOT_FOUND = 'This page does not exist, or you do not have access to it.';

const world = withServerAndBrowser(fixture);
const page = () => world.page();

function runId(key: string): number {
  const id = world.server().ids.operation_runs?.[key];
  assert.ok(id, `fixture run ${key} has no id in the fixtures load output`);
  return id;
}

async function heading(name: string, level = 1) {
  await page().getByRole('heading', { name, level, exact: true }).waitFor();
}

/** The run's details as "Label value Label value …". */
const detailsText = (): Promise<string> => definitionListText(page());

test('sign-in page explains a wrong password and passes axe', async () => {
  await page().goto('/sign-in');
  await heading('Sign in');
  const email = page().getByRole('textbox', { name: 'Email', exact: true });
  assert.equal(
    await email.evaluate((element) => element === document.activeElement),
    true,
    'email has focus',
  );
  await assertAccessible(page(), 'sign-in');
  await screenshot(page(), '01-sign-in');
  await checkAtPhoneWidth(page(), '01-sign-in');

  await email.fill(operator.email);
  await page().getByRole('textbox', { name: 'Password', exact: true }).fill('not-the-password');
  await page().getByRole('button', { name: 'Sign in' }).click();
  const alert = page().getByRole('alert').filter({ hasText: 'Sign-in failed' });
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /Email or password is incorrect/);
  await screenshot(page(), '02-sign-in-error');
});

test('signing in lands on the workspace overview, whose tenant names open their dashboards', async () => {
  await signInAs(page(), operator.email, operator.password);
  // docs/rules.md "Workspace views": /admin opens the overview of the person's first workspace with a tenant.
  await page().waitForURL('**/admin/w/acme/overview');
  await page().getByRole('link', { name: 'Contoso Ltd', exact: true }).click();
  await page().waitForURL('**/admin/t/contoso');
  await heading('Contoso Ltd');
  await page().getByText('Workspace: Acme Managed Services').waitFor();
  await page().getByText('Olivia Operator').waitFor();

  for (const [label, count] of [
    ['orphaned accountability', '2'],
    ['owned, unassigned', '1'],
    ['assigned', '1'],
    ['total', '4'],
  ] as const) {
    const card = page().locator('.mantine-Paper-root', { has: page().getByText(label, { exact: true }) });
    const value = await card.locator('p').nth(1).textContent();
    assert.equal(value, count, `stat card ${label}`);
  }

  const recent = page().getByRole('table', { name: 'Recent operation runs' });
  await recent.waitFor();
  assert.equal(await recent.locator('tbody tr').count(), 3);
  assert.deepEqual(await recent.locator('thead th').allInnerTexts(), [
    'Type',
    'Status',
    'Outcome',
    'Started',
    'Completed',
  ]);
  await assertAccessible(page(), 'dashboard');
  await screenshot(page(), '03-dashboard-contoso');
  await checkAtPhoneWidth(page(), '03-dashboard-contoso');
});

test('the tenant switcher moves to the second tenant by keyboard', async () => {
  const tenant = page().getByRole('combobox', { name: 'Tenant', exact: true });
  await typeToFilter(page(), tenant, 'Fabri', 'Fabrikam Inc');
  await screenshot(page(), '04-tenant-switcher-open');
  // A full-page screenshot resizes the window for a moment, which can close the list and move focus: type
  // again, so that the keys go to the open, filtered list as they would for a person.
  await typeToFilter(page(), tenant, 'Fabri', 'Fabrikam Inc');
  await chooseHighlighted(page(), 'Fabrikam Inc');
  await page().waitForURL('**/admin/t/fabrikam');
  await heading('Fabrikam Inc');
  await screenshot(page(), '05-dashboard-fabrikam');
});

test('the operations list filters by status through the URL', async () => {
  await page().getByRole('link', { name: 'Operations', exact: true }).click();
  await page().waitForURL('**/admin/t/fabrikam/operations');
  await heading('Operation runs');
  const table = page().getByRole('table', { name: 'Operation runs' });
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 3);
  await assertAccessible(page(), 'operations list');
  await screenshot(page(), '06-operations-fabrikam');
  await checkAtPhoneWidth(page(), '06-operations-fabrikam');

  await page().getByRole('combobox', { name: 'Status', exact: true }).click();
  await page().getByRole('option', { name: 'Completed' }).click();
  await page().waitForURL('**/admin/t/fabrikam/operations?status=completed');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2);
  const statuses = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(statuses, ['Completed', 'Completed']);
  await screenshot(page(), '07-operations-fabrikam-completed');

  await page().getByRole('combobox', { name: 'Outcome', exact: true }).click();
  await page().getByRole('option', { name: 'Partially succeeded' }).click();
  await page().getByRole('heading', { name: 'No operation runs match these filters' }).waitFor();
  await screenshot(page(), '08-operations-no-match');
  await page().getByRole('button', { name: 'Clear filters' }).first().click();
  await page().waitForURL('**/admin/t/fabrikam/operations');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 3);
});

test('a run opens with its details and a way back', async () => {
  const failed = runId('fabrikam-sync');
  await page()
    .getByRole('link', { name: `Sync, run ${failed}` })
    .click();
  await page().waitForURL(`**/admin/operations/${failed}`);
  await heading(`Sync · Run #${failed}`);
  const details = await detailsText();
  assert.match(details, /Status Completed/);
  assert.match(details, /Outcome Failed/);
  assert.match(details, /The tenant refused the app registration's credentials\./);
  assert.match(details, /Started Mar 2, 2025, 7:15 AM/);
  assert.match(details, /Tenant Fabrikam Inc/);
  const breadcrumb = page().getByRole('navigation', { name: 'Breadcrumb' });
  await breadcrumb.getByRole('link', { name: 'Operations' }).waitFor();
  await assertAccessible(page(), 'run detail');
  await screenshot(page(), '09-run-detail');
  await checkAtPhoneWidth(page(), '09-run-detail');

  await breadcrumb.getByRole('link', { name: 'Operations' }).click();
  await page().waitForURL('**/admin/t/fabrikam/operations');
});

test('a workspace-level run says so instead of naming a tenant', async () => {
  await page().goto(`/admin/operations/${runId('acme-inventory')}`);
  await heading(`Tenant inventory · Run #${runId('acme-inventory')}`);
  assert.match(await detailsText(), /Tenant Workspace-level run/);
  await screenshot(page(), '10-run-detail-workspace-level');
  await checkAtPhoneWidth(page(), '10-run-detail-workspace-level');
});

test('switching tenant on the operations list keeps the sub-page and filters', async () => {
  await page().goto('/admin/t/fabrikam/operations?status=completed');
  await heading('Operation runs');
  const tenant = page().getByRole('combobox', { name: 'Tenant', exact: true });
  await chooseByTyping(page(), tenant, 'Contoso', 'Contoso Ltd');
  await page().waitForURL('**/admin/t/contoso/operations?status=completed');
});

test('other workspaces and unknown pages answer Not found', async () => {
  for (const [path, name] of [
    ['/admin/t/northwind', '11-not-found-other-workspace-tenant'],
    [`/admin/operations/${runId('northwind-sync')}`, '12-not-found-other-workspace-run'],
    ['/admin/t/tailspin', '13-not-found-tenant-without-membership'],
    ['/admin/no-such-page', '14-not-found-unknown-route'],
  ] as const) {
    await page().goto(path);
    await heading('Not found');
    await page().getByText(NOT_FOUND).waitFor();
    assert.equal(await page().getByText('Northwind Traders').count(), 0, `${path} leaks nothing`);
    await screenshot(page(), name);
    await checkAtPhoneWidth(page(), name);
  }
});

test('signing out returns to sign-in, and signing in again honours next', async () => {
  await page().goto('/admin/t/contoso');
  await heading('Contoso Ltd');
  // Signing out is in the header's account menu.
  await page()
    .getByRole('button', { name: /^Account menu/ })
    .click();
  await page().getByRole('menuitem', { name: 'Sign out' }).click();
  await page().waitForURL('**/sign-in');
  await heading('Sign in');
  await screenshot(page(), '15-signed-out');
  await checkAtPhoneWidth(page(), '15-signed-out');

  await page().goto('/admin/t/fabrikam/operations');
  await page().waitForURL((url) => url.pathname === '/sign-in');
  assert.equal(new URL(page().url()).searchParams.get('next'), '/admin/t/fabrikam/operations');
  await signInAs(page(), operator.email, operator.password);
  await page().waitForURL('**/admin/t/fabrikam/operations');
  await heading('Operation runs');
});

function findingId(key: string): number {
  const id = world.server().ids.findings?.[key];
  assert.ok(id, `fixture finding ${key} has no id in the fixtures load output`);
  return id;
}

/** Picks another tenant in the header's switcher by keyboard. */
async function switchTenant(name: string) {
  const tenant = page().getByRole('combobox', { name: 'Tenant', exact: true });
  await chooseByTyping(page(), tenant, name.slice(0, 5), name);
}

test('the header’s account menu opens by keyboard, and Escape closes it back onto its button', async () => {
  await page().goto('/admin/t/contoso');
  await heading('Contoso Ltd');
  const menuButton = page().getByRole('button', { name: 'Account menu: Olivia Operator' });
  await menuButton.focus();
  await page().keyboard.press('Enter');
  await page().getByRole('menuitem', { name: 'Your account' }).waitFor();
  await assertAccessible(page(), 'account menu');
  await screenshot(page(), '16-account-menu', { window: true });
  await page().keyboard.press('Escape');
  await page().getByRole('menu').waitFor({ state: 'hidden' });
  assert.equal(await menuButton.evaluate((element) => element === document.activeElement), true);
});

test('findings, a finding and My work fit a phone', async () => {
  await page().goto('/admin/t/contoso/findings');
  await heading('Findings');
  await page().getByRole('table', { name: 'Findings' }).waitFor();
  await checkAtPhoneWidth(page(), '17-findings-contoso');
  await page().goto(`/admin/t/contoso/findings/${findingId('contoso-mfa')}`);
  await heading('MFA not enforced for administrators');
  await checkAtPhoneWidth(page(), '18-finding-detail');
  await page().goto('/admin/my-work');
  await heading('My work');
  await page().getByRole('table', { name: 'My findings' }).waitFor();
  await assertAccessible(page(), 'my work');
  await checkAtPhoneWidth(page(), '19-my-work');
});

test('switching tenant on a finding opens the other tenant’s findings list, not a Not found', async () => {
  await page().goto(`/admin/t/contoso/findings/${findingId('contoso-mfa')}`);
  await heading('MFA not enforced for administrators');
  await switchTenant('Fabrikam Inc');
  await page().waitForURL((url) => url.pathname === '/admin/t/fabrikam/findings');
  await heading('Findings');
  await page().getByRole('link', { name: 'Defender real-time protection disabled on 3 devices' }).waitFor();
  await screenshot(page(), '20-switched-from-finding');
});

test('switching tenant on a run opens the other tenant’s operations; on a support request, its requests', async () => {
  await page().goto(`/admin/operations/${runId('contoso-backup')}`);
  await heading(`Backup · Run #${runId('contoso-backup')}`);
  await switchTenant('Fabrikam Inc');
  await page().waitForURL((url) => url.pathname === '/admin/t/fabrikam/operations');
  await heading('Operation runs');

  const filed = await page().evaluate(async () => {
    const session = await fetch('/api/session', { headers: { Accept: 'application/json' } });
    const { csrf_token } = (await session.json()) as { csrf_token: string };
    const response = await fetch('/admin/t/contoso/support-requests/actions/submit', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'x-csrf-token': csrf_token },
      body: JSON.stringify({ severity: 'low', summary: 'Switcher check', handoff_mode: 'internal_only' }),
    });
    return (await response.json()) as { support_request_id: number; internal_reference: string };
  });
  await page().goto(`/admin/t/contoso/support-requests/${filed.support_request_id}`);
  await heading(`Support request ${filed.internal_reference}`);
  await checkAtPhoneWidth(page(), '21-support-request-detail');
  await switchTenant('Fabrikam Inc');
  await page().waitForURL((url) => url.pathname === '/admin/t/fabrikam/support-requests');
  await heading('Support requests');
});

test('a modal taller than a phone keeps its buttons on screen, and Escape returns focus', async () => {
  await page().setViewportSize({ width: 390, height: 640 });
  try {
    await page().goto('/admin/t/contoso');
    await heading('Contoso Ltd');
    const opener = page().getByRole('button', { name: 'Request support' }).first();
    await opener.click();
    const modal = page().getByRole('dialog', { name: 'Request support for this tenant' });
    await modal.waitFor();
    for (const name of ['Cancel', 'Submit request']) {
      const box = await modal.getByRole('button', { name }).boundingBox();
      assert.ok(
        box && box.y >= 0 && box.y + box.height <= 640,
        `${name} is on screen: ${JSON.stringify(box)}`,
      );
    }
    await assertAccessible(page(), 'request support on a phone');
    await screenshot(page(), '22-tall-modal-390', { window: true });
    await page().keyboard.press('Escape');
    await modal.waitFor({ state: 'hidden' });
    assert.equal(await opener.evaluate((element) => element === document.activeElement), true);
  } finally {
    await page().setViewportSize({ width: 1280, height: 800 });
  }
});

test('an archived tenant leaves the switcher’s main list for a group of its own', async () => {
  // The workspace's owner archives Fabrikam; the operator still reads it, under "Archived".
  await page().context().clearCookies();
  await signInAs(page(), 'owen.owner@acme.test', 'owner-password-1234');
  const archived = await page().evaluate(async () => {
    const session = await fetch('/api/session', { headers: { Accept: 'application/json' } });
    const { csrf_token } = (await session.json()) as { csrf_token: string };
    const response = await fetch('/admin/w/acme/tenants/fabrikam', {
      method: 'PATCH',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'x-csrf-token': csrf_token },
      body: JSON.stringify({ archived: true }),
    });
    return response.status;
  });
  assert.equal(archived, 200);
  // Read-only now: its dashboard offers no import, where an active tenant's does.
  await page().goto('/admin/t/contoso');
  await page().getByRole('button', { name: 'Import results' }).waitFor();
  await page().goto('/admin/t/fabrikam');
  await page().getByRole('heading', { name: 'Fabrikam Inc', level: 1 }).waitFor();
  await page().getByRole('heading', { name: 'Recent operation runs' }).waitFor();
  assert.equal(await page().getByRole('button', { name: 'Import results' }).count(), 0);
  await page().context().clearCookies();
  await signInAs(page(), operator.email, operator.password);
  await page().waitForURL('**/admin/w/acme/overview');
  await page().goto('/admin/t/contoso');
  const tenant = page().getByRole('combobox', { name: 'Tenant', exact: true });
  await tenant.click();
  const listbox = page().getByRole('listbox');
  await listbox.getByText('Archived (read-only)').waitFor();
  const groups = listbox.getByRole('group');
  assert.equal(await groups.count(), 2);
  assert.deepEqual(await groups.nth(0).getByRole('option').allInnerTexts(), ['Contoso Ltd']);
  const archivedGroup = listbox.getByRole('group', { name: 'Archived (read-only)' });
  assert.deepEqual(await archivedGroup.getByRole('option').allInnerTexts(), ['Fabrikam Inc']);
  await assertAccessible(page(), 'switcher with an archived tenant');
  await screenshot(page(), '23-switcher-archived', { window: true });
  await page().keyboard.press('Escape');
});
