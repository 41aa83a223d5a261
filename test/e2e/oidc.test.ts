// Sign-in through the company's identity provider, in Chromium against a real OpenID provider
// (test/helpers/oidc-provider.ts): a person signs in with it and lands where they were going; an unknown
// person is refused on a clear page. The server trusts the provider's certificate via NODE_EXTRA_CA_CERTS.
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { freePort, startTestProvider, type TestProvider } from '../helpers/oidc-provider.ts';
import {
  assertAccessible,
  checkAtPhoneWidth,
  launchBrowser,
  type RunningBrowser,
  type RunningServer,
  screenshot,
  startServer,
} from './helpers.ts';

let provider: TestProvider | undefined;
let server: RunningServer | undefined;
let browser: RunningBrowser | undefined;

before(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  provider = await startTestProvider({
    redirectUris: [`${publicUrl}/auth/oidc/callback`],
    publicUrl,
    people: [
      { sub: 'dana', email: 'dana@contoso-msp.test', name: 'Dana Dispatcher', email_verified: true },
      { sub: 'stranger', email: 'stranger@elsewhere.test', name: 'Sam Stranger', email_verified: true },
      // Lee's provider account has another e-mail than the invitation: the invitation names Lee.
      { sub: 'lee', email: 'lee.personal@elsewhere.test', name: 'Lee Liaison', email_verified: true },
    ],
  });
  server = await startServer(join(import.meta.dirname, 'oidc.fixture.json'), {
    port,
    env: {
      ...provider.env({ OIDC_PROVIDER_NAME: 'Contoso Entra ID' }),
      NODE_EXTRA_CA_CERTS: provider.certFile,
    },
  });
  // Chromium trusts exactly the provider's throwaway certificate (its public key's SHA-256), nothing else.
  const spki = execSync(
    `openssl x509 -in '${provider.certFile}' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`,
  )
    .toString()
    .trim();
  browser = await launchBrowser(server.baseUrl, { args: [`--ignore-certificate-errors-spki-list=${spki}`] });
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await provider?.close();
});

function page(): Page {
  assert.ok(browser, 'browser not started');
  return browser.page;
}

async function logInAtProvider(login: string) {
  await page().getByRole('heading', { name: 'Test identity provider' }).waitFor();
  await page().getByRole('textbox', { name: 'User name' }).fill(login);
  await page().getByRole('button', { name: 'Continue' }).click();
}

test('a person signs in with the company provider and lands where they were going', async () => {
  await page().goto('/admin/me');
  await page().waitForURL((url) => url.pathname === '/sign-in');
  const button = page().getByRole('link', { name: 'Sign in with Contoso Entra ID' });
  await button.waitFor();
  await assertAccessible(page(), 'sign-in with a provider');
  await screenshot(page(), 'oidc-sign-in');
  await checkAtPhoneWidth(page(), 'oidc-sign-in');
  await button.focus();
  await page().keyboard.press('Enter');
  await logInAtProvider('dana');
  await page().waitForURL((url) => url.pathname === '/admin/me');
  await page().getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
  const session = await page().request.get('/api/session', { headers: { accept: 'application/json' } });
  assert.equal((await session.json()).user.email, 'dana@contoso-msp.test');
  await screenshot(page(), 'oidc-signed-in');
});

test('an unknown person is refused on a clear page, and nobody is signed in', async () => {
  await browser?.context.clearCookies();
  await page().goto('/sign-in');
  await page().getByRole('link', { name: 'Sign in with Contoso Entra ID' }).click();
  await logInAtProvider('stranger');
  await page().waitForURL((url) => url.pathname === '/sign-in/refused');
  await page()
    .getByRole('heading', { name: 'You do not have a TenantPilot account yet', level: 1 })
    .waitFor();
  await page().getByText('Ask an owner of your workspace to invite you').waitFor();
  await assertAccessible(page(), 'sign-in refused');
  await screenshot(page(), 'oidc-refused');
  await checkAtPhoneWidth(page(), 'oidc-refused');
  const session = await page().request.get('/api/session', { headers: { accept: 'application/json' } });
  assert.equal(session.status(), 401);
  await page().getByRole('link', { name: 'Go to sign-in' }).click();
  await page().waitForURL((url) => url.pathname === '/sign-in');
});

test('an invited colleague accepts with the company provider and is signed in to the workspace', async () => {
  await browser?.context.clearCookies();
  const invited = await page().request.post('/admin/w/contoso/people', {
    headers: { authorization: 'Bearer tp_dana_fixture_token_0123456789abcdef', accept: 'application/json' },
    data: { email: 'lee@contoso-msp.test', display_name: 'Lee Liaison', workspace_role: 'readonly' },
  });
  assert.equal(invited.status(), 201, await invited.text());
  await page().goto(new URL((await invited.json()).invitation_url).pathname);
  const accept = page().getByRole('link', { name: 'Accept with Contoso Entra ID' });
  await accept.waitFor();
  await assertAccessible(page(), 'invitation with a provider');
  await screenshot(page(), 'oidc-invitation');
  await checkAtPhoneWidth(page(), 'oidc-invitation');
  await accept.click();
  await logInAtProvider('lee');
  await page().waitForURL((url) => url.pathname.startsWith('/admin'));
  const session = await page().request.get('/api/session', { headers: { accept: 'application/json' } });
  assert.equal((await session.json()).user.email, 'lee@contoso-msp.test');
});
