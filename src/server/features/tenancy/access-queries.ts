import { and, eq, gt, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { findings } from '../findings/tables.ts';
import { secondFactorSatisfiedSql } from '../second-factor/queries.ts';
import {
  apiTokens,
  sessions,
  tenantMemberships,
  tenants,
  users,
  workspaceMemberships,
  workspaces,
} from './tables.ts';

/** A tenant and its workspace, as every entitlement row names them. */
const tenantColumns = {
  tenantId: tenants.id,
  tenantExternalId: tenants.externalId,
  tenantName: tenants.name,
  tenantArchivedAt: tenants.archivedAt,
  workspaceId: workspaces.id,
  workspaceSlug: workspaces.slug,
  workspaceName: workspaces.name,
  workspaceRequiresSecondFactor: workspaces.requireSecondFactor,
};

/** The user's active membership of the workspace, as a join condition. */
const activeWorkspaceMember = (workspaceId: SQLWrapper, userId: SQLWrapper | number) =>
  and(
    eq(workspaceMemberships.workspaceId, workspaceId),
    eq(workspaceMemberships.userId, userId),
    eq(workspaceMemberships.active, true),
  );

/**
 * The tenant, its workspace, and the user's tenant role on it; undefined when the user holds no membership
 * or their workspace membership is suspended.
 */
export async function findTenantEntitlement(
  db: Db,
  userId: number,
  tenant: { externalId: string } | { id: number },
) {
  const where: SQL = 'id' in tenant ? eq(tenants.id, tenant.id) : eq(tenants.externalId, tenant.externalId);
  const [row] = await db
    .select({
      ...tenantColumns,
      role: tenantMemberships.role,
    })
    .from(tenants)
    .innerJoin(workspaces, eq(workspaces.id, tenants.workspaceId))
    .innerJoin(workspaceMemberships, activeWorkspaceMember(tenants.workspaceId, userId))
    .innerJoin(
      tenantMemberships,
      and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, userId)),
    )
    .where(where)
    .limit(1);
  return row;
}

/** A workspace as every membership row names it (the user's role beside it). */
const workspaceColumns = {
  id: workspaces.id,
  slug: workspaces.slug,
  name: workspaces.name,
  requiresSecondFactor: workspaces.requireSecondFactor,
};

/** The workspace and the user's workspace role; undefined when the user is not an active member. */
export async function findWorkspaceMembership(
  db: Db,
  userId: number,
  workspace: { slug: string } | { id: number },
) {
  const where: SQL =
    'id' in workspace ? eq(workspaces.id, workspace.id) : eq(workspaces.slug, workspace.slug);
  const [row] = await db
    .select({ ...workspaceColumns, role: workspaceMemberships.role })
    .from(workspaces)
    .innerJoin(workspaceMemberships, activeWorkspaceMember(workspaces.id, userId))
    .where(where)
    .limit(1);
  return row;
}

/** How the request names its caller: the digest of a bearer token or of a session cookie. */
export type CredentialDigest = { token: string } | { session: string };

/**
 * The active user a credential names (an unexpired session, or an unrevoked token), as the subquery every
 * "caller and …" statement starts from, with what noting the use needs; `sessionId` null for a token.
 */
function callerNamedBy(db: Db, credential: CredentialDigest, now: Date) {
  const user = { userId: users.id, email: users.email, displayName: users.displayName };
  if ('session' in credential) {
    return db
      .select({
        ...user,
        sessionId: sql<string | null>`${sessions.id}`.as('session_id'),
        tokenId: sql<number | null>`null::integer`.as('token_id'),
        lastUsedAt: sql<Date | null>`${sessions.lastSeenAt}`.as('last_used_at'),
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, credential.session), gt(sessions.expiresAt, now), eq(users.active, true)))
      .as('caller');
  }
  return db
    .select({
      ...user,
      sessionId: sql<string | null>`null::text`.as('session_id'),
      tokenId: sql<number | null>`${apiTokens.id}`.as('token_id'),
      lastUsedAt: sql<Date | null>`${apiTokens.lastUsedAt}`.as('last_used_at'),
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(eq(apiTokens.tokenHash, credential.token), isNull(apiTokens.revokedAt), eq(users.active, true)),
    )
    .as('caller');
}

type Caller = ReturnType<typeof callerNamedBy>;

/**
 * A column the caller subquery computes, named with the subquery's alias: Drizzle would render such an
 * aliased expression unqualified outside it, and inside a correlated subquery that name could mean a column
 * of another table (oidc_sessions.session_id).
 */
const callerColumn = (name: string) => sql`${sql.identifier('caller')}.${sql.identifier(name)}`;

/** The caller's columns of a "caller and …" row, and whether they meet a workspace's second-factor rule. */
function callerColumns(caller: Caller) {
  return {
    userId: caller.userId,
    email: caller.email,
    displayName: caller.displayName,
    tokenId: sql<number | null>`${callerColumn('token_id')}`.mapWith(apiTokens.id),
    lastUsedAt: sql<Date | null>`${callerColumn('last_used_at')}`.mapWith(apiTokens.lastUsedAt),
    // Asked only of a workspace that requires it (docs/rules.md "Second factor").
    secondFactorSatisfied: sql<boolean>`case when ${workspaces.requireSecondFactor} then ${secondFactorSatisfiedSql(caller.userId, callerColumn('session_id'))} else true end`,
  };
}

/**
 * The caller and their entitlement to one tenant (and, with `findingId`, whether that finding is the
 * tenant's) in one statement: a read's first round trip is also its last before the page. No row: nobody
 * valid is calling (401). A row without `role`: the tenant is out of the caller's reach (404).
 */
export async function findActorWithEntitlement(
  db: Db,
  credential: CredentialDigest,
  tenant: { externalId: string },
  findingId: number | null,
  now: Date,
) {
  const caller = callerNamedBy(db, credential, now);
  const [row] = await db
    .select({
      ...callerColumns(caller),
      ...tenantColumns,
      workspaceMember: workspaceMemberships.userId,
      role: tenantMemberships.role,
      findingFound:
        findingId === null
          ? sql<boolean>`true`
          : sql<boolean>`exists (select 1 from ${findings} where ${findings.id} = ${findingId} and ${findings.tenantId} = ${tenants.id})`,
    })
    .from(caller)
    .leftJoin(tenants, eq(tenants.externalId, tenant.externalId))
    .leftJoin(workspaces, eq(workspaces.id, tenants.workspaceId))
    .leftJoin(workspaceMemberships, activeWorkspaceMember(tenants.workspaceId, caller.userId))
    .leftJoin(
      tenantMemberships,
      and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, caller.userId)),
    )
    .limit(1);
  return row;
}

/**
 * The caller and their membership of one workspace in one statement, as findActorWithEntitlement for a
 * tenant. No row: nobody valid is calling (401). A row without `role`: not an active member (404).
 */
export async function findActorWithMembership(
  db: Db,
  credential: CredentialDigest,
  workspace: { slug: string },
  now: Date,
) {
  const caller = callerNamedBy(db, credential, now);
  const [row] = await db
    .select({ ...callerColumns(caller), ...workspaceColumns, role: workspaceMemberships.role })
    .from(caller)
    .leftJoin(workspaces, eq(workspaces.slug, workspace.slug))
    .leftJoin(workspaceMemberships, activeWorkspaceMember(workspaces.id, caller.userId))
    .limit(1);
  return row;
}
