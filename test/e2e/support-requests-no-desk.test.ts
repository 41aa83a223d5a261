import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertAccessible, screenshot, signInAs, withServerAndBrowser } from './helpers.ts';
import { openModal, readResult } from './support-request-steps.ts';

// An installation without a desk: its own server, because the desk is configured per process.
const fixture = join(import.meta.dirname, 'support-requests.fixture.json');
const operator = { email: 'olivia.operator@acme.test', password: 'correct-horse-battery-staple' };

// No desk settings: the test process's own environment carries none.
const world = withServerAndBrowser(fixture);

test('without a configured desk the create choice is disabled and says why; internal still works', async () => {
  const page = world.page();
  await signInAs(page, operator.email, operator.password);
  await page.goto('/admin/t/contoso');
  // The first page of a fresh server on a busy machine can take longer than the default 10 s.
  await page.getByRole('heading', { name: 'Contoso Ltd', level: 1 }).waitFor({ timeout: 30_000 });
  const dialog = await openModal(page);
  const create = dialog.getByRole('radio', { name: /^Create a ticket/ });
  await create.waitFor();
  assert.equal(await create.isDisabled(), true);
  const reason = 'No external support desk is configured for this installation';
  await dialog.getByText(reason).waitFor();
  // The reason is tied to the radio, so a screen reader hears it too.
  assert.match((await create.getAttribute('aria-describedby')) ?? '', /\S/);
  await assertAccessible(page, 'request-support modal without a desk');
  await screenshot(page, 'sr-no-desk-modal');

  await dialog.getByRole('textbox', { name: /^Summary/ }).fill('Filed without a desk');
  await dialog.getByRole('button', { name: 'Submit request' }).click();
  assert.match((await readResult(dialog)).text, /^Saved as SR-/);
  await screenshot(page, 'sr-no-desk-saved');
});

test('the modal works from the keyboard: opens on Enter, starts at the summary, Escape returns focus', async () => {
  const page = world.page();
  await page.goto('/admin/t/contoso');
  const button = page.getByRole('button', { name: 'Request support' });
  await button.focus();
  await page.keyboard.press('Enter');
  const summary = page.getByRole('dialog').getByRole('textbox', { name: /^Summary/ });
  await summary.waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-describedby') !== null);
  assert.equal(await summary.evaluate((element) => element === document.activeElement), true);
  await page.keyboard.type('Typed without a mouse');
  await page.keyboard.press('Escape');
  // Half-written: asked first, by keyboard too (focus on "Keep editing"; Tab to "Discard").
  const confirm = page.getByRole('dialog', { name: 'Discard this request?' });
  await page.waitForFunction(() => document.activeElement?.textContent === 'Keep editing');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await confirm.waitFor({ state: 'hidden' });
  await page.waitForFunction(() => document.querySelectorAll('[role="dialog"]').length === 0);
  await page.waitForFunction(() => document.activeElement?.textContent === 'Request support');
});
