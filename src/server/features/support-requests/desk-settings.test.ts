import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { answer, type FakeDesk, startFakeDesk } from '../../../../test/helpers/fake-desk.ts';
import {
  createWorkspaceActorWorld,
  type WorkspaceActorKind,
  type WorkspaceActorWorld,
  workspaceActorKinds,
} from '../../../../test/helpers/workspace-actors.ts';
import { auditEvents } from '../audit/tables.ts';

/**
 * docs/rules.md "Administration": the desk page's API. The desk is the installation's; an owner of any
 * workspace may see its settings (never a secret) and test it; every other signed-in person gets 403.
 */
const SECRET = 'planted-desk-secret-93c1';
let base: TestApp;
let world: WorkspaceActorWorld;
let fake: FakeDesk;
const apps: TestApp[] = [];

before(async () => {
  base = await startTestApp();
  world = await createWorkspaceActorWorld(base);
  fake = await startFakeDesk();
});
after(async () => {
  for (const t of apps) await t.close();
  await base.close();
  await fake.close();
});

/** The same database, served with these desk settings. */
async function appWith(env: Record<string, string>): Promise<TestApp> {
  const t = await startTestApp(env, { database: base.database });
  apps.push(t);
  return t;
}

const settingsOf = (t: TestApp, credential: Credential = world.token('owner')) =>
  request(t.app, credential, { method: 'GET', url: '/admin/support-desk/settings' });
const check = (t: TestApp, credential: Credential = world.token('owner')) =>
  request(t.app, credential, { method: 'POST', url: '/admin/support-desk/actions/check', payload: {} });

function expected(kind: WorkspaceActorKind): number {
  if (kind === 'anonymous' || kind === 'inactive user') return 401;
  return kind === 'owner' || kind === 'other workspace owner' ? 200 : 403;
}

describe('access: signed in, and an owner of some workspace', () => {
  for (const kind of workspaceActorKinds) {
    test(kind, async () => {
      const t = await appWith({ SUPPORT_DESK_PROVIDER: 'webhook', SUPPORT_DESK_URL: fake.url });
      for (const [label, credential] of world.credentialsOf(kind)) {
        const settings = await settingsOf(t, credential);
        assert.equal(settings.statusCode, expected(kind), `${label} settings: ${settings.body}`);
        const checked = await check(t, credential);
        assert.equal(checked.statusCode, expected(kind), `${label} check: ${checked.body}`);
        if (expected(kind) === 403) assert.equal(checked.json().error.code, 'forbidden');
      }
    });
  }

  test('a browser session without the CSRF token cannot run the check', async () => {
    const t = await appWith({ SUPPORT_DESK_PROVIDER: 'webhook', SUPPORT_DESK_URL: fake.url });
    const [, session] = world.credentialsOf('owner')[1] ?? [];
    assert.ok(session && 'session' in session);
    const response = await t.app.inject({
      method: 'POST',
      url: '/admin/support-desk/actions/check',
      headers: { cookie: session.session.cookie, accept: 'application/json' },
      payload: {},
    });
    assert.equal(response.statusCode, 403);
  });
});

