import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  assertAccessible,
  launchBrowser,
  type RunningBrowser,
  type RunningServer,
  screenshot as saveScreenshot,
  signInAs,
  startServer,
} from './helpers.ts';

const fixture = join(import.meta.dirname, 'findings.fixture.json');
const users = {
  owner: { email: 'owen.owner@acme.test', password: 'owner-password-1234' },
  manager: { email: 'mia.manager@acme.test', password: 'manager-password-1234' },
  operator: { email: 'olivia.operator@acme.test', password: 'operator-password-1234' },
  readonly: { email: 'rita.readonly@acme.test', password: 'readonly-password-1234' },
};

let server: RunningServer | undefined;
let browser: RunningBrowser | undefined;

before(async () => {
  server = await startServer(fixture);
  browser = await launchBrowser(server.baseUrl);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function page(): Page {
  assert.ok(browser, 'browser not started');
  return browser.page;
}

function findingId(key: string): number {
  const id = server?.ids.findings?.[key];
  assert.ok(id, `fixture finding ${key} has no id in the fixtures load output`);
  return id;
}

async function signInFresh(user: { email: string; password: string }): Promise<void> {
  await browser?.context.clearCookies();
  await page().goto('/sign-in');
  await signInAs(page(), user.email, user.password);
}

async function heading(name: string, level = 1) {
  await page().getByRole('heading', { name, level, exact: true }).waitFor();
}

/** The finding's summary as "Label value Label value …". */
async function summaryText(): Promise<string> {
  const parts = await page()
    .locator('dl')
    .first()
    .evaluate((list) => Array.from(list.querySelectorAll('dt, dd'), (node) => node.textContent ?? ''));
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

async function waitForSummary(pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await summaryText();
    if (pattern.test(last)) return;
    await page().waitForTimeout(100);
  }
  assert.match(last, pattern);
}

async function choose(scope: Page | Locator, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page().getByRole('option', { name: option, exact: true }).click();
}

/** Axe reads colours mid-fade as low contrast: wait until the modal's transitions have finished. */
async function transitionsDone(target: Page = page()): Promise<void> {
  await target.waitForFunction(() => document.getAnimations().length === 0);
}

/** The shell's header is fixed: a full-page shot of a scrolled page paints it mid-page. */
async function screenshot(target: Page, name: string): Promise<void> {
  await target.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(target, name);
}

function dialog(name: string): Locator {
  return page().getByRole('dialog', { name });
}

async function tableTitles(): Promise<string[]> {
  const table = page().getByRole('table', { name: 'Findings' });
  await table.waitFor();
  return table.locator('tbody tr td:first-child a').allInnerTexts();
}

async function assign(owner: string | null, assignee: string | null, expected: string, name: string) {
  await page().getByRole('button', { name: 'Assign', exact: true }).click();
  const modal = dialog('Assign finding');
  await modal.waitFor();
  if (owner) await choose(modal, 'Owner', owner);
  if (assignee) await choose(modal, 'Assignee', assignee);
  if (name === '05-assigned') {
    await transitionsDone();
    await assertAccessible(page(), 'assign modal');
  }
  await modal.getByRole('button', { name: 'Save' }).click();
  await modal.getByText(expected, { exact: true }).waitFor();
  await screenshot(page(), `findings-${name}`);
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
  await modal.waitFor({ state: 'hidden' });
}

test('the list shows responsibility, gaps and owners, and quick filters go into the URL', async () => {
  await signInFresh(users.manager);
  await page().goto('/admin/t/contoso');
  await page().getByRole('link', { name: 'Findings', exact: true }).click();
  await page().waitForURL('**/admin/t/contoso/findings');
  await heading('Findings');
  assert.deepEqual(await tableTitles(), [
    'BitLocker policy drifted from baseline',
    'Guest access broader than baseline',
    'SharePoint external sharing allows anyone links',
    'Legacy authentication allowed',
    'MFA not enforced for administrators',
  ]);
  const bitlocker = page().getByRole('row', { name: /BitLocker/ });
  assert.match(await bitlocker.innerText(), /Assigned\s*⚠?\s*Accountability gap/);
  assert.match(await bitlocker.innerText(), /Ivan Inactive/);
  const guest = page().getByRole('row', { name: /Guest access/ });
  assert.match(await guest.innerText(), /Risk accepted/);
  assert.match(await guest.innerText(), /Mia Manager/, 'the exception owner is listed');
  await assertAccessible(page(), 'findings list');
  await screenshot(page(), 'findings-01-list');

  await page().getByRole('button', { name: 'Orphaned accountability' }).click();
  await page().waitForURL('**/admin/t/contoso/findings?responsibility_state=orphaned_accountability');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2);
  assert.deepEqual(await tableTitles(), [
    'Legacy authentication allowed',
    'MFA not enforced for administrators',
  ]);
  assert.equal(
    await page().getByRole('button', { name: 'Orphaned accountability' }).getAttribute('aria-pressed'),
    'true',
  );
  await screenshot(page(), 'findings-02-quick-filter-orphaned');

  await page().reload();
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2);

  await page().getByRole('button', { name: 'Accountability gap' }).click();
  await page().waitForURL('**/admin/t/contoso/findings?accountability_gap=true');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 3);

  await choose(page(), 'Severity', 'Low');
  await page().getByRole('heading', { name: 'No findings match these filters' }).waitFor();
  await screenshot(page(), 'findings-03-no-match');
  await page().getByRole('button', { name: 'Clear filters' }).first().click();
  await page().waitForURL('**/admin/t/contoso/findings');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 5);

  await page().getByRole('link', { name: 'Dashboard', exact: true }).click();
  await page()
    .getByRole('link', { name: /^owned, unassigned/ })
    .click();
  await page().waitForURL('**/admin/t/contoso/findings?responsibility_state=owned_unassigned');
  assert.deepEqual(await tableTitles(), ['SharePoint external sharing allows anyone links']);
  await page().getByRole('link', { name: 'Findings', exact: true }).click();
  await page().waitForURL('**/admin/t/contoso/findings');
});

