import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sessions, tenantMemberships, tenants, users, workspaceMemberships, workspaces } from './tables.ts';

export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  return user;
}

/**
 * The actor's workspaces (suspended memberships left out) and, inside each, only the tenants they hold a
 * membership of.
 */
export async function listMemberships(db: Db, userId: number) {
  const workspaceRows = await db
    .select({
      id: workspaces.id,
      slug: workspaces.slug,
      name: workspaces.name,
      role: workspaceMemberships.role,
      requireSecondFactor: workspaces.requireSecondFactor,
    })
    .from(workspaceMemberships)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMemberships.workspaceId))
    .where(and(eq(workspaceMemberships.userId, userId), eq(workspaceMemberships.active, true)))
    .orderBy(asc(workspaces.name), asc(workspaces.id));
  const tenantRows = await db
    .select({
      id: tenants.id,
      workspaceId: tenants.workspaceId,
      externalId: tenants.externalId,
      name: tenants.name,
      archivedAt: tenants.archivedAt,
      role: tenantMemberships.role,
    })
    .from(tenantMemberships)
    .innerJoin(tenants, eq(tenants.id, tenantMemberships.tenantId))
    .where(eq(tenantMemberships.userId, userId))
    .orderBy(asc(tenants.name), asc(tenants.id));
  return { workspaceRows, tenantRows };
}

export async function deleteExpiredSessions(db: Db, userId: number) {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date())));
}
