import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, asc, eq, gt } from 'drizzle-orm';
import {
  type Credential,
  request,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import { workspaceCapabilitiesOf } from '../../core/capabilities.ts';
import { AppError } from '../../core/errors.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import { auditEvents } from '../audit/tables.ts';
import { apiTokens, sessions, users, workspaceMemberships } from '../tenancy/tables.ts';
import type { Person } from './schemas.ts';
import { removePerson, updatePerson } from './service.ts';

/** docs/rules.md "Administration": the people list, workspace roles, suspension and removal. */
let t: TestApp;

before(async () => {
  t = await startTestApp();
});

after(() => t.close());

/** A workspace with a signed-in owner (token and session) and a tenant. */
async function createTeam() {
  const workspace = await make.createWorkspace(t.db, { name: 'Contoso MSP' });
  const tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  const owner = await make.createUser(t.db, { displayName: 'Olivia Owner' });
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: owner.id, role: 'owner' });
  const token: Credential = { bearer: await make.createApiToken(t.db, { userId: owner.id }) };
  const people = `/admin/w/${workspace.slug}/people`;
  return { workspace, tenant, owner, token, people };
}

type Team = Awaited<ReturnType<typeof createTeam>>;

async function addPerson(team: Team, role: 'owner' | 'manager' | 'operator' | 'readonly', name?: string) {
  const user = await make.createUser(t.db, name ? { displayName: name } : {});
  await make.addWorkspaceMember(t.db, { workspaceId: team.workspace.id, userId: user.id, role });
  const token: Credential = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  return { user, token };
}

/** The events of people administration about this person (sign-ins left out). */
const eventsOf = async (userId: number) =>
  (
    await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, String(userId)))
      .orderBy(asc(auditEvents.id))
  ).filter((event) => !event.action.startsWith('session.'));

async function activeOwners(workspaceId: number) {
  const rows = await t.db
    .select({ userId: workspaceMemberships.userId })
    .from(workspaceMemberships)
    .innerJoin(users, eq(users.id, workspaceMemberships.userId))
    .where(
      and(
        eq(workspaceMemberships.workspaceId, workspaceId),
        eq(workspaceMemberships.role, 'owner'),
        eq(workspaceMemberships.active, true),
        eq(users.active, true),
      ),
    );
  return rows.length;
}

