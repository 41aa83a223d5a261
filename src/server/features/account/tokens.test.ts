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
import { auditEvents } from '../audit/tables.ts';
import { API_TOKEN_PREFIX, digestSecret } from '../tenancy/credentials.ts';
import { apiTokens, users, workspaceMemberships } from '../tenancy/tables.ts';

/** docs/rules.md "Administration": API tokens, your own and, for a workspace's owners, its members'. */
let t: TestApp;

before(async () => {
  t = await startTestApp();
});

after(() => t.close());

async function person() {
  const user = await make.createUser(t.db);
  return { user, bearer: { bearer: await make.createApiToken(t.db, { userId: user.id }) } as Credential };
}

const createToken = (credential: Credential, name: string) =>
  request(t.app, credential, { method: 'POST', url: '/admin/me/tokens', payload: { name } });

const countWrites = async () => {
  const result = await t.db.execute(
    sql`select (select count(*) from audit_events) + (select count(*) from api_tokens) as n`,
  );
  return Number((result as unknown as { rows: { n: string }[] }).rows[0]?.n);
};

describe('your own tokens', () => {
  test('a new token is shown once, stored as a digest, works as a bearer, and is recorded without it', async () => {
    const { user, bearer } = await person();
    const response = await createToken(bearer, '  CI pipeline  ');
    assert.equal(response.statusCode, 201);
    const created = response.json();
    assert.ok(created.token.startsWith(API_TOKEN_PREFIX));
    assert.equal(created.name, 'CI pipeline');
    assert.equal(created.revoked_at, null);
    assert.equal(created.last_used_at, null);

    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    assert.equal(row?.tokenHash, digestSecret(created.token));
    assert.equal(row?.userId, user.id);
    const stored = JSON.stringify(await t.db.select().from(apiTokens));
    assert.ok(!stored.includes(created.token), 'the token itself is never stored');

    const list = await request(t.app, bearer, { method: 'GET', url: '/admin/me/tokens' });
    assert.ok(!list.body.includes(created.token), 'a list never shows it again');
    assert.deepEqual(list.json().items[0], {
      id: created.id,
      name: 'CI pipeline',
      created_at: created.created_at,
      last_used_at: null,
      revoked_at: null,
    });

    const me = await request(t.app, { bearer: created.token }, { method: 'GET', url: '/admin/me' });
    assert.equal(me.json().id, user.id);

    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, String(created.id)));
    assert.equal(event?.action, 'api_token.created');
    assert.equal(event?.actorUserId, user.id);
    assert.deepEqual(event?.after, { user_id: user.id, name: 'CI pipeline' });
    assert.ok(!JSON.stringify(await t.db.select().from(auditEvents)).includes(created.token));
  });

  test('newest first, paged by cursor, only your own', async () => {
    const { bearer } = await person();
    const someoneElse = await person();
    await createToken(someoneElse.bearer, 'not mine');
    for (const name of ['one', 'two', 'three', 'four']) await createToken(bearer, name);
    const names: string[] = [];
    let url = '/admin/me/tokens?limit=2';
    for (let pages = 0; pages < 5; pages++) {
      const page = (await request(t.app, bearer, { method: 'GET', url })).json();
      names.push(...page.items.map((item: { name: string }) => item.name));
      if (!page.next_cursor) break;
      url = `/admin/me/tokens?limit=2&cursor=${page.next_cursor}`;
    }
    // The factory's bearer ('test') is the oldest.
    assert.deepEqual(names, ['four', 'three', 'two', 'one', 'test']);
  });

  test('a revoked token answers 401 at once; revoking again changes nothing', async () => {
    const { user, bearer } = await person();
    const created = (await createToken(bearer, 'to revoke')).json();
    const revoke = () => request(t.app, bearer, { method: 'DELETE', url: `/admin/me/tokens/${created.id}` });
    const first = await revoke();
    assert.equal(first.statusCode, 204);
    assert.equal(first.body, '');
    const answer = await request(t.app, { bearer: created.token }, { method: 'GET', url: '/admin/me' });
    assert.equal(answer.statusCode, 401);
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    assert.ok(row?.revokedAt);

    assert.equal((await revoke()).statusCode, 204);
    const [again] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    assert.equal(again?.revokedAt?.getTime(), row?.revokedAt?.getTime(), 'the first revocation time stays');
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, String(created.id)));
    const revoked = events.filter((event) => event.action === 'api_token.revoked');
    assert.equal(revoked.length, 1, 'one event for one revocation');
    assert.equal(revoked[0]?.actorUserId, user.id);
    assert.equal(revoked[0]?.workspaceId, null);
    assert.ok(!JSON.stringify(events).includes(created.token));

    const listed = (await request(t.app, bearer, { method: 'GET', url: '/admin/me/tokens' })).json();
    assert.ok(listed.items.find((item: { id: number }) => item.id === created.id).revoked_at);
  });

  test('a token can revoke itself', async () => {
    const { bearer } = await person();
    const created = (await createToken(bearer, 'self')).json();
    const self = { bearer: created.token };
    const response = await request(t.app, self, { method: 'DELETE', url: `/admin/me/tokens/${created.id}` });
    assert.equal(response.statusCode, 204);
    assert.equal((await request(t.app, self, { method: 'GET', url: '/admin/me' })).statusCode, 401);
  });

  test("someone else's token is the 404 of an unknown one, and stays usable", async () => {
    const mine = await person();
    const theirs = await person();
    const created = (await createToken(theirs.bearer, 'theirs')).json();
    const response = await request(t.app, mine.bearer, {
      method: 'DELETE',
      url: `/admin/me/tokens/${created.id}`,
    });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), { error: { code: 'not_found', message: 'Not found' } });
    assert.equal(
      (await request(t.app, { bearer: created.token }, { method: 'GET', url: '/admin/me' })).statusCode,
      200,
    );
  });

  test('a browser session needs the CSRF token to make one', async () => {
    const { user } = await person();
    const session = await signIn(t.app, user.email);
    const response = await t.app.inject({
      method: 'POST',
      url: '/admin/me/tokens',
      payload: { name: 'forged' },
      headers: { cookie: session.cookie, accept: 'application/json' },
    });
    assert.equal(response.statusCode, 403);
    assert.equal((await createToken({ session }, 'from the browser')).statusCode, 201);
  });

  const MISSING = Symbol('missing');
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing', { name: MISSING }, 'name'],
    ['null', { name: null }, 'name'],
    ['a number', { name: 7 }, 'name'],
    ['a boolean', { name: true }, 'name'],
    ['empty', { name: '' }, 'name'],
    ['blank', { name: '   ' }, 'name'],
    ['over 100 characters', { name: 'x'.repeat(101) }, 'name'],
    ['over 100 emoji', { name: '🔑'.repeat(101) }, 'name'],
    ['a NUL', { name: 'ci\u0000' }, 'name'],
    ['an unknown field', { name: 'ci', user_id: 1 }, 'user_id'],
    ['a token offered', { name: 'ci', token: 'tp_mine' }, 'token'],
  ];
  test('bad input is 422 naming the field, and nothing is written', async () => {
    const { bearer } = await person();
    const before = await countWrites();
    for (const [what, overrides, field] of cases) {
      const payload = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== MISSING));
      const response = await request(t.app, bearer, { method: 'POST', url: '/admin/me/tokens', payload });
      assert.equal(response.statusCode, 422, `${what}: ${response.body}`);
      assert.ok(response.json().error.fields[field], `${what}: ${response.body}`);
    }
    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'limit=1.5', 'cursor=garbage', 'cursor=%00']) {
      const response = await request(t.app, bearer, { method: 'GET', url: `/admin/me/tokens?${query}` });
      assert.equal(response.statusCode, 422, `${query}: ${response.body}`);
    }
    assert.equal(await countWrites(), before);
    assert.equal(
      (await createToken(bearer, '🔑'.repeat(100))).statusCode,
      201,
      '100 emoji is within the limit',
    );
  });
});

