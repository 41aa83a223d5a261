import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, mock, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { startTestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { TestBrowser } from '../../../../test/helpers/oidc-provider.ts';
import {
  type OidcWorld,
  person,
  signInThroughProvider,
  startOidcWorld,
} from '../../../../test/helpers/oidc-world.ts';
import { auditEvents } from '../audit/tables.ts';
import { sessions, users } from '../tenancy/tables.ts';
import { oidcIdentities, oidcPendingLogins, oidcSessions } from './tables.ts';

/**
 * docs/rules.md "Sign-in through the identity provider", against a real OpenID provider: the whole flow
 * through HTTP, a browser's cookie jar and redirects, on this file's database (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL).
 */

let world: OidcWorld;
const logs: string[] = [];

before(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
  world = await startOidcWorld(
    [
      person('alice-sub', 'alice@example.test'),
      person('bob-sub', 'bob@example.test', { email_verified: false }),
      person('entra-sub', 'erin@example.test', { email_verified: undefined, xms_edov: true }),
      person('stranger-sub', 'stranger@example.test'),
      person('ivan-sub', 'ivan@example.test'),
      person('skew-sub', 'sky@example.test'),
      person('kim-sub', 'kim@example.test'),
      person('tess-sub', 'tess@example.test'),
    ],
    { LOG_LEVEL: 'trace' },
    { logStream: stream },
  );
  await make.createUser(world.t.db, { email: 'Alice@Example.test', displayName: 'Alice' });
  await make.createUser(world.t.db, { email: 'bob@example.test' });
  await make.createUser(world.t.db, { email: 'erin@example.test' });
  await make.createUser(world.t.db, { email: 'ivan@example.test', active: false });
  await make.createUser(world.t.db, { email: 'sky@example.test' });
  await make.createUser(world.t.db, { email: 'kim@example.test' });
  await make.createUser(world.t.db, { email: 'tess@example.test' });
});
after(() => world.close());

const refusal = (reason: string) => `${world.baseUrl}/sign-in/refused?reason=${reason}`;

async function whoAmI(browser: TestBrowser) {
  const response = await browser.send(`${world.baseUrl}/api/session`, {
    headers: { accept: 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as { user?: { email: string } } };
}

async function userCount() {
  const [row] = await world.t.db.select({ n: count() }).from(users);
  return row?.n;
}

describe('a person the provider vouches for', () => {
  test('signs in: the first time by verified e-mail (linked), the normal session cookie, sent back to next', async () => {
    const done = await signInThroughProvider(world, 'alice-sub', '/auth/oidc/start?next=/admin/me');
    assert.equal(done.url, `${world.baseUrl}/admin/me`);
    const me = await whoAmI(done.browser);
    assert.equal(me.status, 200);
    assert.equal(me.body.user?.email, 'Alice@Example.test');
    assert.ok(done.browser.cookie(world.baseUrl, 'tp_session'));
    assert.equal(done.browser.cookie(world.baseUrl, 'tp_oidc_state'), undefined, 'state cookie cleared');
    const [identity] = await world.t.db
      .select()
      .from(oidcIdentities)
      .where(eq(oidcIdentities.subject, 'alice-sub'));
    assert.equal(identity?.issuer, world.provider.issuer);
    assert.equal(identity?.linkedVia, 'verified_email');
    const linked = await world.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'user.identity_linked'));
    assert.equal(linked.length, 1);
    const [providerSession] = await world.t.db
      .select()
      .from(oidcSessions)
      .where(eq(oidcSessions.identityId, identity?.id ?? 0));
    assert.ok(providerSession?.refreshToken, 'a refresh token is kept');
    assert.ok(providerSession.recheckDueAt.getTime() - Date.now() <= 3600_000 + 5000, 'due within the hour');
    // "Your sessions" knows the device and address, as for a password sign-in.
    const [session] = await world.t.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, providerSession.sessionId));
    assert.ok(session?.userAgent && session.clientAddress === '127.0.0.1');
    const signedIn = await world.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'session.signed_in'));
    assert.deepEqual(
      signedIn.map((event) => (event.after as { via?: string } | null)?.via),
      ['oidc'],
    );
  });

  test('a first sign-in in several tabs at once signs in each and links once', async () => {
    // Six tabs, so that some callback reads "not linked yet" just before another's link commits.
    const tabs = await Promise.all(Array.from({ length: 6 }, () => signInThroughProvider(world, 'tess-sub')));
    for (const done of tabs) {
      assert.equal(done.url, `${world.baseUrl}/admin`);
      assert.equal((await whoAmI(done.browser)).body.user?.email, 'tess@example.test');
    }
    const identities = await world.t.db
      .select()
      .from(oidcIdentities)
      .where(eq(oidcIdentities.subject, 'tess-sub'));
    assert.equal(identities.length, 1);
    const linked = await world.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'user.identity_linked'));
    assert.equal(
      linked.filter((event) => (event.after as { subject?: string }).subject === 'tess-sub').length,
      1,
    );
  });

  test('the next time by issuer + subject: an e-mail changed at the provider still reaches the same person', async () => {
    await world.provider.setPeople([person('alice-sub', 'alice.new@example.test')]);
    try {
      const done = await signInThroughProvider(world, 'alice-sub');
      assert.equal(done.url, `${world.baseUrl}/admin`);
      assert.equal((await whoAmI(done.browser)).body.user?.email, 'Alice@Example.test');
    } finally {
      await restorePeople();
    }
  });

  test("Microsoft Entra ID's xms_edov vouches for the e-mail (it sends no email_verified)", async () => {
    const done = await signInThroughProvider(world, 'entra-sub');
    assert.equal((await whoAmI(done.browser)).body.user?.email, 'erin@example.test');
  });

  test('a provider clock 30 s ahead is within the tolerated skew', async () => {
    await world.provider.setClockOffset(30);
    try {
      const done = await signInThroughProvider(world, 'skew-sub');
      assert.equal((await whoAmI(done.browser)).status, 200);
    } finally {
      await world.provider.setClockOffset(0);
    }
  });
});

