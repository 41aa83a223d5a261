import { and, eq, gt, isNull, type SQL, sql } from 'drizzle-orm';
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
    .innerJoin(
      workspaceMemberships,
      and(
        eq(workspaceMemberships.workspaceId, tenants.workspaceId),
        eq(workspaceMemberships.userId, userId),
        eq(workspaceMemberships.active, true),
      ),
    )
    .innerJoin(
      tenantMemberships,
      and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, userId)),
    )
    .where(where)
    .limit(1);
  return row;
}

/** The workspace and the user's workspace role; undefined when the user is not an active member. */
export async function findWorkspaceMembership(
  db: Db,
  userId: number,
  workspace: { slug: string } | { id: number },
) {
  const where: SQL =
    'id' in workspace ? eq(workspaces.id, workspace.id) : eq(workspaces.slug, workspace.slug);
  const [row] = await db
    .select({
      id: workspaces.id,
      slug: workspaces.slug,
      name: workspaces.name,
      requiresSecondFactor: workspaces.requireSecondFactor,
      role: workspaceMemberships.role,
    })
    .from(workspaces)
    .innerJoin(
      workspaceMemberships,
      and(
        eq(workspaceMemberships.workspaceId, workspaces.id),
        eq(workspaceMemberships.userId, userId),
        eq(workspaceMemberships.active, true),
      ),
    )
    .where(where)
    .limit(1);
  return row;
}

/** How the request names its caller: the digest of a bearer token or of a session cookie. */
export type CredentialDigest = { token: string } | { session: string };

/**
 * The caller and their entitlement to one tenant (and, with `findingId`, whether that finding is the
 * tenant's) in one statement: a read's first round trip is also its last before the page. No row: nobody
 * valid is calling (401). A row without `role`: the tenant is out of the caller's reach (404).
 * `secondFactorSatisfied` is asked only of a workspace that requires it (docs/rules.md "Second factor").
 */
export async function findActorWithEntitlement(
  db: Db,
  credential: CredentialDigest,
  tenant: { externalId: string },
  findingId: number | null,
  now: Date,
) {
  const bySession = 'session' in credential;
  const columns = {
    userId: users.id,
    email: users.email,
    displayName: users.displayName,
    ...tenantColumns,
    workspaceMember: workspaceMemberships.userId,
    role: tenantMemberships.role,
    findingFound:
      findingId === null
        ? sql<boolean>`true`
        : sql<boolean>`exists (select 1 from ${findings} where ${findings.id} = ${findingId} and ${findings.tenantId} = ${tenants.id})`,
  };
  const tenantJoin = eq(tenants.externalId, tenant.externalId);
  const workspaceJoin = eq(workspaces.id, tenants.workspaceId);
  const workspaceMemberJoin = and(
    eq(workspaceMemberships.workspaceId, tenants.workspaceId),
    eq(workspaceMemberships.userId, users.id),
    eq(workspaceMemberships.active, true),
  );
  const tenantMemberJoin = and(
    eq(tenantMemberships.tenantId, tenants.id),
    eq(tenantMemberships.userId, users.id),
  );
  if (bySession) {
    const [row] = await db
      .select({
        ...columns,
        tokenId: sql<number | null>`null`,
        lastUsedAt: sessions.lastSeenAt,
        secondFactorSatisfied: sql<boolean>`case when ${workspaces.requireSecondFactor} then ${secondFactorSatisfiedSql(users.id, sessions.id)} else true end`,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(tenants, tenantJoin)
      .leftJoin(workspaces, workspaceJoin)
      .leftJoin(workspaceMemberships, workspaceMemberJoin)
      .leftJoin(tenantMemberships, tenantMemberJoin)
      .where(and(eq(sessions.id, credential.session), gt(sessions.expiresAt, now), eq(users.active, true)))
      .limit(1);
    return row;
  }
  const [row] = await db
    .select({
      ...columns,
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      secondFactorSatisfied: sql<boolean>`case when ${workspaces.requireSecondFactor} then ${secondFactorSatisfiedSql(users.id, null)} else true end`,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(tenants, tenantJoin)
    .leftJoin(workspaces, workspaceJoin)
    .leftJoin(workspaceMemberships, workspaceMemberJoin)
    .leftJoin(tenantMemberships, tenantMemberJoin)
    .where(
      and(eq(apiTokens.tokenHash, credential.token), isNull(apiTokens.revokedAt), eq(users.active, true)),
    )
    .limit(1);
  return row;
}
