// The finding lifecycle at scale: bulk-assign every finding without an owner, resolve one, export the list,
// approve an exception another owner requested, and see that nobody approves their own (docs/rules.md
// "Finding lifecycle").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../helpers/csv.ts';
import {
  assertAccessible,
  checkAtPhoneWidth,
  definitionListText,
  screenshot,
  signInAs,
  withServerAndBrowser,
} from './helpers.ts';

const world = withServerAndBrowser(join(import.meta.dirname, 'findings-lifecycle.fixture.json'));
const page = () => world.page();
const owen = { email: 'owen.owner@northwind.test', password: 'owner-password-1234' };
const findingId = (key: string) => {
  const id = world.server().ids.findings?.[key];
  assert.ok(id, `fixture finding ${key}`);
  return id;
};
const dialog = (name: string) => page().getByRole('dialog', { name });
const settled = () => page().waitForFunction(() => document.getAnimations().length === 0);
const rowCount = () => page().locator('table[aria-label], table').first().locator('tbody tr').count();

async function waitForRows(count: number) {
  await page().waitForFunction((n) => document.querySelectorAll('main table tbody tr').length === n, count);
}

async function summaryMatches(pattern: RegExp) {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await definitionListText(page());
    if (pattern.test(last)) return;
    await page().waitForTimeout(100);
  }
  assert.match(last, pattern);
}

test('an owner filters to the findings without an owner and bulk-assigns all 40 matching', async () => {
  await page().goto('/sign-in');
  await signInAs(page(), owen.email, owen.password);
  await page().goto('/admin/t/northwind/findings?owner=none');
  await page().getByRole('heading', { name: 'Findings', level: 1 }).waitFor();
  await waitForRows(25);
  assert.ok((await rowCount()) === 25);
  await screenshot(page(), 'lifecycle-01-unowned');
  await assertAccessible(page(), 'findings list with selection');

  const selection = page().getByRole('region', { name: 'Selection' });
  await selection.getByRole('checkbox', { name: 'Select the 25 shown' }).check();
  await selection.getByText('25 selected.').waitFor();
  await selection.getByRole('button', { name: 'Select all 40 matching these filters' }).click();
  await selection.getByText('All 40 findings matching these filters are selected.').waitFor();
  await screenshot(page(), 'lifecycle-02-all-40-selected');
  await checkAtPhoneWidth(page(), 'lifecycle-02-all-40-selected');

  await selection.getByRole('button', { name: 'Change 40 selected…' }).click();
  const modal = dialog('Change 40 findings');
  await modal.waitFor();
  await settled();
  await assertAccessible(page(), 'bulk change modal');
  await modal.getByRole('combobox', { name: 'Owner', exact: true }).click();
  await page().getByRole('option', { name: 'Mia Manager (manager)', exact: true }).click();
  await screenshot(page(), 'lifecycle-03-bulk-modal', { window: true });
  await modal.getByRole('button', { name: 'Change 40 findings' }).click();
  await modal.getByText('40 changed · 0 already as asked (unchanged) · 0 refused').waitFor();
  await screenshot(page(), 'lifecycle-04-bulk-result', { window: true });
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
  await modal.waitFor({ state: 'hidden' });
  await page().getByRole('heading', { name: 'No findings match these filters' }).waitFor();
  await screenshot(page(), 'lifecycle-05-none-left');
});

