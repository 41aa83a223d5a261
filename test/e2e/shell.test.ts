import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  assertAccessible,
  definitionListText,
  screenshot,
  signInAs,
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

  await email.fill(operator.email);
  await page().getByRole('textbox', { name: 'Password', exact: true }).fill('not-the-password');
  await page().getByRole('button', { name: 'Sign in' }).click();
  const alert = page().getByRole('alert').filter({ hasText: 'Sign-in failed' });
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /Email or password is incorrect/);
  await screenshot(page(), '02-sign-in-error');
});

test('signing in lands on the first tenant dashboard', async () => {
  await signInAs(page(), operator.email, operator.password);
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
});

test('the tenant switcher moves to the second tenant by keyboard', async () => {
  const tenant = page().getByRole('combobox', { name: 'Tenant', exact: true });
  await tenant.focus();
  await page().keyboard.press('ControlOrMeta+a');
  await page().keyboard.type('Fabri');
  await page().getByRole('option', { name: 'Fabrikam Inc' }).waitFor();
  await screenshot(page(), '04-tenant-switcher-open');
  await page().keyboard.press('ArrowDown');
  await page().keyboard.press('Enter');
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

  await breadcrumb.getByRole('link', { name: 'Operations' }).click();
  await page().waitForURL('**/admin/t/fabrikam/operations');
});

test('a workspace-level run says so instead of naming a tenant', async () => {
  await page().goto(`/admin/operations/${runId('acme-inventory')}`);
  await heading(`Tenant inventory · Run #${runId('acme-inventory')}`);
  assert.match(await detailsText(), /Tenant Workspace-level run/);
  await screenshot(page(), '10-run-detail-workspace-level');
});

test('switching tenant on the operations list keeps the sub-page and filters', async () => {
  await page().goto('/admin/t/fabrikam/operations?status=completed');
  await heading('Operation runs');
  const tenant = page().getByRole('combobox', { name: 'Tenant', exact: true });
  await tenant.focus();
  await page().keyboard.press('ControlOrMeta+a');
  await page().keyboard.type('Contoso');
  await page().getByRole('option', { name: 'Contoso Ltd' }).waitFor();
  await page().keyboard.press('ArrowDown');
  await page().keyboard.press('Enter');
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

  await page().goto('/admin/t/fabrikam/operations');
  await page().waitForURL((url) => url.pathname === '/sign-in');
  assert.equal(new URL(page().url()).searchParams.get('next'), '/admin/t/fabrikam/operations');
  await signInAs(page(), operator.email, operator.password);
  await page().waitForURL('**/admin/t/fabrikam/operations');
  await heading('Operation runs');
});