test('a long list pages with Load more', async () => {
  await page().goto('/admin/t/fabrikam/findings');
  await heading('Findings');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 25);
  await page().getByRole('button', { name: 'Load more' }).click();
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 31);
  await page().getByText('Showing all 31 findings').waitFor();
  assert.equal(await page().getByRole('button', { name: 'Load more' }).count(), 0);
  await page().goto('/admin/t/contoso/findings');
  await heading('Findings');
});

test('a manager assigns owner and assignee, then clears them, and sees the state follow', async () => {
  await page().getByRole('link', { name: 'MFA not enforced for administrators' }).click();
  await page().waitForURL(`**/admin/t/contoso/findings/${findingId('contoso-mfa')}`);
  await heading('MFA not enforced for administrators');
  await waitForSummary(/Responsibility Orphaned accountability\s?⚠?Accountability gap/);
  await assertAccessible(page(), 'finding detail');
  await screenshot(page(), 'findings-04-detail-orphaned');

  await assign(
    'Owen Owner (owner)',
    'Olivia Operator (operator)',
    'Owner and assignee changed',
    '05-assigned',
  );
  await waitForSummary(/Responsibility Assigned Owner Owen Owner Assignee Olivia Operator/);
  assert.doesNotMatch(await summaryText(), /Accountability gap/);

  await assign(null, 'Unassigned', 'Assignee cleared', '06-assignee-cleared');
  await waitForSummary(/Responsibility Owned, unassigned Owner Owen Owner Assignee Unassigned/);

  await assign('No owner', null, 'Owner cleared', '07-owner-cleared');
  await waitForSummary(/Responsibility Orphaned accountability\s?⚠?Accountability gap.* Owner No owner/);

  const history = page().getByRole('region', { name: 'Responsibility history' });
  await history.getByText('changed owner from Owen Owner to nobody').waitFor();
  const events = await history.locator('.mantine-Timeline-item').allInnerTexts();
  assert.equal(events.length, 3);
  assert.match(events[0] ?? '', /^Mia Manager changed owner from Owen Owner to nobody/);
  assert.match(events[1] ?? '', /^Mia Manager changed assignee from Olivia Operator to nobody/);
  assert.match(
    events[2] ?? '',
    /^Mia Manager changed owner from nobody to Owen Owner and assignee from nobody to Olivia Operator/,
  );
  await screenshot(page(), 'findings-08-history');
});

