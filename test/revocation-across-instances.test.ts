// Two app instances on one database, as two server processes behind a balancer would be: a session ended,
// a tenant or workspace role changed, a person suspended or a tenant archived through one instance holds on
// the other from its very next request, on tenant and workspace routes alike. Nothing about a caller or their entitlement may be kept between requests.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../src/server/db/client.ts';
import { request, signIn, startTestApp, type TestApp } from './helpers/app.ts';
import { createTestDatabase } from './helpers/db.ts';
import * as make from './helpers/factories.ts';

let database: Database;
let first: TestApp;
let second: TestApp;

before(async () => {
  database = await createTestDatabase();
  first = await startTestApp({}, { database });
  second = await startTestApp({}, { database });
});
after(async () => {
  await first.close();
  await second.close();
  await database.close();
});

/** A workspace with an owner (acting through the second instance) and an operator on one tenant. */
async function world() {
  const db = database.db;
  const workspace = await make.createWorkspace(db);
  const tenant = await make.createTenant(db, { workspaceId: workspace.id });
  const owner = await make.createUser(db);
  await make.addWorkspaceMember(db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  const member = await make.createUser(db);
  await make.addTenantMember(db, { tenant, userId: member.id, role: 'operator' });
  const finding = await make.createFinding(db, { tenantId: tenant.id });
  return {
    workspace,
    tenant,
    member,
    owner: { bearer: await make.createApiToken(db, { userId: owner.id }) },
    memberToken: { bearer: await make.createApiToken(db, { userId: member.id }) },
    list: `/admin/t/${tenant.externalId}/findings`,
    detail: `/admin/t/${tenant.externalId}/findings/${finding.id}`,
    submit: `/admin/t/${tenant.externalId}/support-requests/actions/submit`,
    person: `/admin/w/${workspace.slug}/people/${member.id}`,
  };
}

const internalOnly = { severity: 'normal', summary: 'Across instances', handoff_mode: 'internal_only' };

describe('a change through one instance holds on the other at once', () => {
  test('sessions ended by an owner: the next request of that browser answers 401', async () => {
    const w = await world();
    const browser = { session: await signIn(first.app, w.member.email) };
    assert.equal((await request(first.app, browser, { method: 'GET', url: w.list })).statusCode, 200);
    const ended = await request(second.app, w.owner, {
      method: 'POST',
      url: `${w.person}/actions/end-sessions`,
    });
    assert.ok(ended.statusCode < 300, `end-sessions answered ${ended.statusCode}`);
    assert.equal((await request(first.app, browser, { method: 'GET', url: w.list })).statusCode, 401);
    assert.equal((await request(first.app, browser, { method: 'GET', url: w.detail })).statusCode, 401);
    const submit = await request(first.app, browser, {
      method: 'POST',
      url: w.submit,
      payload: internalOnly,
    });
    assert.equal(submit.statusCode, 401);
  });

  test('a tenant role revoked: the next read and submit answer 404', async () => {
    const w = await world();
    for (const url of [w.list, w.detail]) {
      assert.equal((await request(first.app, w.memberToken, { method: 'GET', url })).statusCode, 200);
    }
    const revoked = await request(second.app, w.owner, {
      method: 'DELETE',
      url: `${w.person}/tenants/${w.tenant.externalId}`,
    });
    assert.equal(revoked.statusCode, 204);
    for (const url of [w.list, w.detail]) {
      assert.equal((await request(first.app, w.memberToken, { method: 'GET', url })).statusCode, 404);
    }
    const submit = await request(first.app, w.memberToken, {
      method: 'POST',
      url: w.submit,
      payload: internalOnly,
    });
    assert.equal(submit.statusCode, 404);
  });

  test('a person suspended from their only workspace: their token answers 401 at once', async () => {
    const w = await world();
    assert.equal((await request(first.app, w.memberToken, { method: 'GET', url: w.list })).statusCode, 200);
    const suspended = await request(second.app, w.owner, {
      method: 'PATCH',
      url: w.person,
      payload: { active: false },
    });
    assert.equal(suspended.statusCode, 200);
    assert.equal((await request(first.app, w.memberToken, { method: 'GET', url: w.list })).statusCode, 401);
  });

  test('a tenant archived: the next submit answers 409, reads still answer', async () => {
    const w = await world();
    const before = await request(first.app, w.memberToken, {
      method: 'POST',
      url: w.submit,
      payload: internalOnly,
    });
    assert.equal(before.statusCode, 200);
    const archived = await request(second.app, w.owner, {
      method: 'PATCH',
      url: `/admin/w/${w.workspace.slug}/tenants/${w.tenant.externalId}`,
      payload: { archived: true },
    });
    assert.equal(archived.statusCode, 200);
    const submit = await request(first.app, w.memberToken, {
      method: 'POST',
      url: w.submit,
      payload: internalOnly,
    });
    assert.equal(submit.statusCode, 409);
    assert.equal((await request(first.app, w.memberToken, { method: 'GET', url: w.list })).statusCode, 200);
  });

  test('a workspace role lowered: the next workspace change answers 403, reads still answer', async () => {
    const w = await world();
    const coOwner = await make.createUser(database.db);
    await make.addWorkspaceMember(database.db, {
      workspaceId: w.workspace.id,
      userId: coOwner.id,
      role: 'owner',
    });
    const bearer = { bearer: await make.createApiToken(database.db, { userId: coOwner.id }) };
    const rename = (name: string) =>
      request(first.app, bearer, {
        method: 'PATCH',
        url: `/admin/w/${w.workspace.slug}/tenants/${w.tenant.externalId}`,
        payload: { name },
      });
    assert.equal((await rename('Renamed by a co-owner')).statusCode, 200);
    const lowered = await request(second.app, w.owner, {
      method: 'PATCH',
      url: `/admin/w/${w.workspace.slug}/people/${coOwner.id}`,
      payload: { workspace_role: 'manager' },
    });
    assert.equal(lowered.statusCode, 200);
    assert.equal((await rename('Renamed again')).statusCode, 403);
    const tenants = `/admin/w/${w.workspace.slug}/tenants`;
    assert.equal((await request(first.app, bearer, { method: 'GET', url: tenants })).statusCode, 200);
  });

  test('suspended in one workspace of two: that one answers 404 at once, the other still answers', async () => {
    const w = await world();
    const other = await make.createWorkspace(database.db);
    await make.addWorkspaceMember(database.db, {
      workspaceId: other.id,
      userId: w.member.id,
      role: 'manager',
    });
    const people = (slug: string) => `/admin/w/${slug}/people`;
    const read = (slug: string) => request(first.app, w.memberToken, { method: 'GET', url: people(slug) });
    assert.equal((await read(w.workspace.slug)).statusCode, 200);
    const suspended = await request(second.app, w.owner, {
      method: 'PATCH',
      url: w.person,
      payload: { active: false },
    });
    assert.equal(suspended.statusCode, 200);
    assert.equal((await read(w.workspace.slug)).statusCode, 404);
    assert.equal((await read(other.slug)).statusCode, 200);
  });
});