describe('the people list', () => {
  test('every member with both roles, by name, paged; active, pending and last sign-in', async () => {
    const team = await createTeam();
    const zed = await addPerson(team, 'manager', 'zed Zimmer');
    const amy = await addPerson(team, 'readonly', 'Amy Adams');
    const pending = await make.createUser(t.db, { displayName: 'Bea Pending', passwordHash: null });
    await make.addWorkspaceMember(t.db, {
      workspaceId: team.workspace.id,
      userId: pending.id,
      role: 'operator',
    });
    await make.addTenantMember(t.db, { tenant: team.tenant, userId: amy.user.id, role: 'manager' });
    // A tenant role in another workspace is not this workspace's business.
    const elsewhere = await make.createWorkspace(t.db);
    const otherTenant = await make.createTenant(t.db, { workspaceId: elsewhere.id });
    await make.addTenantMember(t.db, { tenant: otherTenant, userId: amy.user.id, role: 'owner' });
    await signIn(t.app, amy.user.email);
    await t.db
      .update(workspaceMemberships)
      .set({ active: false })
      .where(eq(workspaceMemberships.userId, zed.user.id));

    const first = await request(t.app, team.token, { method: 'GET', url: `${team.people}?limit=2` });
    assert.equal(first.statusCode, 200, first.body);
    const page = first.json() as { items: Person[]; next_cursor: string | null };
    assert.deepEqual(
      page.items.map((person) => person.display_name),
      ['Amy Adams', 'Bea Pending'],
    );
    const [amyView, beaView] = page.items;
    assert.deepEqual(amyView, {
      user_id: amy.user.id,
      email: amy.user.email,
      display_name: 'Amy Adams',
      active: true,
      workspace_role: 'readonly',
      tenant_roles: [{ tenant: team.tenant.externalId, role: 'manager' }],
      last_sign_in_at: must(amyView, 'amy').last_sign_in_at,
      invitation_pending: false,
    });
    assert.ok(amyView?.last_sign_in_at, 'a sign-in is remembered');
    assert.equal(beaView?.invitation_pending, true);
    assert.equal(beaView?.last_sign_in_at, null);

    const rest = await request(t.app, team.token, {
      method: 'GET',
      url: `${team.people}?limit=2&cursor=${page.next_cursor}`,
    });
    const restPage = rest.json() as { items: Person[]; next_cursor: string | null };
    assert.deepEqual(
      restPage.items.map((person) => [person.display_name, person.active]),
      [
        ['Olivia Owner', true],
        ['zed Zimmer', false],
      ],
    );
    assert.equal(restPage.next_cursor, null);
  });

  test('filters: q (name or e-mail, any case, wildcards literal) and active (true, false, all)', async () => {
    const team = await createTeam();
    const suspended = await addPerson(team, 'readonly', 'Sam 100% Suspended');
    await addPerson(team, 'readonly', 'Ada Active');
    await t.db
      .update(workspaceMemberships)
      .set({ active: false })
      .where(eq(workspaceMemberships.userId, suspended.user.id));
    const names = async (query: string) => {
      const response = await request(t.app, team.token, { method: 'GET', url: `${team.people}?${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { items: Person[] }).items.map((person) => person.display_name);
    };
    assert.deepEqual(await names('active=true'), ['Ada Active', 'Olivia Owner']);
    assert.deepEqual(await names('active=false'), ['Sam 100% Suspended']);
    assert.deepEqual(await names('active=all'), ['Ada Active', 'Olivia Owner', 'Sam 100% Suspended']);
    assert.deepEqual(await names('q=ADA'), ['Ada Active']);
    assert.deepEqual(await names(`q=${encodeURIComponent(suspended.user.email.slice(0, 10))}`), [
      'Sam 100% Suspended',
    ]);
    assert.deepEqual(await names('q=100%25'), ['Sam 100% Suspended']);
    assert.deepEqual(await names('q=%25'), ['Sam 100% Suspended']);
    for (const bad of ['active=maybe', 'limit=0', 'cursor=not-a-cursor', 'q=%00']) {
      const response = await request(t.app, team.token, { method: 'GET', url: `${team.people}?${bad}` });
      assert.equal(response.statusCode, 422, `${bad}: ${response.body}`);
    }
  });
});

describe('workspace role and active flag', () => {
  test('a role change answers the person and is audited with before and after', async () => {
    const team = await createTeam();
    const { user } = await addPerson(team, 'readonly');
    const response = await request(t.app, team.token, {
      method: 'PATCH',
      url: `${team.people}/${user.id}`,
      payload: { workspace_role: 'manager' },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal((response.json() as Person).workspace_role, 'manager');
    const [event] = await eventsOf(user.id);
    assert.equal(event?.action, 'member.role_changed');
    assert.equal(event?.subjectType, 'member');
    assert.equal(event?.actorUserId, team.owner.id);
    assert.equal(event?.workspaceId, team.workspace.id);
    assert.ok(event?.clientAddress);
    assert.deepEqual(event?.before, { workspace_role: 'readonly' });
    assert.deepEqual(event?.after, { workspace_role: 'manager' });

    const same = await request(t.app, team.token, {
      method: 'PATCH',
      url: `${team.people}/${user.id}`,
      payload: { workspace_role: 'manager' },
    });
    assert.equal(same.statusCode, 200);
    assert.equal((await eventsOf(user.id)).length, 1, 'nothing changed, nothing audited');
  });

  test('nobody changes their own workspace role or active flag, nor removes themselves (403)', async () => {
    const team = await createTeam();
    await addPerson(team, 'owner'); // so the last-owner rule is not what refuses
    for (const payload of [{ workspace_role: 'readonly' }, { active: false }, { workspace_role: 'owner' }]) {
      const response = await request(t.app, team.token, {
        method: 'PATCH',
        url: `${team.people}/${team.owner.id}`,
        payload,
      });
      assert.equal(response.statusCode, 403, response.body);
    }
    const removed = await request(t.app, team.token, {
      method: 'DELETE',
      url: `${team.people}/${team.owner.id}`,
    });
    assert.equal(removed.statusCode, 403, removed.body);
    assert.equal((await eventsOf(team.owner.id)).length, 0);
    const [membership] = await t.db
      .select()
      .from(workspaceMemberships)
      .where(eq(workspaceMemberships.userId, team.owner.id));
    assert.deepEqual([membership?.role, membership?.active], ['owner', true]);
  });

  test('suspension takes effect at once: 404 on the workspace and its tenants, other workspaces untouched', async () => {
    const team = await createTeam();
    const { user, token } = await addPerson(team, 'manager');
    await make.addTenantMember(t.db, { tenant: team.tenant, userId: user.id, role: 'owner' });
    const session = await signIn(t.app, user.email);
    const elsewhere = await make.createWorkspace(t.db);
    const elsewhereTenant = await make.createTenant(t.db, { workspaceId: elsewhere.id });
    await make.addTenantMember(t.db, { tenant: elsewhereTenant, userId: user.id, role: 'readonly' });

    const suspend = await request(t.app, team.token, {
      method: 'PATCH',
      url: `${team.people}/${user.id}`,
      payload: { active: false },
    });
    assert.equal(suspend.statusCode, 200, suspend.body);
    assert.equal((suspend.json() as Person).active, false);
    for (const credential of [token, { session }]) {
      for (const url of [
        team.people,
        `/admin/w/${team.workspace.slug}`,
        `/admin/t/${team.tenant.externalId}`,
      ]) {
        const response = await request(t.app, credential, { method: 'GET', url });
        assert.equal(response.statusCode, 404, `${url}: ${response.body}`);
      }
      const other = await request(t.app, credential, {
        method: 'GET',
        url: `/admin/t/${elsewhereTenant.externalId}`,
      });
      assert.equal(other.statusCode, 200, 'another workspace is untouched');
    }
    const [account] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.equal(account?.active, true, 'the account stays: they have another workspace');
    assert.deepEqual(
      (await eventsOf(user.id)).map((event) => [event.action, event.before, event.after]),
      [['member.suspended', { active: true }, { active: false }]],
    );
  });

  test('suspended from their only workspace: deactivated, sessions ended and tokens revoked (401); restored: back', async () => {
    const team = await createTeam();
    const { user, token } = await addPerson(team, 'operator');
    const session = await signIn(t.app, user.email);
    const suspend = await request(t.app, team.token, {
      method: 'PATCH',
      url: `${team.people}/${user.id}`,
      payload: { active: false },
    });
    assert.equal(suspend.statusCode, 200, suspend.body);
    for (const credential of [token, { session }]) {
      const response = await request(t.app, credential, { method: 'GET', url: '/api/session' });
      assert.equal(response.statusCode, 401);
    }
    assert.equal((await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).length, 0);
    const [revoked] = await t.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id));
    assert.ok(revoked?.revokedAt, 'the token is revoked');
    assert.deepEqual(
      (await eventsOf(user.id)).map((event) => event.action),
      ['member.suspended', 'user.deactivated'],
    );
    await assert.rejects(signIn(t.app, user.email), /401/);

    const restore = await request(t.app, team.token, {
      method: 'PATCH',
      url: `${team.people}/${user.id}`,
      payload: { active: true },
    });
    assert.equal(restore.statusCode, 200, restore.body);
    assert.equal((restore.json() as Person).active, true);
    const again = await signIn(t.app, user.email);
    const back = await request(t.app, { session: again }, { method: 'GET', url: team.people });
    assert.equal(back.statusCode, 200);
    const oldToken = await request(t.app, token, { method: 'GET', url: '/api/session' });
    assert.equal(oldToken.statusCode, 401, 'a revoked token stays revoked');
    assert.deepEqual((await eventsOf(user.id)).map((event) => event.action).slice(2), [
      'member.restored',
      'user.reactivated',
    ]);
  });

  test('restoring does not undo a deactivation made while the person had other active memberships', async () => {
    const team = await createTeam();
    const { user } = await addPerson(team, 'operator');
    const elsewhere = await make.createWorkspace(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: elsewhere.id, userId: user.id, role: 'readonly' });
    await t.db
      .update(workspaceMemberships)
      .set({ active: false })
      .where(
        and(
          eq(workspaceMemberships.userId, user.id),
          eq(workspaceMemberships.workspaceId, team.workspace.id),
        ),
      );
    await t.db.update(users).set({ active: false }).where(eq(users.id, user.id)); // `tenantpilot users deactivate`
    const restore = await request(t.app, team.token, {
      method: 'PATCH',
      url: `${team.people}/${user.id}`,
      payload: { active: true },
    });
    assert.equal(restore.statusCode, 200, restore.body);
    assert.equal((restore.json() as Person).active, false, 'the membership is back, the account stays off');
    const [account] = await t.db.select().from(users).where(eq(users.id, user.id));
    assert.equal(account?.active, false);
  });
});

describe('the workspace always keeps an active owner', () => {
  function scopeOf(team: Team, actor: { id: number; email: string; displayName: string }): WorkspaceScope {
    return {
      db: t.db,
      actor: {
        userId: actor.id,
        email: actor.email,
        displayName: actor.displayName,
        via: 'token',
        sessionId: null,
      },
      clientAddress: '127.0.0.1',
      workspace: { id: team.workspace.id, slug: team.workspace.slug, name: team.workspace.name },
      workspaceRole: 'owner',
      capabilities: workspaceCapabilitiesOf.owner,
    };
  }

  test('demoting, suspending or removing the last active owner is 409, nothing written', async () => {
    // The actor passed the access check as an owner, then lost the role before their change ran (another
    // owner's change committed in between): the target is now the only active owner.
    const team = await createTeam();
    const other = await addPerson(team, 'owner');
    const scope = scopeOf(team, team.owner);
    await t.db
      .update(workspaceMemberships)
      .set({ role: 'manager' })
      .where(eq(workspaceMemberships.userId, team.owner.id));
    const conflictError = (error: unknown) => error instanceof AppError && error.code === 'conflict';
    await assert.rejects(updatePerson(scope, other.user.id, { workspace_role: 'manager' }), conflictError);
    await assert.rejects(updatePerson(scope, other.user.id, { active: false }), conflictError);
    await assert.rejects(removePerson(scope, other.user.id), conflictError);
    assert.equal(await activeOwners(team.workspace.id), 1);
    assert.equal((await eventsOf(other.user.id)).length, 0);
    // An inactive owner does not count as one.
    const third = await addPerson(team, 'owner');
    await t.db.update(users).set({ active: false }).where(eq(users.id, third.user.id));
    await assert.rejects(updatePerson(scope, other.user.id, { workspace_role: 'readonly' }), conflictError);
    // With another active owner it goes through.
    await t.db.update(users).set({ active: true }).where(eq(users.id, third.user.id));
    const changed = await updatePerson(scope, other.user.id, { workspace_role: 'readonly' });
    assert.equal(changed.workspace_role, 'readonly');
  });

  test('two owners demoting each other at once: one wins, the workspace keeps an owner', async () => {
    for (let round = 0; round < 5; round++) {
      const team = await createTeam();
      const other = await addPerson(team, 'owner');
      const [a, b] = await Promise.all([
        request(t.app, team.token, {
          method: 'PATCH',
          url: `${team.people}/${other.user.id}`,
          payload: { workspace_role: 'readonly' },
        }),
        request(t.app, other.token, {
          method: 'PATCH',
          url: `${team.people}/${team.owner.id}`,
          payload: { workspace_role: 'readonly', active: false },
        }),
      ]);
      const statuses = [a.statusCode, b.statusCode].sort();
      assert.equal(statuses.filter((status) => status === 200).length, 1, `${a.body} ${b.body}`);
      // The loser is refused as the winner's change left them: no longer an owner (403 or 409), or, when the
      // winner deactivated the loser's account before their request was signed in, no longer signed in (401).
      assert.ok(
        [401, 403, 404, 409].includes(statuses.find((status) => status !== 200) ?? 0),
        `${a.body} ${b.body}`,
      );
      assert.equal(await activeOwners(team.workspace.id), 1);
    }
  });
});

describe('removal', () => {
  test('the membership and its tenant roles go, audited; findings they own stay and show the gap', async () => {
    const team = await createTeam();
    const { user, token } = await addPerson(team, 'manager');
    const colleague = await addPerson(team, 'readonly');
    await make.addTenantMember(t.db, { tenant: team.tenant, userId: user.id, role: 'manager' });
    await make.addTenantMember(t.db, { tenant: team.tenant, userId: colleague.user.id, role: 'readonly' });
    const elsewhere = await make.createWorkspace(t.db);
    await make.addWorkspaceMember(t.db, { workspaceId: elsewhere.id, userId: user.id, role: 'readonly' });
    const finding = await make.createFinding(t.db, { tenantId: team.tenant.id, ownerUserId: user.id });

    const removed = await request(t.app, team.token, { method: 'DELETE', url: `${team.people}/${user.id}` });
    assert.equal(removed.statusCode, 204, removed.body);
    assert.equal(removed.body, '');
    const again = await request(t.app, team.token, {
      method: 'PATCH',
      url: `${team.people}/${user.id}`,
      payload: { workspace_role: 'owner' },
    });
    assert.equal(again.statusCode, 404, 'no longer a person of the workspace');
    assert.equal((await request(t.app, token, { method: 'GET', url: team.people })).statusCode, 404);
    assert.equal((await request(t.app, token, { method: 'GET', url: '/api/session' })).statusCode, 200);

    const seen = await request(t.app, colleague.token, {
      method: 'GET',
      url: `/admin/t/${team.tenant.externalId}/findings/${finding.id}`,
    });
    assert.equal(seen.statusCode, 200, seen.body);
    assert.equal(seen.json().owner?.id ?? seen.json().owner_user_id, user.id, 'the owner stays');
    assert.equal(seen.json().accountability_gap, true);

    const events = await eventsOf(user.id);
    assert.deepEqual(
      events.map((event) => [event.action, event.tenantId]),
      [
        ['tenant_role.revoked', team.tenant.id],
        ['member.removed', null],
      ],
    );
    assert.deepEqual(events[1]?.before, {
      email: user.email,
      display_name: user.displayName,
      workspace_role: 'manager',
      active: true,
      tenant_roles: [{ tenant: team.tenant.externalId, role: 'manager' }],
    });
  });

  test('removed from their only workspace: deactivated, sessions and tokens end (401)', async () => {
    const team = await createTeam();
    const { user, token } = await addPerson(team, 'readonly');
    const session = await signIn(t.app, user.email);
    const removed = await request(t.app, team.token, { method: 'DELETE', url: `${team.people}/${user.id}` });
    assert.equal(removed.statusCode, 204);
    for (const credential of [token, { session }]) {
      assert.equal(
        (await request(t.app, credential, { method: 'GET', url: '/api/session' })).statusCode,
        401,
      );
    }
    const live = await t.db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, user.id), gt(apiTokens.id, 0)));
    assert.ok(live.every((row) => row.revokedAt !== null));
  });
});