test('an operator requests an exception; the owner stays, and a second request is refused', async () => {
  await signInFresh(users.operator);
  const path = `/admin/t/contoso/findings/${findingId('contoso-sharepoint')}`;
  await page().goto(path);
  await heading('SharePoint external sharing allows anyone links');
  assert.equal(await page().getByRole('button', { name: 'Assign', exact: true }).count(), 0);

  // A second tab opens the same form before the first request lands: its submit must meet the 409.
  assert.ok(browser);
  const other = await browser.context.newPage();
  await other.goto(path);
  await other.getByRole('button', { name: 'Request exception' }).click();

  await page().getByRole('button', { name: 'Request exception' }).click();
  const modal = dialog('Request exception');
  await modal.waitFor();
  await transitionsDone();
  await assertAccessible(page(), 'exception request modal');
  await choose(modal, 'Exception owner', 'Owen Owner (owner)');
  await modal
    .getByRole('textbox', { name: 'Reason' })
    .fill('Anyone links are needed for the press kit until May.');
  await modal.getByLabel('Review due').fill('2020-01-15');
  await modal.getByRole('button', { name: 'Request exception' }).click();
  const reviewDue = modal.getByLabel('Review due');
  await page().waitForFunction(
    (id) => document.getElementById(id ?? '')?.getAttribute('aria-invalid') === 'true',
    await reviewDue.getAttribute('id'),
  );
  await screenshot(page(), 'findings-09a-exception-form-422');
  await reviewDue.fill('2030-01-15');
  await modal.getByLabel('Expires (optional)').fill('2030-06-30');
  await screenshot(page(), 'findings-09-exception-form');
  await modal.getByRole('button', { name: 'Request exception' }).click();
  await modal
    .getByText("Exception requested — the finding's owner is still Mia Manager.", { exact: true })
    .waitFor();
  await screenshot(page(), 'findings-10-exception-requested');
  await modal.getByRole('button', { name: 'Close', exact: true }).click();

  await waitForSummary(/Owner Mia Manager Assignee Unassigned Exception owner Owen Owner/);
  await page().getByText('Exception pending').first().waitFor();
  assert.equal(
    await page().getByRole('button', { name: 'Request exception' }).count(),
    0,
    'hidden while pending',
  );
  await page().getByText('An exception request is pending', { exact: true }).waitFor();
  await assertAccessible(page(), 'finding with a pending exception');
  await screenshot(page(), 'findings-11-exception-pending');

  const otherModal = other.getByRole('dialog', { name: 'Request exception' });
  await otherModal.getByRole('combobox', { name: 'Exception owner', exact: true }).click();
  await other.getByRole('option', { name: 'Mia Manager (manager)', exact: true }).click();
  await otherModal.getByRole('textbox', { name: 'Reason' }).fill('Second request from another tab.');
  await otherModal.getByLabel('Review due').fill('2030-02-01');
  await otherModal.getByRole('button', { name: 'Request exception' }).click();
  await otherModal
    .getByRole('alert')
    .getByText('This finding already has a pending exception request.')
    .waitFor();
  await screenshot(other, 'findings-12-exception-conflict');
  await other.close();
});

