// A person's own pages on a first run: setup from the printed link, the first tenant, the account page
// (name, password, API tokens), an invitation used twice, and sign-in paused after failed attempts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  checkAtPhoneWidth,
  launchBrowser,
  type RunningBrowser,
  type RunningServer,
  screenshot,
  startEmptyServer,
} from './helpers.ts';

const owner = {
  name: 'Ada Lovelace',
  email: 'ada@northwind-msp.test',
  password: 'analytical engine 1843',
  newPassword: 'difference engine 1822',
};
const grace = { name: 'Grace Hopper', email: 'grace@northwind-msp.test', password: 'compiler pioneer 1952' };
const workspace = { name: 'Northwind Managed Services', slug: 'northwind-managed-services' };
const MAX_ATTEMPTS = 3;

let server: (RunningServer & { output: () => string }) | undefined;
let browser: RunningBrowser | undefined;

before(async () => {
  // A low sign-in limit, so the lock-out is reached in a few attempts.
  server = await startEmptyServer({ env: { TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: String(MAX_ATTEMPTS) } });
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

async function heading(name: string | RegExp, level = 1) {
  await page()
    .getByRole('heading', { name, level, exact: typeof name === 'string' })
    .waitFor();
}

const textbox = (name: string, scope: Page | ReturnType<Page['getByRole']> = page()) =>
  scope.getByRole('textbox', { name, exact: true });

/** The one-time link `tenantpilot serve` printed for a database with nobody in it. */
function setupPath(): string {
  assert.ok(server, 'server not started');
  const link = /https?:\/\/\S+(\/setup\/[A-Za-z0-9_-]+)/.exec(server.output());
  assert.ok(link?.[1], `serve printed no setup link:\n${server.output()}`);
  return link[1];
}

/** A JSON call from the page, as the signed-in person (with the CSRF token a cookie session needs). */
async function api(target: Page, method: string, path: string, body?: unknown) {
  return target.evaluate(
    async ({ method, path, body }) => {
      const session = await fetch('/api/session', { headers: { Accept: 'application/json' } });
      const { csrf_token } = (await session.json()) as { csrf_token: string };
      const response = await fetch(path, {
        method,
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'x-csrf-token': csrf_token,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: response.status === 204 ? null : await response.json() };
    },
    { method, path, body },
  );
}

const dialog = (name: string) => page().getByRole('dialog', { name });

test('first run: a wrong setup link says where the right one is', async () => {
  await page().goto('/setup/not-the-printed-link');
  await heading('This setup link does not work');
  await page().getByText('Copy the whole link that', { exact: false }).waitFor();
  await assertAccessible(page(), 'setup link unknown');
  await screenshot(page(), 'account-00-setup-link-unknown');
});

test('first run: the printed setup link creates the workspace and its owner, and signs them in', async () => {
  await page().goto(setupPath());
  await heading('Set up TenantPilot');
  await textbox('Workspace name').waitFor();
  await assertAccessible(page(), 'setup');
  await screenshot(page(), 'account-01-setup');
  await checkAtPhoneWidth(page(), 'account-01-setup');

  await page().getByRole('button', { name: 'Create workspace and sign in' }).click();
  await page().getByText('Enter the name of your company or team.').waitFor();
  await page().getByText('Use at least 12 characters (this has 0).').waitFor();
  // Focus lands on the first field to fix.
  await page().waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
  assert.equal(
    await textbox('Workspace name').evaluate((element) => element === document.activeElement),
    true,
  );
  await assertAccessible(page(), 'setup with errors');
  await screenshot(page(), 'account-02-setup-errors');

  await textbox('Workspace name').fill(workspace.name);
  assert.equal(await textbox('Short name').inputValue(), workspace.slug, 'the short name is suggested');
  await textbox('Your name').fill(owner.name);
  await textbox('Your email').fill(owner.email);
  await textbox('Password').fill(owner.password);
  await textbox('Repeat the password').fill(`${owner.password}!`);
  await page().getByRole('button', { name: 'Create workspace and sign in' }).click();
  await page().getByText('The two passwords are not the same.').waitFor();
  await textbox('Repeat the password').fill(owner.password);
  await page().getByRole('button', { name: 'Create workspace and sign in' }).click();

  await page().waitForURL((url) => url.pathname === '/admin');
  await heading(`Welcome, ${owner.name}`);
  await page()
    .getByRole('heading', { name: `Add the first tenant to ${workspace.name}`, level: 2 })
    .waitFor();
  await assertAccessible(page(), 'console without tenants');
  await screenshot(page(), 'account-03-welcome-no-tenants');
  await checkAtPhoneWidth(page(), 'account-03-welcome-no-tenants');
});

test('the used setup link says setup is done and leads to sign-in', async () => {
  const path = setupPath();
  const visitor = await launchBrowser(new URL(page().url()).origin);
  try {
    await visitor.page.goto(path);
    await visitor.page.getByRole('heading', { name: 'Setup is done', level: 1 }).waitFor();
    await assertAccessible(visitor.page, 'setup done');
    await screenshot(visitor.page, 'account-04-setup-done');
    await checkAtPhoneWidth(visitor.page, 'account-04-setup-done');
    await visitor.page.getByRole('link', { name: 'Go to sign-in' }).click();
    await visitor.page.waitForURL((url) => url.pathname === '/sign-in');
  } finally {
    await visitor.close();
  }
});

test('the empty console leads to Administration → Tenants, where the owner adds the first tenant', async () => {
  await page().goto('/admin');
  await page().getByRole('link', { name: 'Add tenants' }).click();
  await page().waitForURL(`**/admin/w/${workspace.slug}/tenants`);
  await page().getByRole('button', { name: 'Add tenant' }).first().click();
  const modal = dialog('Add tenant');
  await modal.waitFor();
  await textbox('Name', modal).fill('Contoso Pharma');
  await textbox('External id', modal).fill('contoso-pharma');
  await modal.getByRole('button', { name: 'Add tenant' }).click();
  await modal.getByText('Contoso Pharma added').waitFor();
  await modal.getByRole('button', { name: 'Close', exact: true }).click();

  // Now /admin opens the workspace overview, with a row for the tenant the owner just added.
  await page().goto('/admin');
  await page().waitForURL(`**/admin/w/${workspace.slug}/overview`);
  await page().getByRole('link', { name: 'Contoso Pharma', exact: true }).click();
  await page().waitForURL('**/admin/t/contoso-pharma');
  await heading('Contoso Pharma');
});

test('your account: the header menu opens it; profile, workspaces, and the name changes', async () => {
  await page()
    .getByRole('button', { name: /^Account menu/ })
    .click();
  await assertAccessible(page(), 'account menu');
  await screenshot(page(), 'account-05-menu', { window: true });
  await page().getByRole('menuitem', { name: 'Your account' }).click();
  await page().waitForURL('**/admin/me');
  await heading('Your account');
  await page().getByRole('table', { name: 'Your workspaces' }).getByText(workspace.name).waitFor();
  await page().getByRole('heading', { name: 'No API tokens', level: 3 }).waitFor();
  await assertAccessible(page(), 'account page');
  await screenshot(page(), 'account-06-page');
  await checkAtPhoneWidth(page(), 'account-06-page');

  await page().getByRole('button', { name: 'Change name' }).click();
  const modal = dialog('Change your name');
  await textbox('Name', modal).fill('   ');
  await modal.getByRole('button', { name: 'Save name' }).click();
  await modal.getByText('Enter the name people see you by.').waitFor();
  await assertAccessible(page(), 'name modal');
  await textbox('Name', modal).fill('Ada King');
  await modal.getByRole('button', { name: 'Save name' }).click();
  await modal.waitFor({ state: 'hidden' });
  await page().getByRole('button', { name: 'Account menu: Ada King' }).waitFor();
  // The confirmation is dismissed as a person would, so it does not fade out during the next test's checks.
  const saved = page().getByRole('alert').filter({ hasText: 'Your name is saved.' });
  await saved.getByRole('button', { name: 'Dismiss notification' }).click();
  await saved.waitFor({ state: 'hidden' });
});

test('changing the password: the rule up front, mistakes beside their fields, then the new one works', async () => {
  await page().getByRole('button', { name: 'Change password' }).click();
  const modal = dialog('Change your password');
  await modal.getByText('At least 12 characters.', { exact: false }).waitFor();
  await textbox('Current password', modal).fill('not my password');
  await textbox('New password', modal).fill('too short');
  await textbox('Repeat the new password', modal).fill('too short');
  await modal.getByRole('button', { name: 'Change password' }).click();
  await modal.getByText('Use at least 12 characters (this has 9).').waitFor();

  await textbox('New password', modal).fill(owner.newPassword);
  await textbox('Repeat the new password', modal).fill(owner.newPassword);
  await modal.getByRole('button', { name: 'Change password' }).click();
  await modal.getByText('This is not your current password.').waitFor();
  await page().waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
  assert.equal(
    await textbox('Current password', modal).evaluate((element) => element === document.activeElement),
    true,
    'focus on the field to fix',
  );
  const text = (await modal.textContent()) ?? '';
  assert.match(text, /Nothing was saved/);
  assert.doesNotMatch(text, /current_password|new_password/, 'no API field names');
  await assertAccessible(page(), 'password modal with errors');
  await screenshot(page(), 'account-07-password-errors', { window: true });
  await checkAtPhoneWidth(page(), 'account-07-password-errors', { window: true });

  await textbox('Current password', modal).fill(owner.password);
  await modal.getByRole('button', { name: 'Change password' }).click();
  await modal.getByText('Password changed').waitFor();
  await assertAccessible(page(), 'password changed');
  await modal.getByRole('button', { name: 'Close', exact: true }).click();
  await modal.waitFor({ state: 'hidden' });
  await page().waitForFunction(() => document.activeElement?.textContent === 'Change password');

  // The old password no longer signs in; the new one does.
  const check = await launchBrowser(new URL(page().url()).origin);
  try {
    const answer = async (password: string) =>
      check.page.evaluate(
        async ({ email, password }) =>
          (
            await fetch('/api/session', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
              body: JSON.stringify({ email, password }),
            })
          ).status,
        { email: owner.email, password },
      );
    await check.page.goto('/sign-in');
    assert.equal(await answer(owner.password), 401);
    assert.equal(await answer(owner.newPassword), 200);
  } finally {
    await check.close();
  }
});

test('API tokens: created once with Copy, listed, revoked after a confirmation, and refused afterwards', async () => {
  await page().getByRole('button', { name: 'Create token' }).click();
  const create = dialog('Create an API token');
  await textbox('Name', create).fill('Nightly export');
  await create.getByRole('button', { name: 'Create token' }).click();
  await create.getByText('Copy the token now').waitFor();
  await create.getByText('You will not see it again', { exact: false }).waitFor();
  const token = await textbox('Token “Nightly export”', create).inputValue();
  assert.match(token, /\S{20,}/);
  await create.getByRole('button', { name: 'Copy' }).waitFor();
  await assertAccessible(page(), 'token created');
  await screenshot(page(), 'account-08-token-created', { window: true });
  await checkAtPhoneWidth(page(), 'account-08-token-created', { window: true });
  await create.getByRole('button', { name: 'Close', exact: true }).click();

  const table = page().getByRole('table', { name: 'Your API tokens' });
  await table.getByText('Nightly export').waitFor();
  assert.match((await table.locator('tbody tr').first().innerText()).replace(/\s+/g, ' '), /Never Active/);
  const bearer = (path: string) =>
    page().evaluate(
      async ({ path, token }) =>
        (await fetch(path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }))
          .status,
      { path, token },
    );
  assert.equal(await bearer('/admin/me'), 200);

  await page().getByRole('button', { name: 'Revoke token Nightly export' }).click();
  const revoke = dialog('Revoke API token');
  await revoke.getByText('Anything still using it stops working at once', { exact: false }).waitFor();
  await assertAccessible(page(), 'revoke confirmation');
  await screenshot(page(), 'account-09-token-revoke', { window: true });
  await revoke.getByRole('button', { name: 'Revoke token' }).click();
  await revoke.waitFor({ state: 'hidden' });
  await table.getByText('Revoked', { exact: true }).waitFor();
  assert.equal(await page().getByRole('button', { name: 'Revoke token Nightly export' }).count(), 0);
  assert.equal(await bearer('/admin/me'), 401);
  await screenshot(page(), 'account-10-token-revoked');
});

test('a change that never reaches the server says nothing was saved', async () => {
  await page().route('**/admin/me/tokens', (route) =>
    route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback(),
  );
  try {
    await page().getByRole('button', { name: 'Create token' }).click();
    const create = dialog('Create an API token');
    await textbox('Name', create).fill('Offline');
    await create.getByRole('button', { name: 'Create token' }).click();
    await create
      .getByRole('alert')
      .getByText('Nothing was saved: the server could not be reached. Check your connection and try again.')
      .waitFor();
    await screenshot(page(), 'account-11-network-failure', { window: true });
    await page().keyboard.press('Escape');
    await create.waitFor({ state: 'hidden' });
  } finally {
    await page().unroute('**/admin/me/tokens');
  }
  assert.equal(await page().getByRole('table', { name: 'Your API tokens' }).getByText('Offline').count(), 0);
});

test('an invitation link works once: the password sets, the console opens; used again, it says so', async () => {
  const invited = await api(page(), 'POST', `/admin/w/${workspace.slug}/people`, {
    email: grace.email,
    display_name: grace.name,
    workspace_role: 'operator',
    tenant_roles: [{ tenant: 'contoso-pharma', role: 'operator' }],
  });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const link = new URL((invited.body as { invitation_url: string }).invitation_url);

  const invitee = await launchBrowser(new URL(page().url()).origin);
  try {
    const guest = invitee.page;
    await guest.goto(link.pathname);
    await guest.getByRole('heading', { name: `Join ${workspace.name}`, level: 1 }).waitFor();
    await guest.getByText('Grace Hopper, you have been invited', { exact: false }).waitFor();
    assert.equal(await guest.getByRole('textbox', { name: 'Email', exact: true }).inputValue(), grace.email);
    await assertAccessible(guest, 'invitation');
    await screenshot(guest, 'account-12-invitation');
    await checkAtPhoneWidth(guest, 'account-12-invitation');

    await guest.getByRole('textbox', { name: 'Password', exact: true }).fill(grace.password);
    await guest.getByRole('textbox', { name: 'Repeat the password', exact: true }).fill(grace.password);
    await guest.getByRole('button', { name: 'Set password and sign in' }).click();
    // Signed in, the invitee lands on the overview of the workspace, with the tenant they were given.
    await guest.waitForURL(`**/admin/w/${workspace.slug}/overview`);
    await guest.getByRole('link', { name: 'Contoso Pharma', exact: true }).click();
    await guest.waitForURL('**/admin/t/contoso-pharma');
    await guest.getByRole('heading', { name: 'Contoso Pharma', level: 1 }).waitFor();
    await guest.getByRole('button', { name: `Account menu: ${grace.name}` }).waitFor();

    await guest.goto(link.pathname);
    await guest
      .getByRole('heading', { name: 'This invitation link has already been used or has expired', level: 1 })
      .waitFor();
    await guest
      .getByText('ask the owner of the workspace that invited you for a new link', { exact: false })
      .waitFor();
    await assertAccessible(guest, 'invitation used');
    await screenshot(guest, 'account-13-invitation-used');
    await checkAtPhoneWidth(guest, 'account-13-invitation-used');

    await guest.goto('/invitations/not-a-real-invitation');
    await guest.getByRole('heading', { name: 'This invitation link does not work', level: 1 }).waitFor();
  } finally {
    await invitee.close();
  }
});

test('sign-in after too many failed attempts says when to try again and keeps the e-mail', async () => {
  const visitor = await launchBrowser(new URL(page().url()).origin);
  try {
    const guest = visitor.page;
    await guest.goto('/sign-in');
    const email = guest.getByRole('textbox', { name: 'Email', exact: true });
    // Grace's address: the lock-out is per address and e-mail, and the owner still needs to sign in.
    await email.fill(grace.email);
    const alert = guest.getByRole('alert');
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      await guest.getByRole('textbox', { name: 'Password', exact: true }).fill(`wrong password ${attempt}`);
      await guest.getByRole('button', { name: 'Sign in' }).click();
      await alert.filter({ hasText: 'Email or password is incorrect' }).waitFor();
      await guest.waitForFunction(() => !document.querySelector('button[data-loading]'));
    }
    await guest.getByRole('textbox', { name: 'Password', exact: true }).fill(grace.password);
    await guest.getByRole('button', { name: 'Sign in' }).click();
    await alert.filter({ hasText: 'Sign-in paused' }).waitFor();
    assert.match((await alert.textContent()) ?? '', /Too many failed attempts\. Try again in \d+ minutes\./);
    assert.equal(await email.inputValue(), grace.email, 'the e-mail stays');
    assert.equal(new URL(guest.url()).pathname, '/sign-in', 'a correct password is refused too while paused');
    await assertAccessible(guest, 'sign-in paused');
    await screenshot(guest, 'account-14-sign-in-paused');
    await checkAtPhoneWidth(guest, 'account-14-sign-in-paused');
  } finally {
    await visitor.close();
  }
});
