import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { type FakeHaloPsa, haloEnv, startFakeHaloPsa } from '../helpers/fake-halopsa.ts';
import {
  assertAccessible,
  checkAtPhoneWidth,
  launchBrowser,
  type RunningBrowser,
  screenshot,
  signInAs,
  withServerAndBrowser,
} from './helpers.ts';

// Support requests for an MSP with a PSA (docs/rules.md "Support requests"), end to end against a local HaloPSA:
// an owner maps the tenant to its Halo client on the tenants page; an operator files a request that lands
// under that client; a failed handoff is linked to a ticket afterwards and another is handed off again;
// the list filters, a run's "All support requests", the prefilled contact and the discard question.

const fixture = join(import.meta.dirname, 'support-requests-psa.fixture.json');
const owner = { email: 'owen.owner@acme.test', password: 'owner-password-1234' };
const operator = { email: 'olivia.operator@acme.test', password: 'correct-horse-battery-staple' };
const HALO_CLIENT = { id: 4711, name: 'Contoso Ltd (Halo)' };

let halo: FakeHaloPsa | undefined;
let operatorBrowser: RunningBrowser | undefined;

const world = withServerAndBrowser(fixture, {
  env: async () => {
    halo = await startFakeHaloPsa({ clients: [HALO_CLIENT] });
    return { ...haloEnv(halo), SUPPORT_DESK_TIMEOUT_MS: '3000' };
  },
});
after(async () => {
  await operatorBrowser?.close();
  await halo?.close();
});

function desk(): FakeHaloPsa {
  assert.ok(halo, 'HaloPSA fake not started');
  return halo;
}
const ownerPage = () => world.page();
function operatorPage(): Page {
  assert.ok(operatorBrowser, 'operator browser not started');
  return operatorBrowser.page;
}
const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

/** axe, a screenshot at 1280 px, then the same at 390 px without sideways scrolling. */
async function capture(page: Page, name: string, options: { window?: boolean } = {}) {
  await assertAccessible(page, name);
  await screenshot(page, `sr-psa-${name}-1280`, options);
  await checkAtPhoneWidth(page, `sr-psa-${name}`, options);
}

async function fileRequest(page: Page, summary: string): Promise<{ modal: Locator; text: string }> {
  await page.getByRole('button', { name: 'Request support' }).first().click();
  const modal = dialog(page, /^Request support/);
  await modal.waitFor();
  await modal.getByRole('textbox', { name: /^Summary/ }).fill(summary);
  await modal.getByRole('radio', { name: /^Create a ticket in HaloPSA/ }).check();
  await modal.getByRole('button', { name: 'Submit request' }).click();
  const result = modal.getByRole('status').filter({ hasText: 'Support request reference' });
  await result.waitFor({ timeout: 15_000 });
  return { modal, text: ((await result.textContent()) ?? '').replace(/\s+/g, ' ') };
}

async function closeResult(modal: Locator) {
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
  await modal.waitFor({ state: 'hidden' });
}

