import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import {
  type Credential,
  request,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { enrolTotp } from '../../../../test/helpers/second-factor.ts';
import {
  createWorkspaceActorWorld,
  expectedWorkspaceStatus,
  type WorkspaceActorKind,
  type WorkspaceActorWorld,
  workspaceActorKinds,
} from '../../../../test/helpers/workspace-actors.ts';
import { sessions, workspaces } from '../tenancy/tables.ts';
import { recoveryCodes, totpFactors } from './tables.ts';

/**
 * docs/rules.md "Access" for the second-factor and session routes, every actor kind with a token and a
 * session: `/admin/me/…` needs someone active signed in; a workspace's security setting and a member's
 * sessions need `workspace.administer` (401, 404, 403, then 422 / 409). Then every body's bad-input sweep.
 */
let t: TestApp;
let world: WorkspaceActorWorld;
/** A member whose sessions the owners list and end (not one of the actor kinds). */
let target = 0;

before(async () => {
  t = await startTestApp();
  world = await createWorkspaceActorWorld(t);
  const member = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: world.workspace.id, userId: member.id });
  target = member.id;
});

after(() => t.close());

const signedOut = (kind: WorkspaceActorKind) => kind === 'anonymous' || kind === 'inactive user';

async function expectEach(
  route: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object },
  expected: (kind: WorkspaceActorKind) => number,
  credentials: (kind: WorkspaceActorKind) => [string, Credential][] = (kind) => world.credentialsOf(kind),
) {
  for (const kind of workspaceActorKinds) {
    for (const [label, credential] of credentials(kind)) {
      const answer = await request(t.app, credential, route);
      assert.equal(
        answer.statusCode,
        expected(kind),
        `${route.method} ${route.url} as ${label}: ${answer.body}`,
      );
    }
  }
}

describe('access matrix', () => {
  test('your second factor: anyone active signed in', async () => {
    await expectEach({ method: 'GET', url: '/admin/me/second-factor' }, (k) => (signedOut(k) ? 401 : 200));
    await expectEach({ method: 'POST', url: '/admin/me/second-factor/enrolment' }, (k) =>
      signedOut(k) ? 401 : 201,
    );
    // Started above, so a wrong code is judged: 422.
    await expectEach(
      { method: 'POST', url: '/admin/me/second-factor/enrolment/confirm', payload: { totp_code: '000000' } },
      (k) => (signedOut(k) ? 401 : 422),
    );
    // Not enrolled: nothing to turn off or renew.
    for (const url of ['/admin/me/second-factor/actions/disable', '/admin/me/second-factor/recovery-codes']) {
      await expectEach({ method: 'POST', url, payload: { password: make.TEST_PASSWORD } }, (k) =>
        signedOut(k) ? 401 : 409,
      );
    }
    await expectEach({ method: 'GET', url: '/admin/me/sessions' }, (k) => (signedOut(k) ? 401 : 200));
    await expectEach({ method: 'DELETE', url: '/admin/me/sessions/2147483647' }, (k) =>
      signedOut(k) ? 401 : 404,
    );
  });

  test("a workspace's security setting: owners only", async () => {
    await expectEach({ method: 'GET', url: `/admin/w/${world.workspace.slug}/security` }, (k) =>
      expectedWorkspaceStatus(k, 'workspace.administer'),
    );
    await expectEach(
      {
        method: 'PATCH',
        url: `/admin/w/${world.workspace.slug}/security`,
        payload: { require_second_factor: false },
      },
      (k) => expectedWorkspaceStatus(k, 'workspace.administer'),
    );
  });

  test("a member's sessions: owners only; someone outside the workspace is its 404", async () => {
    const base = `/admin/w/${world.workspace.slug}/people`;
    await expectEach({ method: 'GET', url: `${base}/${target}/sessions` }, (k) =>
      expectedWorkspaceStatus(k, 'workspace.administer'),
    );
    const outsider = world.userIds['other workspace owner'];
    await expectEach({ method: 'GET', url: `${base}/${outsider}/sessions` }, (k) =>
      // The record is looked up before the role is judged: 404 for every member, as for a stranger.
      signedOut(k) ? 401 : 404,
    );
    await expectEach({ method: 'POST', url: `${base}/${target}/actions/end-sessions` }, (k) =>
      expectedWorkspaceStatus(k, 'workspace.administer'),
    );
  });

  test('ending sessions: your own (a browser keeps itself; a token ends them all)', async () => {
    // Last: a token's "end others" ends that person's browser session too, so browsers go first.
    await expectEach(
      { method: 'POST', url: '/admin/me/sessions/actions/end-others' },
      (k) => (signedOut(k) ? 401 : 200),
      (kind) => [...world.credentialsOf(kind)].reverse(),
    );
  });
});

