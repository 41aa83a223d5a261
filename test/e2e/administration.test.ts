import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  launchBrowser,
  type RunningBrowser,
  screenshot,
  settleAtWidth,
  signInAs,
  withServerAndBrowser,
} from './helpers.ts';

// Workspace administration end to end, on a workspace with no tenant yet: an owner adds tenants, invites a
// colleague who sets a password, grants, demotes and suspends them; a manager and the last owner meet
// their limits; the audit log, API tokens and support desk pages. Every page and modal is checked with
// axe and photographed at 1280 and 390 px wide.

const fixture = join(import.meta.dirname, 'administration.fixture.json');
const owner = { email: 'owen.owner@acme.test', password: 'owner-password-1234' };
const manager = { email: 'mia.manager@acme.test', password: 'manager-password-1234' };
const colleague = {
  email: 'cara.colleague@acme.test',
  name: 'Cara Colleague',
  password: 'cara-password-1234',
};
const NOT_FOUND = 'This page does not exist, or you do not have access to it.';

/** A desk that refuses every call: the support desk page's connection test must say so. */
let desk: Server | undefined;
const world = withServerAndBrowser(fixture, {
  env: async () => {
    desk = createServer((_request, response) => response.writeHead(401).end('{"error":"bad credentials"}'));
    await new Promise<void>((resolve) => desk?.listen(0, '127.0.0.1', resolve));
    const address = desk.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return {
      SUPPORT_DESK_PROVIDER: 'webhook',
      SUPPORT_DESK_URL: `http://127.0.0.1:${port}/tickets`,
      SUPPORT_DESK_TIMEOUT_MS: '2000',
    };
  },
});
const page = () => world.page();

let colleagueBrowser: RunningBrowser | undefined;
let invitationUrl = '';
after(async () => {
  await colleagueBrowser?.close();
  await new Promise((resolve) => desk?.close(resolve));
});

function cara(): Page {
  assert.ok(colleagueBrowser, 'the colleague has no browser yet');
  return colleagueBrowser.page;
}

async function heading(on: Page, name: string, level = 1) {
  await on.getByRole('heading', { name, level, exact: true }).waitFor();
}

const dialog = (on: Page, name: string) => on.getByRole('dialog', { name });

