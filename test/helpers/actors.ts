import { eq } from 'drizzle-orm';
import type { Role } from '../../src/server/features/tenancy/tables.ts';
import { users } from '../../src/server/features/tenancy/tables.ts';
import { type Credential, signIn, type TestApp } from './app.ts';
import type { Tenant, Workspace } from './factories.ts';
import * as make from './factories.ts';
import { must } from './must.ts';

/**
 * The actor kinds of docs/rules.md "Access", set up once per test file, for access matrices:
 * every kind once with a bearer token and once as a signed-in browser.
 */
export type ActorKind =
  | 'anonymous'
  | 'inactive user'
  | 'other workspace'
  | 'workspace owner without tenant membership'
  | 'member of a sibling tenant only'
  | Role;

export const roles: Role[] = ['readonly', 'operator', 'manager', 'owner'];
export const actorKinds: ActorKind[] = [
  'anonymous',
  'inactive user',
  'other workspace',
  'workspace owner without tenant membership',
  'member of a sibling tenant only',
  ...roles,
];

/** The body every out-of-reach case answers with (docs/rules.md "Access", step 2). */
export const NOT_FOUND = { error: { code: 'not_found', message: 'Not found' } };

export interface ActorWorld {
  workspace: Workspace;
  otherWorkspace: Workspace;
  /** The tenant every role is a member of. */
  tenant: Tenant;
  /** Same workspace, only 'member of a sibling tenant only' belongs to it. */
  siblingTenant: Tenant;
  /** Another workspace's tenant, where 'other workspace' is an owner. */
  otherTenant: Tenant;
  /** User id per actor kind (not for 'anonymous'). */
  userIds: Record<Exclude<ActorKind, 'anonymous'>, number>;
  /** [label, credential] pairs: one for 'anonymous', a token and a session for every other kind. */
  credentialsOf(kind: ActorKind): [string, Credential][];
  /** The bearer credential of a kind, for tests that need just one. */
  token(kind: Exclude<ActorKind, 'anonymous'>): Credential;
}

/**
 * Creates the workspaces, tenants and one user per actor kind, signs each in, then deactivates the
 * inactive user (after signing in: its session and token must both stop working).
 */
export async function createActorWorld(t: TestApp): Promise<ActorWorld> {
  const db = t.db;
  const workspace = await make.createWorkspace(db);
  const otherWorkspace = await make.createWorkspace(db);
  const tenant = await make.createTenant(db, { workspaceId: workspace.id });
  const siblingTenant = await make.createTenant(db, { workspaceId: workspace.id });
  const otherTenant = await make.createTenant(db, { workspaceId: otherWorkspace.id });

  const userIds = {} as ActorWorld['userIds'];
  for (const role of roles) {
    const user = await make.createUser(db);
    await make.addTenantMember(db, { tenant, userId: user.id, role });
    userIds[role] = user.id;
  }
  const inactive = await make.createUser(db);
  await make.addTenantMember(db, { tenant, userId: inactive.id, role: 'owner' });
  userIds['inactive user'] = inactive.id;
  const outsider = await make.createUser(db);
  await make.addTenantMember(db, { tenant: otherTenant, userId: outsider.id, role: 'owner' });
  userIds['other workspace'] = outsider.id;
  const workspaceOwner = await make.createUser(db);
  await make.addWorkspaceMember(db, { workspaceId: workspace.id, userId: workspaceOwner.id, role: 'owner' });
  userIds['workspace owner without tenant membership'] = workspaceOwner.id;
  const siblingMember = await make.createUser(db);
  await make.addTenantMember(db, { tenant: siblingTenant, userId: siblingMember.id, role: 'owner' });
  userIds['member of a sibling tenant only'] = siblingMember.id;

  const credentials = new Map<string, Credential>();
  for (const [kind, userId] of Object.entries(userIds)) {
    const [user] = await db.select().from(users).where(eq(users.id, userId));
    credentials.set(`${kind} (token)`, { bearer: await make.createApiToken(db, { userId }) });
    credentials.set(`${kind} (session)`, {
      session: await signIn(t.app, must(user, `user ${userId}`).email),
    });
  }
  await db.update(users).set({ active: false }).where(eq(users.id, inactive.id));

  return {
    workspace,
    otherWorkspace,
    tenant,
    siblingTenant,
    otherTenant,
    userIds,
    credentialsOf(kind) {
      if (kind === 'anonymous') return [['anonymous', null]];
      return [`${kind} (token)`, `${kind} (session)`].map((name) => [name, credentials.get(name) ?? null]);
    },
    token(kind) {
      return credentials.get(`${kind} (token)`) ?? null;
    },
  };
}

/**
 * The status docs/rules.md "Access" expects for a tenant-scoped route: 401 signed out, 404 for anyone not
 * entitled to the tenant, 403 for an entitled role without `capability`, else `success`.
 */
export function expectedStatus(kind: ActorKind, allowedRoles: readonly Role[], success = 200): number {
  if (kind === 'anonymous' || kind === 'inactive user') return 401;
  if (!roles.includes(kind as Role)) return 404;
  return allowedRoles.includes(kind as Role) ? success : 403;
}
