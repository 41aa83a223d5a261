// Changing findings: assign and clear, request an exception, approve and revoke it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assign,
  choose,
  dialog,
  findingId,
  heading,
  page,
  runningBrowser,
  screenshot,
  signInFresh,
  startFindingsWorld,
  summaryText,
  transitionsDone,
  users,
  waitForSummary,
} from './findings-world.ts';
import { assertAccessible, chooseByTyping } from './helpers.ts';

startFindingsWorld();

/** Clears or sets the assignee without the mouse: Enter on Assign, type and pick, Enter on Save and Close. */
async function assignByKeyboard(option: string, expected: string): Promise<void> {
  const opener = page().getByRole('button', { name: 'Assign', exact: true });
  await opener.focus();
  await page().keyboard.press('Enter');
  const modal = dialog('Assign finding');
  await modal.waitFor();
  await chooseByTyping(
    page(),
    modal.getByRole('combobox', { name: 'Assignee', exact: true }),
    option,
    option,
  );
  await modal.getByRole('button', { name: 'Save' }).focus();
  await page().keyboard.press('Enter');
  await modal.getByText(expected, { exact: true }).waitFor();
  await screenshot(page(), 'findings-06-assignee-cleared');
  // The result's Close button takes focus, so Enter closes the modal and focus returns to Assign.
  await page().keyboard.press('Enter');
  await modal.waitFor({ state: 'hidden' });
  await page().waitForFunction(() => document.activeElement?.textContent === 'Assign');
}

test('a manager assigns owner and assignee, then clears them, and sees the state follow', async () => {
  await signInFresh(users.manager);
  await page().goto(`/admin/t/contoso/findings/${findingId('contoso-mfa')}`);
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

  await assignByKeyboard('Unassigned', 'Assignee cleared');
  await waitForSummary(/Responsibility Owned, unassigned Owner Owen Owner Assignee Unassigned/);

  await assign('No owner', null, 'Owner cleared', '07-owner-cleared');
  await waitForSummary(/Responsibility Orphaned accountability\s?⚠?Accountability gap.* Owner No owner/);

  const history = page().getByRole('region', { name: 'History' });
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
  const other = await runningBrowser().context.newPage();
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
  await modal.waitFor({ state: 'hidden' });

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
  await modal.waitFor({ state: 'hidden' });

  await waitForSummary(/Workflow status Risk accepted.*Owner Mia Manager.*Exception owner Owen Owner/);
  await page().getByText('Exception approved').first().waitFor();
  await page().getByRole('button', { name: 'Revoke', exact: true }).waitFor();
  await page()
    .getByRole('region', { name: 'History' })
    .getByText('Owen Owner approved the exception')
    .waitFor();
  await assertAccessible(page(), 'finding with approved exception');
  await screenshot(page(), 'findings-14-risk-accepted');

  // The list names the exception's owner beside the status the exception decides.
  await page().goto('/admin/t/contoso/findings?workflow_status=risk_accepted');
  const row = page().getByRole('row', { name: /SharePoint external sharing allows anyone links/ });
  await row.getByText('Exception owner: Owen Owner').waitFor();
  await assertAccessible(page(), 'risk-accepted findings');
  await screenshot(page(), 'findings-14a-list-risk-accepted');
  await page().goto(`/admin/t/contoso/findings/${findingId('contoso-sharepoint')}`);
  await heading('SharePoint external sharing allows anyone links');

  await page().getByRole('button', { name: 'Revoke', exact: true }).click();
  const revoke = dialog('Revoke exception');
  // docs/rules.md "Finding lifecycle": a revoke says why.
  await revoke.getByRole('textbox', { name: 'Why' }).fill('The press kit went out early.');
  await revoke.getByRole('button', { name: 'Revoke exception' }).click();
  await revoke.getByText('Exception revoked').waitFor();
  await revoke.getByRole('button', { name: 'Close', exact: true }).click();
  await revoke.waitFor({ state: 'hidden' });
  // The Revoke button is gone with the approval: focus must land on the page, not fall to the document.
  await page().waitForFunction(() => document.activeElement?.id === 'main-content');
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