/** Opens the request named by its SR reference from the list. */
async function openRequest(page: Page, reference: string) {
  await page.getByRole('link', { name: reference, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Support request ${reference}` }).waitFor();
}

const referenceIn = (text: string) => /SR-\d{4}-\d{6}/.exec(text)?.[0] ?? '';

test('an owner maps Contoso to its Halo client on the tenants page', async () => {
  await signInAs(ownerPage(), owner.email, owner.password);
  await ownerPage().goto('/admin/w/acme/tenants');
  await ownerPage().getByRole('button', { name: 'Edit Contoso Ltd' }).click();
  const edit = dialog(ownerPage(), 'Edit Contoso Ltd');
  await edit.getByRole('textbox', { name: 'Desk customer (optional)' }).fill(String(HALO_CLIENT.id));
  // The tenants page itself is checked by the administration browser test: a screenshot is enough here.
  await screenshot(ownerPage(), 'sr-psa-01-map-desk-customer-1280', { window: true });
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.getByText('Changes saved').waitFor();
  await closeResult(edit);
  await ownerPage()
    .getByRole('cell', { name: String(HALO_CLIENT.id) })
    .waitFor();
});

test('the operator files a request: the contact is theirs, the ticket lands under the Halo client', async () => {
  // A browser of their own, started here: Node 20 starts top-level hooks together, before the server is up.
  operatorBrowser = await launchBrowser(world.server().baseUrl);
  const page = operatorPage();
  await signInAs(page, operator.email, operator.password);
  await page.goto('/admin/t/contoso');
  await page.getByRole('button', { name: 'Request support' }).click();
  const modal = dialog(page, /^Request support/);
  assert.equal(await modal.getByRole('textbox', { name: /^Contact name/ }).inputValue(), 'Olivia Operator');
  assert.equal(await modal.getByRole('textbox', { name: /^Contact email/ }).inputValue(), operator.email);
  // Closing an untouched form asks nothing.
  await page.keyboard.press('Escape');
  await modal.waitFor({ state: 'hidden' });

  const before = desk().tickets.length;
  const { modal: filed, text } = await fileRequest(page, 'Intune sync stopped for Contoso');
  assert.match(text, /created in HaloPSA/, text);
  await screenshot(page, 'sr-psa-02-created-1280', { window: true });
  await closeResult(filed);
  assert.equal(desk().tickets.length, before + 1);
  const ticket = desk().tickets.at(-1);
  assert.equal(ticket?.client_id, HALO_CLIENT.id);
  assert.equal(ticket?.client_name, HALO_CLIENT.name);
  assert.ok(ticket?.summary.includes(referenceIn(text)), `ticket summary ${ticket?.summary}`);
});

test('a half-written request asks before it is thrown away', async () => {
  const page = operatorPage();
  await page.getByRole('button', { name: 'Request support' }).click();
  const modal = dialog(page, /^Request support/);
  await modal.getByRole('textbox', { name: /^Summary/ }).fill('Half a thought');
  await page.keyboard.press('Escape');
  const confirm = dialog(page, 'Discard this request?');
  await confirm.waitFor();
  await capture(page, '03-discard-question', { window: true });
  await confirm.getByRole('button', { name: 'Keep editing', exact: true }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal(await modal.getByRole('textbox', { name: /^Summary/ }).inputValue(), 'Half a thought');
  await modal.getByRole('button', { name: 'Cancel' }).click();
  await confirm.getByRole('button', { name: 'Discard' }).click();
  await modal.waitFor({ state: 'hidden' });
  // Opened again, the form is fresh.
  await page.getByRole('button', { name: 'Request support' }).click();
  assert.equal(await modal.getByRole('textbox', { name: /^Summary/ }).inputValue(), '');
  await page.keyboard.press('Escape');
  await modal.waitFor({ state: 'hidden' });
});

test('a failed handoff is linked to a ticket afterwards, from its page', async () => {
  const page = operatorPage();
  desk().failNextCreate();
  const { modal, text } = await fileRequest(page, 'Backup of Contoso policies failed');
  assert.match(text, /handoff failed/, text);
  const reference = referenceIn(text);
  await closeResult(modal);

  await page.getByRole('link', { name: 'All support requests' }).click();
  await page.getByRole('heading', { level: 1, name: 'Support requests' }).waitFor();
  await page.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'Handoff failed' }).click();
  await page.waitForURL('**/support-requests?outcome=external_handoff_failed');
  const table = page.getByRole('table', { name: 'Support requests' });
  const rows = table.locator('tbody tr');
  // The filtered page replaces the unfiltered one: wait for its row, then for the others to go.
  await table.getByText(reference).waitFor();
  for (let tries = 0; tries < 50 && (await rows.count()) !== 1; tries++) await page.waitForTimeout(100);
  assert.equal(await rows.count(), 1);
  await capture(page, '04-list-filtered');

  await openRequest(page, reference);
  const attempts = page.getByRole('table', { name: 'Handoff attempts' });
  await attempts.getByText('Failed').waitFor();
  await capture(page, '05-failed-detail');

  await page.getByRole('button', { name: 'Link a ticket' }).click();
  const link = dialog(page, `Link a ticket to ${reference}`);
  await link.getByRole('button', { name: 'Link ticket' }).click();
  await link.getByText('Enter the ticket’s reference').waitFor();
  await link.getByRole('textbox', { name: /^Ticket reference/ }).fill('#2001');
  await link.getByRole('textbox', { name: /^Ticket URL/ }).fill('https://halo.example/ticket?id=2001');
  await capture(page, '06-link-modal', { window: true });
  await link.getByRole('button', { name: 'Link ticket' }).click();
  await link.waitFor({ state: 'hidden' });
  await attempts.getByText('Linked', { exact: true }).waitFor();
  await page.getByText('Ticket linked').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Link a ticket' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Hand off again' }).count(), 0);
  await capture(page, '07-linked-detail');
});

test('another failed handoff is handed off again and lands under the client, once', async () => {
  const page = operatorPage();
  await page.goto('/admin/t/contoso');
  desk().failNextCreate();
  const { modal, text } = await fileRequest(page, 'Compliance policies missing on Contoso');
  const reference = referenceIn(text);
  await closeResult(modal);
  await page.goto('/admin/t/contoso/support-requests');
  await openRequest(page, reference);
  const before = desk().tickets.length;
  await page.getByRole('button', { name: 'Hand off again' }).click();
  await page.getByText(/created in HaloPSA/).waitFor({ timeout: 15_000 });
  assert.equal(desk().tickets.length, before + 1);
  assert.equal(desk().tickets.at(-1)?.client_id, HALO_CLIENT.id);
  const attempts = page.getByRole('table', { name: 'Handoff attempts' }).locator('tbody tr');
  assert.equal(await attempts.count(), 2);
  assert.match((await attempts.nth(1).innerText()).replace(/\s+/g, ' '), /Handed off again .*Ticket created/);
  await capture(page, '08-handed-off-again');
});

test("a run's All support requests opens the list filtered to that run", async () => {
  const page = operatorPage();
  const run = world.server().ids.operation_runs?.['contoso-sync'];
  assert.ok(run, 'fixture run');
  await page.goto(`/admin/operations/${run}`);
  const { modal } = await fileRequest(page, 'Graph token refused during the sync');
  await closeResult(modal);
  await page.getByRole('link', { name: 'All support requests' }).click();
  await page.waitForURL(`**/admin/t/contoso/support-requests?run=${run}`);
  await page.getByRole('heading', { level: 1, name: `Support requests about run #${run}` }).waitFor();
  const rows = page.getByRole('table', { name: 'Support requests' }).locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /Graph token refused/);
  await capture(page, '09-run-filtered');
  // Clearing the filters shows every request of the tenant.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForURL('**/admin/t/contoso/support-requests');
  await page.getByRole('heading', { level: 1, name: 'Support requests' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 4, undefined, {
    timeout: 10_000,
  });
});
