import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  createWorkspaceActorWorld,
  expectedWorkspaceStatus,
  type WorkspaceActorKind,
  type WorkspaceActorWorld,
  workspaceActorKinds,
} from '../../../../test/helpers/workspace-actors.ts';
import { commandLine, issueApiToken } from './tokens.ts';

/**
 * docs/rules.md "Access" for the account routes, every actor kind with a token and a session:
 * `/admin/me…` needs only someone (active) signed in; `/admin/w/{workspace}/tokens…` needs
 * `workspace.administer`, a token of someone else is the 404 of an unknown one, before 403 and 422.
 */
let t: TestApp;
let world: WorkspaceActorWorld;
let outsiderTokenId = 0;

before(async () => {
  t = await startTestApp();
  world = await createWorkspaceActorWorld(t);
  // A member of the other workspace: their tokens are not this workspace's.
  const outsider = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: world.otherWorkspace.id, userId: outsider.id });
  outsiderTokenId = (await tokenOf(outsider.id)).id;
});

after(() => t.close());

/** A fresh token of the user, made through the API's own service so its id is known. */
async function tokenOf(userId: number) {
  return issueApiToken(t.db, { userId, name: 'matrix' }, commandLine);
}

const userIdOf = (kind: WorkspaceActorKind) => (kind === 'anonymous' ? null : world.userIds[kind]);

/** The actor routes answer everyone signed in (a suspended owner too: it is their own account). */
const actorStatus = (kind: WorkspaceActorKind, success: number) =>
  kind === 'anonymous' || kind === 'inactive user' ? 401 : success;

type Case = [
  name: string,
  expected: (kind: WorkspaceActorKind) => number,
  send: (c: Credential, kind: WorkspaceActorKind) => ReturnType<typeof request>,
];

const cases: Case[] = [
  [
    'GET /admin/me',
    (k) => actorStatus(k, 200),
    (c) => request(t.app, c, { method: 'GET', url: '/admin/me' }),
  ],
  [
    'PATCH /admin/me',
    (k) => actorStatus(k, 200),
    (c) => request(t.app, c, { method: 'PATCH', url: '/admin/me', payload: { display_name: 'Renamed' } }),
  ],
  [
    // An empty body passes access and is refused as input: the password is never changed by the matrix.
    'POST /admin/me/password',
    (k) => actorStatus(k, 422),
    (c) => request(t.app, c, { method: 'POST', url: '/admin/me/password', payload: {} }),
  ],
  [
    'GET /admin/me/tokens',
    (k) => actorStatus(k, 200),
    (c) => request(t.app, c, { method: 'GET', url: '/admin/me/tokens' }),
  ],
  [
    'POST /admin/me/tokens',
    (k) => actorStatus(k, 201),
    (c) => request(t.app, c, { method: 'POST', url: '/admin/me/tokens', payload: { name: 'matrix' } }),
  ],
  [
    'DELETE /admin/me/tokens/{own}',
    (k) => actorStatus(k, 204),
    async (c, kind) => {
      const userId = userIdOf(kind);
      const id = userId ? (await tokenOf(userId)).id : outsiderTokenId;
      return request(t.app, c, { method: 'DELETE', url: `/admin/me/tokens/${id}` });
    },
  ],
  [
    "DELETE /admin/me/tokens/{someone else's}",
    (k) => actorStatus(k, 404),
    (c) => request(t.app, c, { method: 'DELETE', url: `/admin/me/tokens/${outsiderTokenId}` }),
  ],
  [
    'GET /admin/w/{workspace}/tokens',
    (k) => expectedWorkspaceStatus(k, 'workspace.administer'),
    (c) => request(t.app, c, { method: 'GET', url: `/admin/w/${world.workspace.slug}/tokens` }),
  ],
  [
    "DELETE /admin/w/{workspace}/tokens/{a member's}",
    (k) => expectedWorkspaceStatus(k, 'workspace.administer', 204),
    async (c) => {
      const { id } = await tokenOf(world.userIds.readonly);
      return request(t.app, c, { method: 'DELETE', url: `/admin/w/${world.workspace.slug}/tokens/${id}` });
    },
  ],
  [
    "DELETE /admin/w/{workspace}/tokens/{a non-member's}",
    // The record's 404 comes before the role's 403: a manager learns nothing about other people's tokens.
    (k) => actorStatus(k, 404),
    (c) =>
      request(t.app, c, {
        method: 'DELETE',
        url: `/admin/w/${world.workspace.slug}/tokens/${outsiderTokenId}`,
      }),
  ],
];

describe('access matrix', () => {
  for (const [name, expected, send] of cases) {
    test(name, async () => {
      for (const kind of workspaceActorKinds) {
        for (const [label, credential] of world.credentialsOf(kind)) {
          const response = await send(credential, kind);
          assert.equal(response.statusCode, expected(kind), `${label}: ${response.body}`);
        }
      }
    });
  }

  test('an unknown workspace or token, or a malformed id, is one 404 body, also for an owner', async () => {
    const owner = world.token('owner');
    const { id } = await tokenOf(world.userIds.owner);
    for (const url of [
      '/admin/w/no-such-workspace/tokens',
      `/admin/w/no-such-workspace/tokens/${id}`,
      `/admin/w/${world.otherWorkspace.slug}/tokens/${id}`,
      `/admin/w/${world.workspace.slug}/tokens/abc`,
      `/admin/w/${world.workspace.slug}/tokens/-1`,
      `/admin/w/${world.workspace.slug}/tokens/99999999999999999999`,
      '/admin/me/tokens/abc',
      '/admin/me/tokens/0',
      '/admin/me/tokens/2147483648',
    ]) {
      const method = url.endsWith('/tokens') ? 'GET' : 'DELETE';
      const response = await request(t.app, owner, { method, url });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      assert.deepEqual(response.json(), { error: { code: 'not_found', message: 'Not found' } });
    }
  });

  test('a manager listing tokens with a bad query is 403, not 422', async () => {
    const response = await request(t.app, world.token('manager'), {
      method: 'GET',
      url: `/admin/w/${world.workspace.slug}/tokens?status=bogus&limit=0`,
    });
    assert.equal(response.statusCode, 403);
  });
});