test('an owner approves the exception and the finding reads risk accepted', async () => {
  await signInFresh(users.owner);
  await page().goto(`/admin/t/contoso/findings/${findingId('contoso-sharepoint')}`);
  await heading('SharePoint external sharing allows anyone links');
  await page().getByRole('button', { name: 'Approve', exact: true }).click();
  const modal = dialog('Approve exception');
  await modal.waitFor();
  await transitionsDone();
  await assertAccessible(page(), 'approve confirmation');
  await screenshot(page(), 'findings-13-approve-confirm');
  await modal.getByRole('button', { name: 'Approve exception' }).click();
  await modal.getByText('Exception approved').waitFor();
  await modal.getByRole('button', { name: 'Close', exact: true }).click();

  await waitForSummary(/Workflow status Risk accepted.*Owner Mia Manager.*Exception owner Owen Owner/);
  await page().getByText('Exception approved').first().waitFor();
  await page().getByRole('button', { name: 'Revoke', exact: true }).waitFor();
  await page()
    .getByRole('region', { name: 'Responsibility history' })
    .getByText('Owen Owner approved the exception')
    .waitFor();
  await assertAccessible(page(), 'finding with approved exception');
  await screenshot(page(), 'findings-14-risk-accepted');

  await page().getByRole('button', { name: 'Revoke', exact: true }).click();
  const revoke = dialog('Revoke exception');
  await revoke.getByRole('button', { name: 'Revoke exception' }).click();
  await revoke.getByText('Exception revoked').waitFor();
  await revoke.getByRole('button', { name: 'Close', exact: true }).click();
  await waitForSummary(/Workflow status New .*Exception owner No current exception/);
  await page().getByRole('button', { name: 'Request exception' }).waitFor();
  await screenshot(page(), 'findings-14b-revoked');
});

test('an overdue review is flagged on the accepted exception', async () => {
  await page().goto(`/admin/t/contoso/findings/${findingId('contoso-guest-access')}`);
  await heading('Guest access broader than baseline');
  await page().getByText('Review overdue').first().waitFor();
  await waitForSummary(/Workflow status Risk accepted/);
  await screenshot(page(), 'findings-15-review-overdue');
});

test('a readonly member sees the finding but no actions', async () => {
  await signInFresh(users.readonly);
  await page().goto(`/admin/t/contoso/findings/${findingId('contoso-sharepoint')}`);
  await heading('SharePoint external sharing allows anyone links');
  await waitForSummary(/Owner Mia Manager/);
  for (const name of ['Assign', 'Request exception', 'Approve', 'Reject', 'Revoke']) {
    assert.equal(await page().getByRole('button', { name, exact: true }).count(), 0, `${name} hidden`);
  }
  await screenshot(page(), 'findings-16-readonly-detail');

  await page().getByRole('link', { name: 'My work', exact: true }).click();
  await page().getByRole('heading', { name: 'Nothing on your plate', level: 2 }).waitFor();
  await screenshot(page(), 'findings-16b-my-work-empty');
});

test('My work lists the operator’s findings across tenants with their roles', async () => {
  await signInFresh(users.operator);
  await page().getByRole('link', { name: 'My work', exact: true }).click();
  await page().waitForURL('**/admin/my-work');
  await heading('My work');
  const table = page().getByRole('table', { name: 'My findings' });
  await table.waitFor();
  const rows = await table.locator('tbody tr').allInnerTexts();
  const defender = rows.find((row) => row.includes('Defender real-time protection'));
  assert.match(defender ?? '', /Fabrikam Inc/);
  assert.match(defender ?? '', /Owner/);
  const bitlocker = rows.find((row) => row.includes('BitLocker'));
  assert.match(bitlocker ?? '', /Contoso Ltd/);
  assert.match(bitlocker ?? '', /Assignee/);
  assert.ok(
    !rows.some((row) => row.includes('SharePoint')),
    'a finding the operator neither owns nor works on',
  );
  await assertAccessible(page(), 'my work');
  await screenshot(page(), 'findings-17-my-work');

  await page().goto('/admin/t/contoso/findings');
  await page().getByRole('button', { name: 'Assigned to me' }).click();
  await page().waitForURL('**/admin/t/contoso/findings?assignee=me');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 3);
  assert.deepEqual(await tableTitles(), [
    'BitLocker policy drifted from baseline',
    'Guest access broader than baseline',
    'Legacy authentication allowed',
  ]);

  await page().goto('/admin/my-work');
  await page().getByText('I own', { exact: true }).click();
  await page().waitForURL('**/admin/my-work?role=owner');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
  await screenshot(page(), 'findings-18-my-work-owner');
});