describe('bad input', () => {
  async function sweep(
    route: { method: 'POST' | 'PATCH'; url: string },
    credential: Credential,
    cases: [unknown, string][],
    written: () => Promise<unknown>,
  ) {
    const before = JSON.stringify(await written());
    for (const [payload, field] of cases) {
      const answer = await request(t.app, credential, { ...route, payload: payload as object });
      assert.equal(answer.statusCode, 422, `${JSON.stringify(payload)}: ${answer.body}`);
      assert.equal(answer.json().error.code, 'invalid');
      assert.ok(
        answer.json().error.fields?.[field],
        `${field} named for ${JSON.stringify(payload)}: ${answer.body}`,
      );
    }
    assert.equal(JSON.stringify(await written()), before, `${route.url}: nothing written`);
  }

  test('enrolment confirmation: the code is six digits', async () => {
    const user = await make.createUser(t.db);
    const credential: Credential = { session: await signIn(t.app, user.email) };
    await request(t.app, credential, { method: 'POST', url: '/admin/me/second-factor/enrolment' });
    await sweep(
      { method: 'POST', url: '/admin/me/second-factor/enrolment/confirm' },
      credential,
      [
        [{}, 'totp_code'],
        [{ totp_code: 123456 }, 'totp_code'],
        [{ totp_code: null }, 'totp_code'],
        [{ totp_code: '12345' }, 'totp_code'],
        [{ totp_code: '1'.repeat(17) }, 'totp_code'],
        [{ totp_code: '12345\u0000' }, 'totp_code'],
        [{ totp_code: '123456', remember: true }, 'remember'],
      ],
      () => t.db.select().from(totpFactors).where(eq(totpFactors.userId, user.id)),
    );
  });

  test('turning off and new recovery codes: exactly one proof, each of its kind', async () => {
    const user = await make.createUser(t.db);
    await enrolTotp(t.db, user.id);
    const credential: Credential = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
    const cases: [unknown, string][] = [
      [{}, 'password'],
      [{ password: 42 }, 'password'],
      [{ password: '' }, 'password'],
      [{ password: 'x'.repeat(1025) }, 'password'],
      [{ totp_code: 'abcdef' }, 'totp_code'],
      [{ totp_code: 123456 }, 'totp_code'],
      [{ recovery_code: 'x'.repeat(65) }, 'recovery_code'],
      [{ recovery_code: ['aaaaa-bbbbb'] }, 'recovery_code'],
      [{ password: make.TEST_PASSWORD, totp_code: '123456' }, 'totp_code'],
      [{ password: make.TEST_PASSWORD, extra: 1 }, 'extra'],
    ];
    const written = async () => [
      await t.db.select().from(totpFactors).where(eq(totpFactors.userId, user.id)),
      await t.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id)),
    ];
    for (const url of ['/admin/me/second-factor/actions/disable', '/admin/me/second-factor/recovery-codes']) {
      await sweep({ method: 'POST', url }, credential, cases, written);
    }
  });

  test("a workspace's security setting: one boolean", async () => {
    const credential = world.token('owner');
    await sweep(
      { method: 'PATCH', url: `/admin/w/${world.workspace.slug}/security` },
      credential,
      [
        [{}, 'require_second_factor'],
        [{ require_second_factor: 'yes' }, 'require_second_factor'],
        [{ require_second_factor: null }, 'require_second_factor'],
        [{ require_second_factor: 1 }, 'require_second_factor'],
        [{ require_second_factor: false, name: 'x' }, 'name'],
      ],
      () => t.db.select().from(workspaces).where(eq(workspaces.id, world.workspace.id)),
    );
  });

  test('session ids that name nothing are the 404 of an unknown one, and nothing ends', async () => {
    const user = await make.createUser(t.db);
    const credential: Credential = { session: await signIn(t.app, user.email) };
    const count = async () =>
      (await t.db.select({ n: sql<number>`count(*)` }).from(sessions).where(eq(sessions.userId, user.id)))[0];
    const before = await count();
    for (const id of ['abc', '-1', '0', '1.5', '99999999999999999999', '%00']) {
      const answer = await request(t.app, credential, { method: 'DELETE', url: `/admin/me/sessions/${id}` });
      assert.equal(answer.statusCode, 404, id);
    }
    assert.deepEqual(await count(), before);
  });
});
