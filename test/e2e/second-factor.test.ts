// docs/rules.md "Second factor" and "Sessions" in the browser: a password user sets up an authenticator
// (the code computed here from the secret the page shows), requires it of the workspace, signs out and in
// with a code, then with a recovery code; a colleague without one is led to set it up; a session signed
// in elsewhere is seen on the account page and signed out.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { assertAccessible, checkAtPhoneWidth, screenshot, withServerAndBrowser } from './helpers.ts';

const olivia = { email: 'olivia.owner@contoso-msp.test', password: 'olivia-password-2026' };
const sam = { email: 'sam.operator@contoso-msp.test', password: 'sam-password-2026-x' };
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

const world = withServerAndBrowser(join(import.meta.dirname, 'second-factor.fixture.json'));
const page = (): Page => world.page();

let secret = '';
let recoveryCodes: string[] = [];

/** What the app on the phone shows, `stepsAhead` 30-second steps from now (the server accepts ±1). */
function appCode(stepsAhead = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

async function signOut() {
  await page()
    .getByRole('button', { name: /^Account menu/ })
    .click();
  await page().getByRole('menuitem', { name: 'Sign out' }).click();
  await page().waitForURL((url) => url.pathname === '/sign-in');
}

async function enterPassword(who: { email: string; password: string }) {
  if (!new URL(page().url()).pathname.startsWith('/sign-in')) await page().goto('/sign-in');
  await page().getByRole('textbox', { name: 'Email', exact: true }).fill(who.email);
  await page().getByRole('textbox', { name: 'Password', exact: true }).fill(who.password);
  await page().getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('a password user sets up an authenticator and receives ten recovery codes', async () => {
  await enterPassword(olivia);
  await page().waitForURL((url) => url.pathname !== '/sign-in');
  await page().goto('/admin/me');
  await page().getByRole('heading', { name: 'Two-step sign-in', level: 2 }).waitFor();
  await screenshot(page(), 'second-factor-account-off');
  await page().getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const dialog = page().getByRole('dialog', { name: 'Set up an authenticator app' });
  await dialog.getByRole('img', { name: /QR code/ }).waitFor();
  secret = ((await dialog.getByTestId('totp-secret').textContent()) ?? '').replaceAll(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await assertAccessible(page(), 'enrolment modal');
  await screenshot(page(), 'second-factor-enrol', { window: true });

  // A wrong code is refused beside the field, and the secret stays the same.
  await dialog.getByRole('textbox', { name: /Enter the 6-digit code/ }).fill('000000');
  await dialog.getByRole('button', { name: 'Turn on' }).click();
  await dialog.getByText(/is not the current code/).waitFor();
  await dialog.getByRole('textbox', { name: /Enter the 6-digit code/ }).fill(appCode());
  await dialog.getByRole('button', { name: 'Turn on' }).click();
  const list = dialog.getByTestId('recovery-codes');
  await list.waitFor();
  recoveryCodes = (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
  assert.equal(recoveryCodes.length, 10);
  await assertAccessible(page(), 'recovery codes');
  await screenshot(page(), 'second-factor-recovery-codes', { window: true });
  await checkAtPhoneWidth(page(), 'second-factor-recovery-codes', { window: true });
  await dialog.locator('button', { hasText: 'Close' }).click();
  await page().getByText('Recovery codes left:').waitFor();
  assert.ok(!(await page().content()).includes(secret), 'the secret is not shown again');
  await screenshot(page(), 'second-factor-account-on');
});

test('the owner requires it of the workspace; a colleague without one is led to set it up', async () => {
  await page().goto('/admin/w/contoso/security');
  const toggle = page().getByRole('switch', { name: 'Require two-step sign-in' });
  await toggle.waitFor();
  await page().getByText('1 member has not set up two-step sign-in yet (of 2).').waitFor();
  // By keyboard, as the switch's input is visually hidden behind its track.
  await toggle.focus();
  await page().keyboard.press('Space');
  await page().waitForFunction(
    () => (document.querySelector('input[role="switch"]') as HTMLInputElement | null)?.checked === true,
  );
  await assertAccessible(page(), 'security page');
  await screenshot(page(), 'second-factor-security');
  await checkAtPhoneWidth(page(), 'second-factor-security');
  await signOut();

  await enterPassword(sam);
  await page().waitForURL((url) => url.pathname !== '/sign-in');
  await page().goto('/admin/w/contoso/people');
  await page().getByRole('heading', { name: 'Set up two-step sign-in', level: 1 }).waitFor();
  await assertAccessible(page(), 'enrolment required');
  await screenshot(page(), 'second-factor-required');
  await page().getByRole('link', { name: 'Set up two-step sign-in' }).click();
  await page().waitForURL((url) => url.pathname === '/admin/me');
  await page().getByText('Contoso Managed Services requires a second factor').waitFor();
  await screenshot(page(), 'second-factor-required-account');
  await signOut();
});

test('sign-in asks for the code in a second step; a wrong one is refused, the right one signs in', async () => {
  await enterPassword(olivia);
  await page().getByRole('heading', { name: 'Two-step sign-in', level: 1 }).waitFor();
  assert.equal(new URL(page().url()).pathname, '/sign-in');
  await assertAccessible(page(), 'second step');
  await screenshot(page(), 'second-factor-sign-in-step');
  await checkAtPhoneWidth(page(), 'second-factor-sign-in-step');
  const code = page().getByRole('textbox', { name: 'Code from your app' });
  await code.fill('000000');
  await page().getByRole('button', { name: 'Verify' }).click();
  await page().getByRole('alert').getByText('That code is not right').waitFor();
  await screenshot(page(), 'second-factor-sign-in-wrong');
  // The step after the one enrolment used: a code is never accepted twice.
  await code.fill(appCode(1));
  await page().getByRole('button', { name: 'Verify' }).click();
  await page().waitForURL((url) => url.pathname !== '/sign-in');
  await signOut();
});

test('a recovery code signs in once instead of the app', async () => {
  await enterPassword(olivia);
  await page().getByRole('button', { name: 'Use a recovery code instead' }).click();
  const field = page().getByRole('textbox', { name: 'Recovery code' });
  await field.fill(recoveryCodes[0] ?? '');
  await screenshot(page(), 'second-factor-sign-in-recovery');
  await page().getByRole('button', { name: 'Verify' }).click();
  await page().waitForURL((url) => url.pathname !== '/sign-in');
  await page().goto('/admin/me');
  await page().getByText('Recovery codes left: 9 of 10').waitFor();
});

test('a session signed in elsewhere is listed with its device and signed out from here', async () => {
  const baseUrl = world.server().baseUrl;
  const phone = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': IPHONE },
    body: JSON.stringify({ ...olivia, recovery_code: recoveryCodes[1] }),
  });
  assert.equal(phone.status, 200);
  const phoneCookie = (phone.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const phoneSession = () =>
    fetch(`${baseUrl}/api/session`, { headers: { cookie: phoneCookie, accept: 'application/json' } });
  assert.equal((await phoneSession()).status, 200);

  await page().goto('/admin/me');
  const table = page().getByRole('table', { name: 'Your sessions' });
  await table.getByText('Safari on iPhone').waitFor();
  await table.getByText('This browser').waitFor();
  await assertAccessible(page(), 'account page with sessions');
  await screenshot(page(), 'second-factor-sessions');
  await checkAtPhoneWidth(page(), 'second-factor-sessions');
  await page().getByRole('button', { name: 'Sign out Safari on iPhone' }).click();
  const dialog = page().getByRole('dialog', { name: 'Sign out this session' });
  await dialog.getByRole('button', { name: 'Sign out' }).click();
  await table.getByText('Safari on iPhone').waitFor({ state: 'detached' });
  assert.equal((await phoneSession()).status, 401, 'the phone is signed out at once');
  await table.getByText('This browser').waitFor();
});