test('a bulk status change reports what it refused and why', async () => {
  await page().goto('/admin/t/northwind/findings?workflow_status=any&sort=oldest');
  await waitForRows(25);
  // The two resolved findings are the oldest detections; resolving them again is "already as asked".
  const selection = page().getByRole('region', { name: 'Selection' });
  await page()
    .getByRole('checkbox', { name: /Select finding #\d+: Resolved without owner 1/ })
    .check();
  await page()
    .getByRole('checkbox', { name: /Select finding #\d+: Unowned control gap/ })
    .first()
    .check();
  await selection.getByText('2 selected.').waitFor();
  await selection.getByRole('button', { name: 'Change 2 selected…' }).click();
  const modal = dialog('Change 2 findings');
  await modal.getByRole('combobox', { name: 'Status', exact: true }).click();
  await page().getByRole('option', { name: 'In progress', exact: true }).click();
  await modal.getByRole('button', { name: 'Change 2 findings' }).click();
  await modal.getByText('1 changed · 0 already as asked (unchanged) · 1 refused').waitFor();
  await modal.getByText(/cannot move from resolved to in progress: 1 finding/).waitFor();
  await screenshot(page(), 'lifecycle-06-bulk-refused', { window: true });
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
});

test('sorting by clicking the column headers', async () => {
  await page().goto('/admin/t/northwind/findings');
  await waitForRows(25);
  const detected = page().getByRole('columnheader', { name: /Detected/ });
  assert.equal(await detected.getAttribute('aria-sort'), 'descending');
  await detected.getByRole('button').click();
  await page().waitForURL(/sort=oldest/);
  await page().waitForFunction(() =>
    document.querySelector('th[aria-sort="ascending"]')?.textContent?.includes('Detected'),
  );
  await page()
    .getByRole('columnheader', { name: /Severity/ })
    .getByRole('button')
    .click();
  await page().waitForURL(/sort=severity/);
  await page()
    .getByRole('table', { name: 'Findings' })
    .locator('tbody tr')
    .first()
    .getByText('Critical')
    .waitFor();
  // One name per order: "Newest first" and "Detected, latest first" were the same order and are one choice now.
  await page().getByRole('combobox', { name: 'Sort', exact: true }).click();
  const choices = await page().getByRole('option').allInnerTexts();
  assert.deepEqual(choices, ['Detected, newest first', 'Detected, oldest first', 'Most severe first']);
  await page().keyboard.press('Escape');
  await screenshot(page(), 'lifecycle-07-sorted-by-severity');
});

test('resolving one finding with a note; the history names who and why', async () => {
  await page().goto(`/admin/t/northwind/findings/${findingId('nw-01')}`);
  await page().getByRole('heading', { name: 'Unowned control gap 01', level: 1 }).waitFor();
  await summaryMatches(/Owner Mia Manager/);
  await page().getByRole('button', { name: 'Resolve', exact: true }).click();
  const modal = dialog('Resolve finding');
  await modal.waitFor();
  await settled();
  await assertAccessible(page(), 'status modal');
  await modal.getByRole('textbox', { name: 'Note (optional)' }).fill('Policy deployed to every admin.');
  await modal.getByRole('button', { name: 'Resolve', exact: true }).click();
  await modal.getByText('Status changed').waitFor();
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
  await modal.waitFor({ state: 'hidden' });
  await summaryMatches(/Workflow status Resolved/);
  const history = page().getByRole('region', { name: 'History' });
  await history.getByText(/moved it from \w[\w ]* to resolved/).waitFor();
  await history.getByText('“Policy deployed to every admin.”').waitFor();
  await history.getByText(/changed owner from nobody to Mia Manager.*\(bulk change\)/).waitFor();
  for (const name of ['Close', 'Reopen']) await page().getByRole('button', { name, exact: true }).waitFor();
  assert.equal(
    await page().getByRole('button', { name: 'Request exception' }).count(),
    0,
    'only open findings',
  );
  await screenshot(page(), 'lifecycle-08-resolved');
  await checkAtPhoneWidth(page(), 'lifecycle-08-resolved');
});

test('exporting the list downloads every open finding with its owner by name', async () => {
  await page().goto('/admin/t/northwind/findings');
  await waitForRows(25);
  const [download] = await Promise.all([
    page().waitForEvent('download'),
    page().getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^tenantpilot-findings-northwind-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...rows] = parseCsv(readFileSync(await download.path(), 'utf8'));
  const column = (name: string) => (header ?? []).indexOf(name);
  // 40 bulk-assigned, one of them resolved; 5 owned; 2 with exceptions. The resolved ones are not open.
  assert.equal(rows.length, 39 + 5 + 2);
  assert.ok(!rows.some((row) => row[column('title')] === 'Unowned control gap 01'), 'resolved: not open');
  const unowned = rows.filter((row) => row[column('title')]?.startsWith('Unowned control gap'));
  assert.ok(unowned.every((row) => row[column('owner')] === 'Mia Manager'));
  assert.ok(
    rows.every((row) =>
      ['new', 'triaged', 'in_progress', 'reopened'].includes(row[column('workflow_status')] ?? ''),
    ),
  );
});

test('the owner approves the exception another owner requested', async () => {
  await page().goto(`/admin/t/northwind/findings/${findingId('nw-exception')}`);
  await page()
    .getByRole('heading', { name: 'Conditional access excludes break-glass accounts', level: 1 })
    .waitFor();
  await page().getByRole('button', { name: 'Approve', exact: true }).click();
  const modal = dialog('Approve exception');
  await modal.waitFor();
  await modal.getByRole('textbox', { name: 'Note (optional)' }).fill('Quarterly review agreed.');
  await modal.getByRole('button', { name: 'Approve exception' }).click();
  await modal.getByText('Exception approved').waitFor();
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
  await summaryMatches(/Workflow status Risk accepted/);
  await page().getByText('Quarterly review agreed.').first().waitFor();
  await screenshot(page(), 'lifecycle-09-approved');
});

test('the requester sees that another owner must decide their own request', async () => {
  await page().goto(`/admin/t/northwind/findings/${findingId('nw-own-request')}`);
  await page()
    .getByRole('heading', { name: 'Mailbox auditing disabled for shared mailboxes', level: 1 })
    .waitFor();
  await page().getByText('Another owner must decide').waitFor();
  assert.equal(await page().getByRole('button', { name: 'Approve', exact: true }).count(), 0);
  await page().getByRole('button', { name: 'Reject', exact: true }).waitFor();
  await assertAccessible(page(), 'own exception request');
  await screenshot(page(), 'lifecycle-10-own-request');
  // Rejecting says why: an empty reason is refused in place.
  await page().getByRole('button', { name: 'Reject', exact: true }).click();
  const modal = dialog('Reject exception');
  await modal.getByRole('button', { name: 'Reject exception' }).click();
  await modal.getByText('Say why you reject this exception.').waitFor();
  await screenshot(page(), 'lifecycle-11-reject-needs-why', { window: true });
  await modal.getByRole('button', { name: 'Cancel' }).click();
});
