import { and, eq } from 'drizzle-orm';
import {
  type Role,
  type WorkspaceCapability,
  workspaceCapabilitiesOf,
} from '../../src/server/core/capabilities.ts';
import { users, workspaceMemberships } from '../../src/server/features/tenancy/tables.ts';
import { type Credential, signIn, type TestApp } from './app.ts';
import * as make from './factories.ts';
import { must } from './must.ts';

/**
 * The actor kinds of docs/rules.md "Administration", set up once per test file, for the access matrices
 * of /admin/w/{workspace}/… routes: each kind once with a bearer token and once as a signed-in browser.
 * The roles here are workspace roles; every role member also holds an `owner` tenant role on `tenant`,
 * which must grant nothing in administration.
 */
export type WorkspaceActorKind =
  | 'anonymous'
  | 'inactive user'
  | 'other workspace owner'
  | 'suspended owner'
  | Role;

export const workspaceRoles: Role[] = ['readonly', 'operator', 'manager', 'owner'];
export const workspaceActorKinds: WorkspaceActorKind[] = [
  'anonymous',
  'inactive user',
  'other workspace owner',
  'suspended owner',
  ...workspaceRoles,
];

export interface WorkspaceActorWorld {
  workspace: make.Workspace;
  otherWorkspace: make.Workspace;
  /** A tenant of `workspace`; every role member is its tenant owner. */
  tenant: make.Tenant;
  /** A tenant of `otherWorkspace`. */
  otherTenant: make.Tenant;
  userIds: Record<Exclude<WorkspaceActorKind, 'anonymous'>, number>;
  /** [label, credential] pairs: one for 'anonymous', a token and a session for every other kind. */
  credentialsOf(kind: WorkspaceActorKind): [string, Credential][];
  token(kind: Exclude<WorkspaceActorKind, 'anonymous'>): Credential;
}

/**
 * Creates two workspaces and one user per kind, signs each in, then deactivates the inactive user and
 * suspends the suspended owner (after signing in: their sessions and tokens must stop working here).
 */
export async function createWorkspaceActorWorld(t: TestApp): Promise<WorkspaceActorWorld> {
  const db = t.db;
  const workspace = await make.createWorkspace(db);
  const otherWorkspace = await make.createWorkspace(db);
  const tenant = await make.createTenant(db, { workspaceId: workspace.id });
  const otherTenant = await make.createTenant(db, { workspaceId: otherWorkspace.id });

  const userIds = {} as WorkspaceActorWorld['userIds'];
  const member = async (workspaceId: number, role: Role, withTenant: make.Tenant | null) => {
    const user = await make.createUser(db);
    await make.addWorkspaceMember(db, { workspaceId, userId: user.id, role });
    if (withTenant) await make.addTenantMember(db, { tenant: withTenant, userId: user.id, role: 'owner' });
    return user.id;
  };
  for (const role of workspaceRoles) userIds[role] = await member(workspace.id, role, tenant);
  userIds['inactive user'] = await member(workspace.id, 'owner', tenant);
  userIds['suspended owner'] = await member(workspace.id, 'owner', tenant);
  userIds['other workspace owner'] = await member(otherWorkspace.id, 'owner', otherTenant);

  const credentials = new Map<string, Credential>();
  for (const [kind, userId] of Object.entries(userIds)) {
    const [user] = await db.select().from(users).where(eq(users.id, userId));
    credentials.set(`${kind} (token)`, { bearer: await make.createApiToken(db, { userId }) });
    credentials.set(`${kind} (session)`, { session: await signIn(t.app, must(user, kind).email) });
  }
  await db.update(users).set({ active: false }).where(eq(users.id, userIds['inactive user']));
  await db
    .update(workspaceMemberships)
    .set({ active: false })
    .where(
      and(
        eq(workspaceMemberships.workspaceId, workspace.id),
        eq(workspaceMemberships.userId, userIds['suspended owner']),
      ),
    );

  return {
    workspace,
    otherWorkspace,
    tenant,
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
 * The status a /admin/w/{workspace}/… route answers each kind: 401 signed out (or inactive), 404 for
 * anyone who is not an active member of the workspace, 403 for a role without `capability`, else
 * `success`.
 */
export function expectedWorkspaceStatus(
  kind: WorkspaceActorKind,
  capability: WorkspaceCapability,
  success = 200,
): number {
  if (kind === 'anonymous' || kind === 'inactive user') return 401;
  if (!workspaceRoles.includes(kind as Role)) return 404;
  return workspaceCapabilitiesOf[kind as Role].includes(capability) ? success : 403;
}