async function restorePeople() {
  await world.provider.setPeople([
    person('alice-sub', 'alice@example.test'),
    person('bob-sub', 'bob@example.test', { email_verified: false }),
    person('entra-sub', 'erin@example.test', { email_verified: undefined, xms_edov: true }),
    person('stranger-sub', 'stranger@example.test'),
    person('ivan-sub', 'ivan@example.test'),
    person('skew-sub', 'sky@example.test'),
    person('kim-sub', 'kim@example.test'),
  ]);
}

describe('refused on a clear page, and nothing made', () => {
  test('an unknown person is refused, never created', async () => {
    const before = await userCount();
    const done = await signInThroughProvider(world, 'stranger-sub');
    assert.equal(done.url, refusal('unknown_person'));
    assert.equal(done.browser.cookie(world.baseUrl, 'tp_session'), undefined);
    assert.equal(await userCount(), before);
    const refusedPage = await done.browser.send(done.url);
    assert.equal(refusedPage.status, 200, 'the refusal page is served');
  });

  test('an e-mail the provider does not vouch for links nobody, even to an existing account', async () => {
    const done = await signInThroughProvider(world, 'bob-sub');
    assert.equal(done.url, refusal('unverified_email'));
    const linked = await world.t.db
      .select()
      .from(oidcIdentities)
      .where(eq(oidcIdentities.subject, 'bob-sub'));
    assert.deepEqual(linked, []);
  });

  test('an inactive user is refused', async () => {
    const done = await signInThroughProvider(world, 'ivan-sub');
    assert.equal(done.url, refusal('inactive'));
    assert.equal(done.browser.cookie(world.baseUrl, 'tp_session'), undefined);
  });

  test('a wrong state (not the one this browser was given) is refused, and so is a missing one', async () => {
    const browser = new TestBrowser();
    const atProvider = await browser.follow(`${world.baseUrl}/auth/oidc/start`);
    const callback = await browser.logIn(atProvider.url, 'alice-sub', (url) =>
      url.includes('/auth/oidc/callback'),
    );
    const forged = new URL(callback.url);
    forged.searchParams.set('state', 'not-the-state-this-browser-was-given');
    const answer = await browser.follow(forged.toString(), (url) => url.includes('/sign-in/refused'));
    assert.equal(answer.url, refusal('expired'));
    const stranger = new TestBrowser();
    const noCookie = await stranger.follow(callback.url, (url) => url.includes('/sign-in/refused'));
    assert.equal(noCookie.url, refusal('expired'), "another browser cannot finish this browser's sign-in");
    assert.equal(stranger.cookie(world.baseUrl, 'tp_session'), undefined);
  });

  test('a replayed code is refused: the sign-in it belonged to is used up, and the provider refuses it again', async () => {
    const browser = new TestBrowser();
    const atProvider = await browser.follow(`${world.baseUrl}/auth/oidc/start`);
    const callback = await browser.logIn(atProvider.url, 'kim-sub', (url) =>
      url.includes('/auth/oidc/callback'),
    );
    const state = browser.cookie(world.baseUrl, 'tp_oidc_state') ?? '';
    const first = await browser.follow(callback.url, (url) => !url.includes('/auth/oidc/'));
    assert.equal(first.url, `${world.baseUrl}/admin`);
    // The same answer again, with the state cookie put back as an attacker holding both would.
    browser.cookies.get(new URL(world.baseUrl).host)?.set('tp_oidc_state', state);
    const replay = await browser.follow(callback.url, (url) => url.includes('/sign-in/refused'));
    assert.equal(replay.url, refusal('expired'));
    // With a fresh sign-in's state (the provider remembers this browser: straight back), the old code
    // reaches the provider, which refuses it.
    const fresh = await browser.follow(`${world.baseUrl}/auth/oidc/start`, (url) =>
      url.includes('/auth/oidc/callback'),
    );
    assert.ok(fresh.url.includes('/auth/oidc/callback'));
    const withNewState = new URL(callback.url);
    withNewState.searchParams.set('state', new URL(fresh.url).searchParams.get('state') ?? '');
    const reused = await browser.follow(withNewState.toString(), (url) => url.includes('/sign-in/refused'));
    assert.equal(reused.url, refusal('provider_error'));
  });

  test('an expired ID token is refused (a provider clock two hours behind)', async () => {
    await world.provider.setClockOffset(-2 * 3600);
    try {
      const done = await signInThroughProvider(world, 'alice-sub');
      assert.equal(done.url, refusal('provider_error'));
      assert.equal(done.browser.cookie(world.baseUrl, 'tp_session'), undefined);
    } finally {
      await world.provider.setClockOffset(0);
    }
  });

  test('an ID token signed with a key the issuer does not publish is refused', async () => {
    // The app holds the issuer's published keys from the sign-ins above.
    await world.provider.signWithUnpublishedKey();
    const done = await signInThroughProvider(world, 'alice-sub');
    assert.equal(done.url, refusal('provider_error'));
    assert.equal(done.browser.cookie(world.baseUrl, 'tp_session'), undefined);
  });

  test('a rotated key is fetched from the issuer and accepted', async () => {
    await world.provider.rotateKeys();
    // The keys cached at the sign-ins above are refetched for an unknown key id once a minute has passed.
    const now = Date.now();
    mock.method(Date, 'now', () => now + 61_000);
    try {
      const done = await signInThroughProvider(world, 'alice-sub');
      assert.equal(done.url, `${world.baseUrl}/admin`);
    } finally {
      mock.restoreAll();
    }
  });

  test('every refusal is in the audit log, with the reason and no secret', async () => {
    const failed = await world.t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'session.sign_in_failed'));
    const reasons = new Set(failed.map((event) => (event.after as { reason: string }).reason));
    for (const reason of ['unknown_person', 'unverified_email', 'inactive', 'expired', 'provider_error']) {
      assert.ok(reasons.has(reason), reason);
    }
  });
});