describe("a workspace's tokens (owners)", () => {
  async function workspaceWithPeople() {
    const workspace = await make.createWorkspace(t.db);
    const owner = await person();
    const member = await person();
    const suspended = await person();
    const outsider = await person();
    // The outsider is a member too, of another workspace: membership of *this* workspace is what counts.
    const elsewhere = await make.createWorkspace(t.db);
    await make.addWorkspaceMember(t.db, {
      workspaceId: elsewhere.id,
      userId: outsider.user.id,
      role: 'owner',
    });
    await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.user.id, role: 'owner' });
    await make.addWorkspaceMember(t.db, {
      workspaceId: workspace.id,
      userId: member.user.id,
      role: 'operator',
    });
    await make.addWorkspaceMember(t.db, {
      workspaceId: workspace.id,
      userId: suspended.user.id,
      role: 'manager',
    });
    await t.db
      .update(workspaceMemberships)
      .set({ active: false })
      .where(eq(workspaceMemberships.userId, suspended.user.id));
    return { workspace, owner, member, suspended, outsider };
  }

  test("lists every member's tokens (suspended members too) with their person, newest first, never the token", async () => {
    const { workspace, owner, member, suspended, outsider } = await workspaceWithPeople();
    const memberToken = (await createToken(member.bearer, 'member ci')).json();
    const suspendedToken = (await createToken(suspended.bearer, 'suspended ci')).json();
    await createToken(outsider.bearer, 'outsider ci');
    await t.db.update(users).set({ active: false }).where(eq(users.id, suspended.user.id));

    const response = await request(t.app, owner.bearer, {
      method: 'GET',
      url: `/admin/w/${workspace.slug}/tokens`,
    });
    assert.equal(response.statusCode, 200);
    const items = response.json().items as { id: number; name: string; user: { id: number } }[];
    assert.deepEqual(
      items.map((item) => item.name),
      ['suspended ci', 'member ci', 'test', 'test', 'test'],
    );
    assert.ok(
      !items.some((item) => item.user.id === outsider.user.id),
      "a non-member's tokens are not listed",
    );
    const { token: _shownOnce, ...listed } = suspendedToken;
    assert.deepEqual(items[0], {
      ...listed,
      user: {
        id: suspended.user.id,
        email: suspended.user.email,
        display_name: suspended.user.displayName,
        active: false,
      },
    });
    assert.ok(!response.body.includes(memberToken.token) && !response.body.includes('token_hash'));
  });

  test('filters active and revoked tokens, and pages', async () => {
    const { workspace, owner, member } = await workspaceWithPeople();
    const revoked = (await createToken(member.bearer, 'old')).json();
    await request(t.app, member.bearer, { method: 'DELETE', url: `/admin/me/tokens/${revoked.id}` });
    const list = async (query: string) =>
      (
        await request(t.app, owner.bearer, {
          method: 'GET',
          url: `/admin/w/${workspace.slug}/tokens?${query}`,
        })
      ).json();
    assert.deepEqual(
      (await list('status=revoked')).items.map((item: { id: number }) => item.id),
      [revoked.id],
    );
    const active = await list('status=active');
    assert.ok(active.items.every((item: { revoked_at: string | null }) => item.revoked_at === null));
    assert.equal(active.items.length, 3, "the three members' own bearer tokens");
    const first = await list('limit=1');
    assert.equal(first.items.length, 1);
    const second = await list(`limit=1&cursor=${first.next_cursor}`);
    assert.ok(second.items[0].id < first.items[0].id);
    for (const query of ['status=expired', 'status=', 'limit=0', 'cursor=%00']) {
      const response = await request(t.app, owner.bearer, {
        method: 'GET',
        url: `/admin/w/${workspace.slug}/tokens?${query}`,
      });
      assert.equal(response.statusCode, 422, query);
    }
  });

  test("an owner revokes a member's token: 401 from then on, recorded in the workspace", async () => {
    const { workspace, owner, member } = await workspaceWithPeople();
    const created = (await createToken(member.bearer, 'leaked')).json();
    const response = await request(t.app, owner.bearer, {
      method: 'DELETE',
      url: `/admin/w/${workspace.slug}/tokens/${created.id}`,
    });
    assert.equal(response.statusCode, 204);
    assert.equal(
      (await request(t.app, { bearer: created.token }, { method: 'GET', url: '/admin/me' })).statusCode,
      401,
    );
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'api_token.revoked'))
      .orderBy(sql`${auditEvents.id} desc`)
      .limit(1);
    assert.equal(event?.subjectId, String(created.id));
    assert.equal(event?.actorUserId, owner.user.id);
    assert.equal(event?.workspaceId, workspace.id);
    assert.deepEqual(event?.after, {
      revoked_at: event?.after && (event.after as { revoked_at: string }).revoked_at,
      user_id: member.user.id,
      name: 'leaked',
    });
  });

  test("a token of someone outside the workspace is the workspace's 404, and stays usable", async () => {
    const { workspace, owner, outsider } = await workspaceWithPeople();
    const created = (await createToken(outsider.bearer, 'elsewhere')).json();
    const response = await request(t.app, owner.bearer, {
      method: 'DELETE',
      url: `/admin/w/${workspace.slug}/tokens/${created.id}`,
    });
    assert.equal(response.statusCode, 404);
    assert.equal(
      (await request(t.app, { bearer: created.token }, { method: 'GET', url: '/admin/me' })).statusCode,
      200,
    );
  });
});
