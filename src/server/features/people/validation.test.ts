import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { auditEvents } from '../audit/tables.ts';
import { invitations, tenantMemberships, users, workspaceMemberships } from '../tenancy/tables.ts';

/**
 * docs/rules.md "Precise rules": every field of every body, sent wrong (type, size, unknown, NUL), is a
 * 422 naming that field, and nothing is written.
 */
let t: TestApp;
let owner: Credential;
let people: string;
let person: number;
let tenant: string;
let invitationPath: string;

before(async () => {
  t = await startTestApp({ TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '1000' });
  const workspace = await make.createWorkspace(t.db);
  const tenantRow = await make.createTenant(t.db, { workspaceId: workspace.id });
  tenant = tenantRow.externalId;
  const ownerUser = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: ownerUser.id, role: 'owner' });
  owner = { bearer: await make.createApiToken(t.db, { userId: ownerUser.id }) };
  const member = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: member.id, role: 'readonly' });
  person = member.id;
  people = `/admin/w/${workspace.slug}/people`;
  const invited = await request(t.app, owner, {
    method: 'POST',
    url: people,
    payload: { email: 'pending@example.test', display_name: 'Pending', workspace_role: 'readonly' },
  });
  invitationPath = new URL(invited.json().invitation_url).pathname;
});

after(() => t.close());

/** Everything a refused body must leave as it was. */
async function snapshot() {
  const count = async (table: typeof users | typeof auditEvents | typeof invitations) =>
    (await t.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(table))[0]?.n;
  return {
    users: await count(users),
    audit: await count(auditEvents),
    invitations: await count(invitations),
    memberships: JSON.stringify(
      await t.db.select().from(workspaceMemberships).orderBy(workspaceMemberships.userId),
    ),
    tenantRoles: JSON.stringify(
      await t.db.select().from(tenantMemberships).orderBy(tenantMemberships.userId),
    ),
    passwords: JSON.stringify(
      await t.db.select({ id: users.id, hash: users.passwordHash }).from(users).orderBy(users.id),
    ),
  };
}

type Case = [description: string, body: unknown, field: string];

const NUL = 'a\u0000b';
const long = (n: number) => 'x'.repeat(n);

const validInvite = { email: 'valid@example.test', display_name: 'Valid', workspace_role: 'readonly' };
const invite = (change: Record<string, unknown>) => ({ ...validInvite, ...change });
const grant = (change: Record<string, unknown>) => ({
  tenant_roles: [{ tenant: 'x', role: 'readonly', ...change }],
});