describe('settings: what is set, never a value', () => {
  const cases: [string, Record<string, string>, Record<string, unknown>][] = [
    [
      'no desk',
      {},
      { provider: null, display_name: null, url: null, timeout_ms: 5000, configured: {}, ready: false },
    ],
    [
      'zendesk, complete; the URL loses its user info and query',
      {
        SUPPORT_DESK_PROVIDER: 'zendesk',
        SUPPORT_DESK_URL: `https://agent:${SECRET}@yourco.zendesk.com/base?key=${SECRET}#${SECRET}`,
        SUPPORT_DESK_EMAIL: 'agent@yourco.test',
        SUPPORT_DESK_API_TOKEN: SECRET,
        SUPPORT_DESK_TIMEOUT_MS: '3000',
      },
      {
        provider: 'zendesk',
        display_name: 'Zendesk',
        url: 'https://yourco.zendesk.com/base',
        timeout_ms: 3000,
        configured: { SUPPORT_DESK_EMAIL: true, SUPPORT_DESK_API_TOKEN: true },
        ready: true,
      },
    ],
    [
      'zendesk without its token',
      {
        SUPPORT_DESK_PROVIDER: 'zendesk',
        SUPPORT_DESK_URL: 'https://yourco.zendesk.com',
        SUPPORT_DESK_EMAIL: 'a@b.test',
      },
      {
        provider: 'zendesk',
        display_name: 'Zendesk',
        url: 'https://yourco.zendesk.com',
        timeout_ms: 5000,
        configured: { SUPPORT_DESK_EMAIL: true, SUPPORT_DESK_API_TOKEN: false },
        ready: false,
      },
    ],
    [
      'webhook without a secret: ready (the secret only signs)',
      { SUPPORT_DESK_PROVIDER: 'webhook', SUPPORT_DESK_URL: 'https://hooks.example.test/tp' },
      {
        provider: 'webhook',
        display_name: 'Support desk (webhook)',
        url: 'https://hooks.example.test/tp',
        timeout_ms: 5000,
        configured: { SUPPORT_DESK_SECRET: false },
        ready: true,
      },
    ],
    [
      'webhook without a URL',
      { SUPPORT_DESK_PROVIDER: 'webhook', SUPPORT_DESK_SECRET: SECRET },
      {
        provider: 'webhook',
        display_name: 'Support desk (webhook)',
        url: null,
        timeout_ms: 5000,
        configured: { SUPPORT_DESK_SECRET: true },
        ready: false,
      },
    ],
    [
      'freshdesk: the token is needed, the email is used when set',
      {
        SUPPORT_DESK_PROVIDER: 'freshdesk',
        SUPPORT_DESK_URL: 'https://yourco.freshdesk.com',
        SUPPORT_DESK_API_TOKEN: SECRET,
      },
      {
        provider: 'freshdesk',
        display_name: 'Freshdesk',
        url: 'https://yourco.freshdesk.com',
        timeout_ms: 5000,
        configured: { SUPPORT_DESK_API_TOKEN: true, SUPPORT_DESK_EMAIL: false },
        ready: true,
      },
    ],
    [
      'jira service management without its request type',
      {
        SUPPORT_DESK_PROVIDER: 'jira_service_management',
        SUPPORT_DESK_URL: 'https://yourco.atlassian.net',
        SUPPORT_DESK_EMAIL: 'a@b.test',
        SUPPORT_DESK_API_TOKEN: SECRET,
        SUPPORT_DESK_SERVICE_DESK_ID: '4',
      },
      {
        provider: 'jira_service_management',
        display_name: 'Jira Service Management',
        url: 'https://yourco.atlassian.net',
        timeout_ms: 5000,
        configured: {
          SUPPORT_DESK_EMAIL: true,
          SUPPORT_DESK_API_TOKEN: true,
          SUPPORT_DESK_SERVICE_DESK_ID: true,
          SUPPORT_DESK_REQUEST_TYPE_ID: false,
        },
        ready: false,
      },
    ],
    [
      'halopsa: the client credentials are needed, the tenant is used when hosted',
      {
        SUPPORT_DESK_PROVIDER: 'halopsa',
        SUPPORT_DESK_URL: 'https://yourco.halopsa.com',
        SUPPORT_DESK_AUTH_URL: 'https://yourco.halopsa.com/auth',
        SUPPORT_DESK_CLIENT_ID: 'app-id',
        SUPPORT_DESK_CLIENT_SECRET: SECRET,
      },
      {
        provider: 'halopsa',
        display_name: 'HaloPSA',
        url: 'https://yourco.halopsa.com',
        timeout_ms: 5000,
        configured: {
          SUPPORT_DESK_AUTH_URL: true,
          SUPPORT_DESK_CLIENT_ID: true,
          SUPPORT_DESK_CLIENT_SECRET: true,
          SUPPORT_DESK_HALO_TENANT: false,
        },
        ready: true,
      },
    ],
    [
      'connectwise_psa without its board',
      {
        SUPPORT_DESK_PROVIDER: 'connectwise_psa',
        SUPPORT_DESK_URL: 'https://api-na.myconnectwise.net/v4_6_release',
        SUPPORT_DESK_COMPANY_ID: 'acme',
        SUPPORT_DESK_PUBLIC_KEY: 'pub',
        SUPPORT_DESK_PRIVATE_KEY: SECRET,
        SUPPORT_DESK_CLIENT_ID: 'client-guid',
      },
      {
        provider: 'connectwise_psa',
        display_name: 'ConnectWise PSA',
        url: 'https://api-na.myconnectwise.net/v4_6_release',
        timeout_ms: 5000,
        configured: {
          SUPPORT_DESK_COMPANY_ID: true,
          SUPPORT_DESK_PUBLIC_KEY: true,
          SUPPORT_DESK_PRIVATE_KEY: true,
          SUPPORT_DESK_CLIENT_ID: true,
          SUPPORT_DESK_BOARD_ID: false,
        },
        ready: false,
      },
    ],
    [
      'autotask',
      {
        SUPPORT_DESK_PROVIDER: 'autotask',
        SUPPORT_DESK_URL: 'https://webservices5.autotask.net',
        SUPPORT_DESK_API_INTEGRATION_CODE: SECRET,
        SUPPORT_DESK_USERNAME: 'api@acme.test',
        SUPPORT_DESK_SECRET: SECRET,
        SUPPORT_DESK_QUEUE_ID: '8',
      },
      {
        provider: 'autotask',
        display_name: 'Autotask',
        url: 'https://webservices5.autotask.net',
        timeout_ms: 5000,
        configured: {
          SUPPORT_DESK_API_INTEGRATION_CODE: true,
          SUPPORT_DESK_USERNAME: true,
          SUPPORT_DESK_SECRET: true,
          SUPPORT_DESK_QUEUE_ID: true,
        },
        ready: true,
      },
    ],
  ];
  for (const [name, env, view] of cases) {
    test(name, async () => {
      const t = await appWith(env);
      const response = await settingsOf(t);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), view);
      assert.ok(!response.body.includes(SECRET), 'no secret in the answer');
    });
  }
});

