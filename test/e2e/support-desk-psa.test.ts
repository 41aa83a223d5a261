import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { answer } from '../helpers/fake-desk.ts';
import { type FakeHaloPsa, haloEnv, startFakeHaloPsa } from '../helpers/fake-halopsa.ts';
import {
  assertAccessible,
  checkAtPhoneWidth,
  screenshot,
  signInAs,
  withServerAndBrowser,
} from './helpers.ts';

// The support desk page with a PSA (docs/rules.md "Support desks"): an owner sees HaloPSA and which of its
// variables are set (never a value), and Test connection runs the desk check against a local HaloPSA:
// a token and the API agent when it works, a permission (not a credentials) message for a 403.

const fixture = join(import.meta.dirname, 'support-desk-psa.fixture.json');
let halo: FakeHaloPsa | undefined;

const world = withServerAndBrowser(fixture, {
  env: async () => {
    halo = await startFakeHaloPsa();
    return { ...haloEnv(halo), SUPPORT_DESK_HALO_TENANT: 'acme', SUPPORT_DESK_TIMEOUT_MS: '3000' };
  },
});
after(() => halo?.close());

const page = (): Page => world.page();

async function capture(name: string) {
  await assertAccessible(page(), name);
  await screenshot(page(), `desk-psa-${name}-1280`);
  await checkAtPhoneWidth(page(), `desk-psa-${name}`);
}

test('an owner sees the HaloPSA settings and tests the connection', async () => {
  assert.ok(halo);
  await signInAs(page(), 'owen.owner@acme.test', 'owner-password-1234');
  await page().goto('/admin/w/acme/support-desk');
  await page().getByRole('heading', { name: 'Support desk' }).waitFor();
  await page().getByText('HaloPSA', { exact: true }).waitFor();
  for (const name of ['SUPPORT_DESK_AUTH_URL', 'SUPPORT_DESK_CLIENT_ID', 'SUPPORT_DESK_CLIENT_SECRET']) {
    await page().getByText(name, { exact: true }).waitFor();
  }
  const text = (await page().locator('main').textContent()) ?? '';
  assert.ok(!text.includes(halo.clientSecret), 'the client secret is on the page');
  await capture('settings');

  await page().getByRole('button', { name: 'Test connection' }).click();
  await page()
    .getByText(/credentials accepted \(token issued; API agent TenantPilot API\)/)
    .waitFor();
  assert.ok(halo.tokenRequests >= 1, 'no token was requested');
  assert.equal(halo.tickets.length, 0, 'the check created a ticket');
  await capture('checked');
});

test('a 403 from Halo reads as a permission the API agent lacks, not wrong credentials', async () => {
  assert.ok(halo);
  halo.desk.respondWith((request) =>
    request.path.startsWith('/auth/token')
      ? answer.json(200, { access_token: 'e2e-token-12345678', expires_in: 3600 })
      : answer.json(403, { message: 'You do not have permission to view Agents' }),
  );
  await page().getByRole('button', { name: 'Test connection' }).click();
  const message = page().getByText(/lacks permission to read what the check reads \(HTTP 403\)/);
  await message.waitFor();
  assert.doesNotMatch((await message.textContent()) ?? '', /credentials/);
  await capture('forbidden');
  halo.answerNormally();
});
