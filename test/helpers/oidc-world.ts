import type { Server } from 'node:http';
import { startTestApp, type TestApp } from './app.ts';
import {
  freePort,
  type ProviderPerson,
  startTestProvider,
  TestBrowser,
  type TestProvider,
} from './oidc-provider.ts';

/**
 * The sign-in tests' world: a real OpenID provider (test/helpers/oidc-provider.ts) and the app listening
 * on a loopback port at its TENANTPILOT_PUBLIC_URL, so a browser can follow the redirects between them.
 */
export interface OidcWorld {
  provider: TestProvider;
  t: TestApp;
  baseUrl: string;
  close(): Promise<void>;
}

export const person = (sub: string, email: string, extra: Partial<ProviderPerson> = {}): ProviderPerson => ({
  sub,
  email,
  name: `Person ${sub}`,
  email_verified: true,
  ...extra,
});

export async function startOidcWorld(
  people: ProviderPerson[],
  env: Record<string, string> = {},
  options: { logStream?: NodeJS.WritableStream } = {},
): Promise<OidcWorld> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const provider = await startTestProvider({
    redirectUris: [`${baseUrl}/auth/oidc/callback`],
    people,
    publicUrl: baseUrl,
  });
  const t = await startTestApp(provider.env(env), options);
  await t.app.listen({ port, host: '127.0.0.1' });
  return {
    provider,
    t,
    baseUrl,
    async close() {
      await t.close();
      await provider.close();
    },
  };
}

/** Starts a sign-in in a fresh browser and logs in at the provider as `login`; answers where it ended. */
export async function signInThroughProvider(
  world: OidcWorld,
  login: string,
  start = '/auth/oidc/start?next=/admin',
  browser = new TestBrowser(),
) {
  const atProvider = await browser.follow(`${world.baseUrl}${start}`);
  if (!atProvider.url.includes('/interaction/')) return { browser, ...atProvider };
  const done = await browser.logIn(
    atProvider.url,
    login,
    (url) => url.startsWith(world.baseUrl) && !url.includes('/auth/oidc/'),
  );
  return { browser, ...done };
}

export type { Server };