const endpoints: { name: string; method: 'POST' | 'PATCH' | 'PUT'; url: () => string; cases: Case[] }[] = [
  {
    name: 'invite',
    method: 'POST',
    url: () => people,
    cases: [
      ['email missing', { display_name: 'A', workspace_role: 'readonly' }, 'email'],
      ['email a number', invite({ email: 7 }), 'email'],
      ['email null', invite({ email: null }), 'email'],
      ['email a list', invite({ email: ['a@b.test'] }), 'email'],
      ['email not an address', invite({ email: 'not-an-address' }), 'email'],
      ['email over 254', invite({ email: `${long(250)}@b.test` }), 'email'],
      ['email with a NUL', invite({ email: `a${NUL}@b.test` }), 'email'],
      ['email empty', invite({ email: '' }), 'email'],
      ['display_name missing', { email: 'a@b.test', workspace_role: 'readonly' }, 'display_name'],
      ['display_name a number', invite({ display_name: 7 }), 'display_name'],
      ['display_name empty', invite({ display_name: '' }), 'display_name'],
      ['display_name blank', invite({ display_name: '   ' }), 'display_name'],
      ['display_name over 200', invite({ display_name: long(201) }), 'display_name'],
      ['display_name with a NUL', invite({ display_name: NUL }), 'display_name'],
      ['display_name with a line break', invite({ display_name: 'A\r\nBcc: x@y.test' }), 'display_name'],
      ['workspace_role unknown', invite({ workspace_role: 'admin' }), 'workspace_role'],
      ['workspace_role a number', invite({ workspace_role: 1 }), 'workspace_role'],
      ['workspace_role missing', { email: 'a@b.test', display_name: 'A' }, 'workspace_role'],
      ['tenant_roles not a list', invite({ tenant_roles: 'x' }), 'tenant_roles'],
      [
        'tenant_roles over 100',
        invite({ tenant_roles: Array(101).fill({ tenant: 'x', role: 'readonly' }) }),
        'tenant_roles',
      ],
      [
        'a tenant role without tenant',
        invite({ tenant_roles: [{ role: 'readonly' }] }),
        'tenant_roles.0.tenant',
      ],
      [
        'a tenant a number',
        invite({ tenant_roles: [{ tenant: 7, role: 'readonly' }] }),
        'tenant_roles.0.tenant',
      ],
      [
        'a tenant over 63',
        invite({ tenant_roles: [{ tenant: long(64), role: 'readonly' }] }),
        'tenant_roles.0.tenant',
      ],
      [
        'a tenant with a NUL',
        invite({ tenant_roles: [{ tenant: NUL, role: 'readonly' }] }),
        'tenant_roles.0.tenant',
      ],
      [
        'a tenant role unknown',
        invite({ tenant_roles: [{ tenant: 'x', role: 'boss' }] }),
        'tenant_roles.0.role',
      ],
      [
        'a tenant role with an extra field',
        invite({ tenant_roles: [{ tenant: 'x', role: 'readonly', y: 1 }] }),
        'tenant_roles.0.y',
      ],
      ['an unknown field', invite({ password: 'chosen by the inviter' }), 'password'],
      ['a list instead of an object', [validInvite], 'body'],
    ],
  },
  {
    name: 'change a person',
    method: 'PATCH',
    url: () => `${people}/${person}`,
    cases: [
      ['nothing to change', {}, 'body'],
      ['workspace_role unknown', { workspace_role: 'root' }, 'workspace_role'],
      ['workspace_role null', { workspace_role: null }, 'workspace_role'],
      ['active a string', { active: 'false' }, 'active'],
      ['active a number', { active: 0 }, 'active'],
      ['active null', { active: null }, 'active'],
      ['an unknown field', { workspace_role: 'operator', email: 'x@y.test' }, 'email'],
    ],
  },
  {
    name: 'grant one tenant role',
    method: 'PUT',
    url: () => `${people}/${person}/tenants/${tenant}`,
    cases: [
      ['role missing', {}, 'role'],
      ['role unknown', { role: 'superuser' }, 'role'],
      ['role a number', { role: 3 }, 'role'],
      ['role with a NUL', { role: `owner${NUL}` }, 'role'],
      ['an unknown field', { role: 'readonly', tenant: 'other' }, 'tenant'],
    ],
  },
  {
    name: 'grant many tenant roles',
    method: 'PUT',
    url: () => `${people}/${person}/tenants`,
    cases: [
      ['tenant_roles missing', {}, 'tenant_roles'],
      ['tenant_roles empty', { tenant_roles: [] }, 'tenant_roles'],
      ['tenant_roles an object', { tenant_roles: { tenant: 'x', role: 'readonly' } }, 'tenant_roles'],
      [
        'tenant_roles over 100',
        { tenant_roles: Array(101).fill({ tenant: 'x', role: 'readonly' }) },
        'tenant_roles',
      ],
      ['a tenant missing', { tenant_roles: [{ role: 'readonly' }] }, 'tenant_roles.0.tenant'],
      ['a tenant empty', grant({ tenant: '' }), 'tenant_roles.0.tenant'],
      ['a tenant with a NUL', grant({ tenant: NUL }), 'tenant_roles.0.tenant'],
      ['a role unknown', grant({ role: 'god' }), 'tenant_roles.0.role'],
      ['an extra field in a grant', grant({ user: 1 }), 'tenant_roles.0.user'],
      ['an unknown field', { tenant_roles: [{ tenant: 'x', role: 'readonly' }], replace: true }, 'replace'],
    ],
  },
];

describe('bad input is a 422 naming the field, and nothing is written', () => {
  for (const endpoint of endpoints) {
    test(endpoint.name, async () => {
      const before = await snapshot();
      for (const [description, body, field] of endpoint.cases) {
        const response = await request(t.app, owner, {
          method: endpoint.method,
          url: endpoint.url(),
          payload: body as object,
        });
        assert.equal(response.statusCode, 422, `${description}: ${response.body}`);
        const fields = response.json().error.fields ?? {};
        assert.ok(field in fields, `${description}: expected ${field} in ${JSON.stringify(fields)}`);
      }
      assert.deepEqual(await snapshot(), before);
    });
  }

  test('accept an invitation', async () => {
    const before = await snapshot();
    const cases: Case[] = [
      ['password missing', {}, 'password'],
      ['password a number', { password: 123456789012 }, 'password'],
      ['password null', { password: null }, 'password'],
      ['password too short', { password: 'short' }, 'password'],
      ['password over 1,024', { password: long(1025) }, 'password'],
      ['password blank', { password: long(12).replaceAll('x', ' ') }, 'password'],
      ['password with a NUL', { password: `long enough ${NUL}` }, 'password'],
      ['an unknown field', { password: 'long enough password', email: 'x@y.test' }, 'email'],
    ];
    for (const [description, body, field] of cases) {
      const response = await request(t.app, null, {
        method: 'POST',
        url: invitationPath,
        payload: body as object,
      });
      assert.equal(response.statusCode, 422, `${description}: ${response.body}`);
      assert.ok(field in (response.json().error.fields ?? {}), `${description}: ${response.body}`);
    }
    assert.deepEqual(await snapshot(), before);
    const shown = await request(t.app, null, { method: 'GET', url: invitationPath });
    assert.equal(shown.statusCode, 200, 'the link still works');
  });

  test('within the limits, any text is kept exactly', async () => {
    const name = 'Zoë "Ops" <b>O’Brien</b> 🚀 DROP TABLE users; --';
    const response = await request(t.app, owner, {
      method: 'POST',
      url: people,
      payload: { email: `${long(240)}@b.test`, display_name: name, workspace_role: 'readonly' },
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().person.display_name, name);
    const maximal = await request(t.app, owner, {
      method: 'POST',
      url: people,
      payload: { email: 'max@b.test', display_name: '🚀'.repeat(200), workspace_role: 'readonly' },
    });
    assert.equal(maximal.statusCode, 201, '200 characters (code points) are allowed');
  });
});