describe('start', () => {
  test('bad input is 422 naming the parameter, and starts nothing', async () => {
    const pendingBefore = await world.t.db.select({ n: count() }).from(oidcPendingLogins);
    const sweep: [string, string][] = [
      ['next=//evil.example', 'next'],
      ['next=https://evil.example/', 'next'],
      ['next=/\\evil.example', 'next'],
      ['next=admin', 'next'],
      ['next=/a%00b', 'next'],
      ['next=/a%0Ab', 'next'],
      [`next=/${'a'.repeat(2048)}`, 'next'],
      ['next=/a&next=/b', 'next'],
      [`invitation=${'x'.repeat(201)}`, 'invitation'],
      ['invitation=', 'invitation'],
      ['invitation=a&invitation=b', 'invitation'],
      ['unknown=1', 'unknown'],
      ['next[]=/admin', 'next[]'],
    ];
    for (const [query, field] of sweep) {
      const response = await fetch(`${world.baseUrl}/auth/oidc/start?${query}`, { redirect: 'manual' });
      assert.equal(response.status, 422, query);
      assert.deepEqual(Object.keys((await response.json()).error.fields), [field], query);
    }
    assert.deepEqual(await world.t.db.select({ n: count() }).from(oidcPendingLogins), pendingBefore);
  });

  test('GET /auth/oidc names the provider for the sign-in page', async () => {
    const response = await fetch(`${world.baseUrl}/auth/oidc`, { headers: { accept: 'application/json' } });
    assert.deepEqual(await response.json(), {
      provider_name: 'Test IdP',
      start_url: '/auth/oidc/start',
      password_sign_in: 'everyone',
    });
  });

  test('a sign-in started by one server process is finished by another (the pending state is in the database)', async () => {
    const other = await startTestApp(world.provider.env(), { database: world.t.database });
    try {
      const browser = new TestBrowser();
      const start = await world.t.app.inject({ method: 'GET', url: '/auth/oidc/start?next=/admin/me' });
      assert.equal(start.statusCode, 302);
      const state = start.cookies.find((cookie) => cookie.name === 'tp_oidc_state')?.value ?? '';
      const atProvider = await browser.follow(String(start.headers.location));
      const callback = await browser.logIn(atProvider.url, 'kim-sub', (url) =>
        url.includes('/auth/oidc/callback'),
      );
      const finished = await other.app.inject({
        method: 'GET',
        url: new URL(callback.url).pathname + new URL(callback.url).search,
        cookies: { tp_oidc_state: state },
      });
      assert.equal(finished.statusCode, 303);
      assert.equal(finished.headers.location, '/admin/me');
      assert.ok(finished.cookies.some((cookie) => cookie.name === 'tp_session'));
    } finally {
      await other.close();
    }
  });
});

test('no secret reaches a log: client secret, code, state, tokens', async () => {
  const text = logs.join('');
  assert.ok(text.includes('/auth/oidc/callback'), 'the callback was logged');
  assert.ok(!text.includes(world.provider.clientSecret), 'client secret');
  assert.doesNotMatch(text, /[?&]code=(?!\[redacted\])/, 'authorization code');
  assert.doesNotMatch(text, /[?&]state=(?!\[redacted\])/, 'state');
  const [stored] = await world.t.db.select().from(oidcSessions).limit(1);
  assert.ok(stored?.refreshToken && !text.includes(stored.refreshToken));
});