/** Nothing wider than the screen: the page itself never scrolls sideways (tables scroll inside). */
async function assertNoSidewaysScroll(on: Page, label: string) {
  const overflow = await on.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const excess = document.documentElement.scrollWidth - width;
    if (excess <= 0) return null;
    // Name the outermost elements that stick out, to say what to fix.
    const culprits = Array.from(document.querySelectorAll('body *'))
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .filter(
        (element) =>
          !element.parentElement || element.parentElement.getBoundingClientRect().right <= width + 1,
      )
      .slice(0, 5)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}.${element.className} "${element.textContent?.slice(0, 40)}"`,
      );
    return { excess, culprits };
  });
  assert.equal(overflow, null, `${label} scrolls sideways at 390 px wide: ${JSON.stringify(overflow)}`);
}

/** The visible submit button of an open modal is inside the screen, whatever the modal's height. */
async function assertButtonOnScreen(on: Page, modal: string, button: string) {
  const box = await dialog(on, modal).getByRole('button', { name: button, exact: true }).boundingBox();
  const viewport = on.viewportSize();
  assert.ok(box && viewport, `${button} has a box`);
  assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `${button} of ${modal} is on screen`);
}

/**
 * axe, then a screenshot at 1280 px; the same at 390 px wide (no sideways scrolling), back to 1280.
 * For an open modal, `modal` and `button` check that its submit button stays on the small screen.
 */
async function capture(on: Page, name: string, modal?: { name: string; button: string }) {
  // Modals fade in: axe would judge colours half-way through the transition.
  await on.waitForTimeout(300);
  await assertAccessible(on, name);
  await screenshot(on, `admin-${name}-1280`);
  await on.setViewportSize({ width: 390, height: 844 });
  try {
    await settleAtWidth(on, 390);
    await assertNoSidewaysScroll(on, name);
    if (modal) await assertButtonOnScreen(on, modal.name, modal.button);
    await assertAccessible(on, `${name} at 390 px`);
    await screenshot(on, `admin-${name}-390`);
  } finally {
    await on.setViewportSize({ width: 1280, height: 800 });
    await on.waitForTimeout(200);
  }
}

async function closeResult(on: Page, modal: string) {
  await dialog(on, modal).getByRole('button', { name: 'Close', exact: true }).click();
  await dialog(on, modal).waitFor({ state: 'hidden' });
}

/** The page's table rows as their cells' text, one string a row. */
async function rows(on: Page, table: string): Promise<string[]> {
  const body = on.getByRole('table', { name: table }).locator('tbody tr');
  return (await body.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

async function chooseOption(on: Page, combobox: ReturnType<Page['getByRole']>, option: string) {
  await combobox.click();
  await on.getByRole('option', { name: option, exact: true }).click();
}

test('a member without tenants lands on the workspace overview, with the Administration links their role allows', async () => {
  await signInAs(page(), owner.email, owner.password);
  await page().goto('/admin/w/acme');
  await heading(page(), 'Acme Managed Services');
  const nav = page().getByRole('navigation', { name: 'Main navigation' });
  const links = nav.getByRole('group', { name: 'Administration' }).getByRole('link');
  assert.deepEqual(await links.allInnerTexts(), [
    'Workspace',
    'Tenants',
    'People',
    'Audit log',
    'API tokens',
    'Support desk',
    'Security',
  ]);
  await page().getByText('You have no tenant roles in this workspace yet').waitFor();
  await capture(page(), '01-overview-owner');
});

test('the owner adds two tenants; a bad directory id and a taken external id are named beside their fields', async () => {
  await page().getByRole('link', { name: 'Tenants', exact: true }).click();
  await heading(page(), 'Tenants');
  await page().getByRole('heading', { name: 'No tenants yet' }).waitFor();
  await capture(page(), '02-tenants-empty');

  // Opened by keyboard, closed by Escape: focus goes back to the button.
  const add = page().getByRole('button', { name: 'Add tenant' }).first();
  await add.focus();
  await page().keyboard.press('Enter');
  await dialog(page(), 'Add tenant').waitFor();
  await page().keyboard.press('Escape');
  await dialog(page(), 'Add tenant').waitFor({ state: 'hidden' });
  assert.equal(await add.evaluate((button) => button === document.activeElement), true, 'focus returns');

  await add.click();
  const modal = dialog(page(), 'Add tenant');
  await modal.getByRole('textbox', { name: 'Name' }).fill('Contoso Ltd');
  const externalId = modal.getByRole('textbox', { name: 'External id' });
  assert.equal(await externalId.inputValue(), 'contoso-ltd', 'suggested from the name');
  await externalId.fill('contoso');
  await modal.getByRole('textbox', { name: 'Directory id (optional)' }).fill('not-a-guid');
  await modal.getByRole('textbox', { name: 'Primary domain (optional)' }).fill('contoso.com');
  await modal.getByRole('textbox', { name: 'Desk customer (optional)' }).fill('org-4711');
  await capture(page(), '03-add-tenant-modal', { name: 'Add tenant', button: 'Add tenant' });
  await modal.getByRole('button', { name: 'Add tenant' }).click();
  await modal.getByText('Must be a GUID such as').waitFor();
  const alert = modal.getByRole('alert');
  assert.match((await alert.textContent()) ?? '', /Nothing was saved/);
  assert.doesNotMatch((await alert.textContent()) ?? '', /directory_id/);
  await capture(page(), '04-add-tenant-field-error', { name: 'Add tenant', button: 'Add tenant' });

  await modal
    .getByRole('textbox', { name: 'Directory id (optional)' })
    .fill('72F988BF-86F1-41AF-91AB-2D7CD011DB47');
  await modal.getByRole('button', { name: 'Add tenant' }).click();
  await modal.getByText('Contoso Ltd added').waitFor();
  await capture(page(), '05-add-tenant-result');
  await closeResult(page(), 'Add tenant');

  await page().getByRole('button', { name: 'Add tenant' }).first().click();
  await modal.getByRole('textbox', { name: 'Name' }).fill('Fabrikam Inc');
  await modal.getByRole('textbox', { name: 'External id' }).fill('contoso');
  await modal.getByRole('button', { name: 'Add tenant' }).click();
  await modal.getByText('Is already taken').waitFor();
  await modal.getByRole('textbox', { name: 'External id' }).fill('fabrikam');
  await modal.getByRole('button', { name: 'Add tenant' }).click();
  await modal.getByText('Fabrikam Inc added').waitFor();
  await closeResult(page(), 'Add tenant');

  assert.deepEqual(await rows(page(), 'Tenants'), [
    'Contoso Ltd Your role: Owner contoso 72f988bf-86f1-41af-91ab-2d7cd011db47 contoso.com org-4711 Active Edit Contoso Ltd Archive Contoso Ltd',
    'Fabrikam Inc Your role: Owner fabrikam — — — Active Edit Fabrikam Inc Archive Fabrikam Inc',
  ]);
  await capture(page(), '06-tenants-list');
});

test('editing keeps the external id fixed; archiving says what it does and moves the tenant to Archived', async () => {
  await page().getByRole('button', { name: 'Edit Fabrikam Inc' }).click();
  const edit = dialog(page(), 'Edit Fabrikam Inc');
  await edit.getByText('it cannot change').waitFor();
  assert.equal(await edit.getByRole('textbox', { name: 'External id' }).count(), 0);
  await edit.getByRole('textbox', { name: 'Primary domain (optional)' }).fill('fabrikam.com');
  await capture(page(), '07-edit-tenant-modal', { name: 'Edit Fabrikam Inc', button: 'Save changes' });
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.getByText('Changes saved').waitFor();
  await closeResult(page(), 'Edit Fabrikam Inc');

  await page().getByRole('button', { name: 'Archive Fabrikam Inc' }).click();
  const archive = dialog(page(), 'Archive Fabrikam Inc?');
  await archive.getByText('Archiving makes Fabrikam Inc read-only. Nothing is deleted:').waitFor();
  await archive.getByText('A workspace owner can restore it at any time.').waitFor();
  await capture(page(), '08-archive-tenant-modal', {
    name: 'Archive Fabrikam Inc?',
    button: 'Archive tenant',
  });
  await archive.getByRole('button', { name: 'Archive tenant' }).click();
  await archive.getByText('Fabrikam Inc is archived').waitFor();
  await closeResult(page(), 'Archive Fabrikam Inc?');
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);

  await page().getByText('Archived', { exact: true }).click();
  await page().waitForURL('**/admin/w/acme/tenants?archived=true');
  await page().getByRole('button', { name: 'Restore Fabrikam Inc' }).waitFor();
  await capture(page(), '09-tenants-archived');
  await page().getByRole('button', { name: 'Restore Fabrikam Inc' }).click();
  const restore = dialog(page(), 'Restore Fabrikam Inc?');
  await restore.getByRole('button', { name: 'Restore tenant' }).click();
  await restore.getByText('Fabrikam Inc is restored').waitFor();
  await closeResult(page(), 'Restore Fabrikam Inc?');
  await page().getByRole('heading', { name: 'No archived tenants' }).waitFor();

  await page().getByRole('searchbox', { name: 'Search', exact: true }).fill('zzz');
  await page().getByText('All', { exact: true }).click();
  await page().getByRole('heading', { name: 'No tenant matches this search' }).waitFor();
  await page().getByRole('button', { name: 'Clear search' }).click();
  await page().waitForFunction(() => document.querySelectorAll('table tbody tr').length === 2);
});

test('the owner invites a colleague and sees the one-time link once, with whether it was e-mailed', async () => {
  await page().getByRole('link', { name: 'People', exact: true }).click();
  await heading(page(), 'People');
  await capture(page(), '10-people-list');

  await page().getByRole('button', { name: 'Invite someone' }).click();
  const modal = dialog(page(), 'Invite someone to Acme Managed Services');
  await modal.getByRole('button', { name: 'Invite', exact: true }).click();
  await modal.getByText('Enter their e-mail address.').waitFor();
  await modal.getByRole('textbox', { name: 'Email' }).fill(colleague.email);
  await modal.getByRole('textbox', { name: 'Name' }).fill(colleague.name);
  await chooseOption(page(), modal.getByRole('combobox', { name: 'Workspace role' }), 'Read-only');
  await capture(page(), '11-invite-modal', {
    name: 'Invite someone to Acme Managed Services',
    button: 'Invite',
  });
  await modal.getByRole('button', { name: 'Invite', exact: true }).click();

  await modal.getByText(`Invitation ready for ${colleague.name}`).waitFor();
  await modal.getByText('You will not see this link again').waitFor();
  await modal.getByText(/It was not e-mailed/).waitFor();
  await modal.getByRole('button', { name: 'Copy link' }).waitFor();
  invitationUrl = await modal.getByRole('textbox', { name: 'Invitation link' }).inputValue();
  assert.match(invitationUrl, /^http:\/\/127\.0\.0\.1:\d+\/invitations\/[A-Za-z0-9_-]{20,}$/);
  await capture(page(), '12-invitation-link');
  await closeResult(page(), 'Invite someone to Acme Managed Services');

  // Shown once: the form opens empty again, and the list knows only that an invitation is pending.
  await page().getByRole('button', { name: 'Invite someone' }).click();
  assert.equal(await modal.getByRole('textbox', { name: 'Invitation link' }).count(), 0);
  await page().keyboard.press('Escape');
  const row = (await rows(page(), 'People')).find((text) => text.includes(colleague.name));
  assert.match(row ?? '', /Read-only None Never Invitation pending/);
});

test('the colleague sets a password through the invitation and sees tenant names without links', async () => {
  colleagueBrowser = await launchBrowser(world.server().baseUrl);
  await cara().goto(invitationUrl);
  await heading(cara(), 'Join Acme Managed Services');
  await cara().getByRole('textbox', { name: 'Password', exact: true }).fill(colleague.password);
  await cara().getByRole('textbox', { name: 'Repeat the password', exact: true }).fill(colleague.password);
  await cara().getByRole('button', { name: 'Set password and sign in' }).click();
  await cara().waitForURL((url) => url.pathname.startsWith('/admin'));

  await cara().goto('/admin/w/acme/tenants');
  await heading(cara(), 'Tenants');
  const table = cara().getByRole('table', { name: 'Tenants' });
  await table.waitFor();
  assert.equal(await table.getByRole('link').count(), 0, 'no links into tenant data');
  assert.equal(await table.getByText('No tenant role for you').count(), 2);
  assert.equal(await cara().getByRole('button', { name: 'Add tenant' }).count(), 0);
  const links = cara().getByRole('group', { name: 'Administration' }).getByRole('link');
  assert.deepEqual(await links.allInnerTexts(), ['Workspace', 'Tenants', 'People']);
  await capture(cara(), '13-tenants-as-readonly-member');

  await cara().goto('/admin/w/acme/audit');
  await heading(cara(), 'Forbidden');
  await capture(cara(), '14-audit-forbidden-for-readonly');
  await cara().goto('/admin/t/contoso');
  await heading(cara(), 'Not found');
});

/** A person's page through the people list; one's own row and page say "(you)". */
async function openPerson(on: Page, name: string, self = false) {
  const shown = self ? `${name} (you)` : name;
  await on.goto('/admin/w/acme/people');
  await on.getByRole('link', { name: shown, exact: true }).click();
  await heading(on, shown);
}

test('granted operator on one tenant, the colleague sees exactly that tenant', async () => {
  await openPerson(page(), colleague.name);
  await page().getByRole('heading', { name: 'No tenant roles' }).waitFor();
  await capture(page(), '15-person-page');

  await page().getByRole('button', { name: 'Grant or change tenant roles' }).click();
  const modal = dialog(page(), `${colleague.name}’s tenant roles`);
  await chooseOption(page(), modal.getByRole('combobox', { name: 'Role on Contoso Ltd' }), 'Operator');
  await modal.getByText('1 tenant role chosen.').waitFor();
  await capture(page(), '16-tenant-roles-modal', {
    name: `${colleague.name}’s tenant roles`,
    button: 'Save tenant roles',
  });
  await modal.getByRole('button', { name: 'Save tenant roles' }).click();
  await modal.getByText('Saved: operator on Contoso Ltd').waitFor();
  await closeResult(page(), `${colleague.name}’s tenant roles`);
  assert.deepEqual(await rows(page(), `${colleague.name}’s tenant roles`), [
    'Contoso Ltd Operator Change role on Contoso Ltd Revoke role on Contoso Ltd',
  ]);

  await cara().goto('/admin');
  // The overview of the workspace lists the one tenant she now has a role on.
  await cara().waitForURL('**/admin/w/acme/overview');
  await cara().getByRole('link', { name: 'Contoso Ltd', exact: true }).click();
  await cara().waitForURL('**/admin/t/contoso');
  await heading(cara(), 'Contoso Ltd');
  const switcher = cara().getByRole('combobox', { name: 'Tenant', exact: true });
  await switcher.click();
  assert.deepEqual(await cara().getByRole('option').allInnerTexts(), ['Contoso Ltd']);
  await cara().keyboard.press('Escape');
  await cara().goto('/admin/t/fabrikam');
  await heading(cara(), 'Not found');
});

test('demoted to read-only on that tenant, the colleague can no longer file support requests there', async () => {
  await page().getByRole('button', { name: 'Change role on Contoso Ltd' }).click();
  const modal = dialog(page(), `${colleague.name} on Contoso Ltd`);
  await chooseOption(page(), modal.getByRole('combobox', { name: 'Tenant role' }), 'Read-only');
  await capture(page(), '17-change-tenant-role-modal', {
    name: `${colleague.name} on Contoso Ltd`,
    button: 'Change role',
  });
  await modal.getByRole('button', { name: 'Change role' }).click();
  await modal.getByText(`${colleague.name} is now read-only on Contoso Ltd`).waitFor();
  await closeResult(page(), `${colleague.name} on Contoso Ltd`);

  await cara().goto('/admin/t/contoso');
  await heading(cara(), 'Contoso Ltd');
  await cara().getByText('Your role: Readonly').waitFor();
  assert.equal(await cara().getByRole('button', { name: 'Request support' }).count(), 0);
});

test('a person in two workspaces picks the workspace; an existing account is added without a link', async () => {
  await page().goto('/admin/w/globex/people');
  await heading(page(), 'People');
  await page().getByRole('button', { name: 'Invite someone' }).click();
  const modal = dialog(page(), 'Invite someone to Globex IT Services');
  await modal.getByRole('textbox', { name: 'Email' }).fill(colleague.email.toUpperCase());
  await modal.getByRole('textbox', { name: 'Name' }).fill('Cara C.');
  await modal.getByRole('button', { name: 'Invite', exact: true }).click();
  await modal.getByText(`${colleague.name} is now a member`).waitFor();
  assert.equal(await modal.getByRole('textbox', { name: 'Invitation link' }).count(), 0);
  await capture(page(), '18-invite-existing-account');
  await closeResult(page(), 'Invite someone to Globex IT Services');

  // The colleague chooses the other workspace in the switcher: its administration opens.
  await cara().goto('/admin/w/acme/people');
  await heading(cara(), 'People');
  await chooseOption(
    cara(),
    cara().getByRole('combobox', { name: 'Workspace', exact: true }),
    'Globex IT Services',
  );
  await cara().waitForURL('**/admin/w/globex/people');
  await heading(cara(), 'People');
  await cara().getByRole('link', { name: 'Owen Owner' }).waitFor();
});

test('suspended, the colleague loses the workspace at their next navigation, and keeps the other one', async () => {
  await openPerson(page(), colleague.name);
  await page().getByRole('button', { name: 'Suspend', exact: true }).click();
  const modal = dialog(page(), `Suspend ${colleague.name}?`);
  await modal.getByText(/none of this workspace’s tenants and pages answer them/).waitFor();
  await capture(page(), '19-suspend-modal', { name: `Suspend ${colleague.name}?`, button: 'Suspend' });
  await modal.getByRole('button', { name: 'Suspend', exact: true }).click();
  await modal.getByText(`${colleague.name} is suspended`).waitFor();
  await closeResult(page(), `Suspend ${colleague.name}?`);
  await page().getByRole('button', { name: 'Restore', exact: true }).waitFor();

  // Client-side navigations with the page already open: each answers as for a non-member.
  await cara().goto('/admin/w/globex');
  await heading(cara(), 'Globex IT Services');
  await cara().evaluate(() => {
    window.history.pushState({}, '', '/admin/w/acme/people');
    window.dispatchEvent(new PopStateEvent('popstate'));
  });
  await heading(cara(), 'Not found');
  await cara().getByText(NOT_FOUND).waitFor();
  await capture(cara(), '20-suspended-not-found');
  await cara().goto('/admin/t/contoso');
  await heading(cara(), 'Not found');
  await cara().goto('/admin/w/globex');
  await heading(cara(), 'Globex IT Services');
});

async function personId(name: string): Promise<number> {
  const response = await page().evaluate(async () => {
    const answer = await fetch('/admin/w/acme/people?limit=200', { headers: { Accept: 'application/json' } });
    return answer.json();
  });
  const person = (response.items as { user_id: number; display_name: string }[]).find(
    (item) => item.display_name === name,
  );
  assert.ok(person, `${name} is listed`);
  return person.user_id;
}

/** A request made by the page's own session (cookie and CSRF token), as a stale tab or a script would. */
async function send(on: Page, method: string, path: string, body?: unknown): Promise<number> {
  return on.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/session', { headers: { Accept: 'application/json' } })).json();
      const response = await fetch(path, {
        method,
        headers: {
          Accept: 'application/json',
          'x-csrf-token': session.csrf_token,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return response.status;
    },
    { method, path, body },
  );
}

test('a manager grants up to manager: owner is not offered, owners’ roles are not theirs, and a refusal shows beside the action', async () => {
  const caraId = await personId(colleague.name);
  const managerBrowser = await launchBrowser(world.server().baseUrl);
  try {
    const mia = managerBrowser.page;
    await signInAs(mia, manager.email, manager.password);
    await openPerson(mia, colleague.name);
    await mia.getByText('Only workspace owners change workspace roles, suspend or remove people.').waitFor();
    assert.equal(await mia.getByRole('button', { name: 'Suspend' }).count(), 0);
    await mia.getByText('As a manager you grant roles up to manager').waitFor();

    await mia.getByRole('button', { name: 'Grant or change tenant roles' }).click();
    const modal = dialog(mia, `${colleague.name}’s tenant roles`);
    await modal.getByRole('combobox', { name: 'Role on Fabrikam Inc' }).click();
    const ownerOption = mia.getByRole('option', { name: 'Owner (workspace owners only)', exact: true });
    await ownerOption.waitFor();
    assert.equal(await ownerOption.getAttribute('aria-disabled'), 'true', 'owner is not offered');
    await capture(mia, '21-manager-tenant-roles-modal', {
      name: `${colleague.name}’s tenant roles`,
      button: 'Save tenant roles',
    });
    await mia.keyboard.press('Escape');
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await modal.waitFor({ state: 'hidden' });

    // The server refuses whatever a page offers: a manager's grant of owner is 403.
    assert.equal(
      await send(mia, 'PUT', `/admin/w/acme/people/${caraId}/tenants/fabrikam`, { role: 'owner' }),
      403,
    );

    // A stale page: the owner makes Cara owner of Contoso while the manager's dialog is open.
    await mia.getByRole('button', { name: 'Change role on Contoso Ltd' }).click();
    const change = dialog(mia, `${colleague.name} on Contoso Ltd`);
    await chooseOption(mia, change.getByRole('combobox', { name: 'Tenant role' }), 'Operator');
    assert.equal(
      await send(page(), 'PUT', `/admin/w/acme/people/${caraId}/tenants/contoso`, { role: 'owner' }),
      200,
    );
    await change.getByRole('button', { name: 'Change role' }).click();
    const alert = change.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /owner.*Nothing was saved/i);
    await capture(mia, '22-manager-refused-beside-action', {
      name: `${colleague.name} on Contoso Ltd`,
      button: 'Change role',
    });
    await change.getByRole('button', { name: 'Cancel' }).click();
    await mia.reload();
    await mia.getByText('Only a workspace owner changes an owner’s role.').first().waitFor();
    await capture(mia, '23-manager-on-owned-tenant');
  } finally {
    await managerBrowser.close();
  }
});

test('the last owner cannot leave or demote themselves: the page says why, and the server refuses', async () => {
  await openPerson(page(), 'Owen Owner', true);
  await page().getByText('This is you: nobody changes their own workspace role').waitFor();
  await page().getByText('Nobody changes their own tenant roles').waitFor();
  for (const action of [
    'Change workspace role',
    'Suspend',
    'Remove from workspace',
    'Grant or change tenant roles',
  ]) {
    assert.equal(await page().getByRole('button', { name: action }).count(), 0, `${action} is hidden`);
  }
  await capture(page(), '24-own-person-page');
  const ownId = await personId('Owen Owner');
  assert.equal(await send(page(), 'DELETE', `/admin/w/acme/people/${ownId}`), 403);
  assert.equal(
    await send(page(), 'PATCH', `/admin/w/acme/people/${ownId}`, { workspace_role: 'manager' }),
    403,
  );
  await page().reload();
  await heading(page(), 'Owen Owner (you)');
  await page().getByText('Workspace role: Owner').waitFor();
});

test('the audit log shows every change with before and after, filters it, and exports the same rows as CSV', async () => {
  await page().getByRole('link', { name: 'Audit log', exact: true }).click();
  await heading(page(), 'Audit log');
  const table = page().getByRole('table', { name: 'Audit events, newest first' });
  await table.waitFor();
  const all = await rows(page(), 'Audit events, newest first');
  for (const action of ['tenant.created', 'tenant.archived', 'member.invited', 'tenant_role.granted']) {
    assert.ok(
      all.some((row) => row.includes(action)),
      `${action} is in the log`,
    );
  }
  await capture(page(), '25-audit-log');

  await page().getByRole('combobox', { name: 'Action' }).fill('tenant_role.');
  await page().waitForURL('**/admin/w/acme/audit?action=tenant_role.');
  await page().waitForFunction(() => {
    const shown = Array.from(document.querySelectorAll('table tbody tr'));
    return shown.length > 0 && shown.every((row) => row.textContent?.includes('tenant_role.'));
  });
  await page().keyboard.press('Escape');
  const changes = await rows(page(), 'Audit events, newest first');
  assert.ok(
    changes.some((row) => /tenant_role\.changed.*Role: operator → changed to readonly/.test(row)),
    `the demotion reads as a change of role: ${JSON.stringify(changes)}`,
  );
  const href = await page().getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  assert.equal(href, '/admin/w/acme/audit?format=csv&action=tenant_role.');
  await capture(page(), '26-audit-log-filtered');

  const [download] = await Promise.all([
    page().waitForEvent('download'),
    page().getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^tenantpilot-audit-acme-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await download.path();
  const csv = (await import('node:fs')).readFileSync(path, 'utf8').trim().split('\n');
  assert.match(csv[0] ?? '', /^id,at,action/);
  assert.ok(csv.length > 1 && csv.slice(1).every((line) => line.includes('tenant_role.')));

  await page().getByRole('combobox', { name: 'Action' }).fill('no_such_action');
  await page().getByRole('heading', { name: 'No events match these filters' }).waitFor();
  await page().getByRole('combobox', { name: 'Action' }).fill('Bad Action!');
  await page().getByText('Use an action such as tenant.archived').waitFor();
  await page().getByRole('button', { name: 'Clear filters' }).first().click();
  await table.waitFor();
});

test('API tokens: the owner sees every member’s token and revokes one after confirming', async () => {
  await page().getByRole('link', { name: 'API tokens', exact: true }).click();
  await heading(page(), 'API tokens');
  const table = page().getByRole('table', { name: 'API tokens' });
  await table.waitFor();
  assert.ok((await rows(page(), 'API tokens')).some((row) => row.includes('Mia Manager')));
  await capture(page(), '27-api-tokens');

  await table
    .getByRole('button', { name: /^Revoke .* of Mia Manager$/ })
    .first()
    .click();
  const modal = page().getByRole('dialog');
  await modal.getByText(/stops working at once/).waitFor();
  await capture(page(), '28-revoke-token-modal');
  await modal.getByRole('button', { name: 'Revoke token' }).click();
  await modal.getByText('Token revoked').waitFor();
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
  const revoked = await rows(page(), 'API tokens');
  assert.ok(revoked.some((row) => row.includes('Mia Manager') && row.includes('Revoked')));
});

test('the support desk page shows which credentials are set, never their values, and tests the connection', async () => {
  await page().getByRole('link', { name: 'Support desk', exact: true }).click();
  await heading(page(), 'Support desk');
  await page().getByText('/tickets').waitFor();
  await capture(page(), '29-support-desk');
  await page().getByRole('button', { name: 'Test connection' }).click();
  await page()
    .getByText(/The desk (did not accept|accepted) the connection/)
    .waitFor();
  await capture(page(), '30-support-desk-checked');
});