describe("check: the CLI's desk check, audited", () => {
  const zendesk = () => ({
    SUPPORT_DESK_PROVIDER: 'zendesk',
    SUPPORT_DESK_URL: fake.url,
    SUPPORT_DESK_EMAIL: 'agent@yourco.test',
    SUPPORT_DESK_API_TOKEN: SECRET,
    SUPPORT_DESK_TIMEOUT_MS: '1000',
  });

  const lastCheck = async () => {
    const rows = await base.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, 'support_desk.checked'), eq(auditEvents.actorUserId, world.userIds.owner)),
      )
      .orderBy(auditEvents.id);
    return rows.at(-1);
  };

  test('accepted: ok, one read at the desk, audited with the actor and no workspace', async () => {
    const t = await appWith(zendesk());
    fake.respondWith(answer.json(200, { user: { id: 9, email: 'agent@yourco.test', role: 'admin' } }));
    const before = fake.requests.length;
    const response = await check(t);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      ok: true,
      summary: `Zendesk at ${fake.url}: credentials accepted (signed in as agent@yourco.test, role admin)`,
    });
    assert.equal(fake.requests.length, before + 1);
    assert.equal(fake.requests.at(-1)?.method, 'GET');
    const event = await lastCheck();
    assert.ok(event);
    assert.equal(event.workspaceId, null);
    assert.equal(event.subjectType, 'support_desk');
    assert.equal(event.subjectId, 'zendesk');
    assert.deepEqual(event.after, response.json());
    assert.equal(event.clientAddress, '127.0.0.1');

    // An account event of a member: the owner's workspace audit log lists it.
    const log = await request(t.app, world.token('owner'), {
      method: 'GET',
      url: `/admin/w/${world.workspace.slug}/audit?action=support_desk.checked`,
    });
    assert.ok(log.json().items.some((item: { id: number }) => item.id === Number(event.id)));
  });

  test('refused credentials: ok false, a summary without the secret, audited', async () => {
    const t = await appWith(zendesk());
    fake.respondWith(answer.json(401, { error: `bad token ${SECRET}` }));
    const response = await check(t);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().ok, false);
    assert.match(response.json().summary, /^Zendesk at http:\/\/127\.0\.0\.1:\d+: .*credentials/);
    assert.ok(!response.body.includes(SECRET));
    assert.deepEqual((await lastCheck())?.after, response.json());
  });

  test('no desk configured: ok false saying what to set, no outbound call', async () => {
    const t = await appWith({});
    const before = fake.requests.length;
    const response = await check(t);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      ok: false,
      summary:
        'No support desk is configured: set SUPPORT_DESK_PROVIDER (webhook, zendesk, freshdesk, jira_service_management, halopsa, connectwise_psa or autotask) and SUPPORT_DESK_URL.',
    });
    assert.equal(fake.requests.length, before);
    assert.equal((await lastCheck())?.subjectId, 'none');
  });

  test('not an owner: 403 and nothing audited, no call', async () => {
    const t = await appWith(zendesk());
    const beforeRequests = fake.requests.length;
    const beforeEvents = await base.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'support_desk.checked'));
    const response = await check(t, world.token('manager'));
    assert.equal(response.statusCode, 403);
    assert.equal(fake.requests.length, beforeRequests);
    const afterEvents = await base.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'support_desk.checked'));
    assert.equal(afterEvents.length, beforeEvents.length);
  });
});
