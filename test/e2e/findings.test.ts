// Reading findings: the list, its filters and paging, a readonly member, My work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  choose,
  findingId,
  heading,
  page,
  screenshot,
  signInFresh,
  startFindingsWorld,
  tableTitles,
  users,
  waitForSummary,
} from './findings-world.ts';
import { assertAccessible } from './helpers.ts';

startFindingsWorld();

test('the list shows responsibility, gaps and owners, and quick filters go into the URL', async () => {
  await signInFresh(users.manager);
  await page().goto('/admin/t/contoso');
  await page().getByRole('link', { name: 'Findings', exact: true }).click();
  await page().waitForURL('**/admin/t/contoso/findings');
  await heading('Findings');
  // docs/rules.md "Finding lifecycle": the list shows open findings; the risk-accepted one is not open.
  assert.deepEqual(await tableTitles(), [
    'BitLocker policy drifted from baseline',
    'SharePoint external sharing allows anyone links',
    'Legacy authentication allowed',
    'MFA not enforced for administrators',
  ]);
  const bitlocker = page().getByRole('row', { name: /BitLocker/ });
  assert.match(await bitlocker.innerText(), /Assigned\s*⚠?\s*Accountability gap/);
  assert.match(await bitlocker.innerText(), /Ivan Inactive/);
  await assertAccessible(page(), 'findings list');
  await screenshot(page(), 'findings-01-list');
  await choose(page(), 'Status', 'Any status');
  await page().waitForURL('**/admin/t/contoso/findings?workflow_status=any');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 5);
  const guest = page().getByRole('row', { name: /Guest access/ });
  assert.match(await guest.innerText(), /Risk accepted/);
  assert.match(await guest.innerText(), /Mia Manager/, 'the exception owner is listed');
  await screenshot(page(), 'findings-01b-list-any-status');
  await page().goto('/admin/t/contoso/findings');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 4);

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
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 4);

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
  // The risk-accepted guest-access finding is assigned to them too, but it is not open.
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2);
  assert.deepEqual(await tableTitles(), [
    'BitLocker policy drifted from baseline',
    'Legacy authentication allowed',
  ]);

  await page().goto('/admin/my-work');
  await page().getByText('I own', { exact: true }).click();
  await page().waitForURL('**/admin/my-work?role=owner');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
  await screenshot(page(), 'findings-18-my-work-owner');
});
