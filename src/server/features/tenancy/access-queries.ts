import { and, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { tenantMemberships, tenants, workspaceMemberships, workspaces } from './tables.ts';

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
      tenantId: tenants.id,
      tenantExternalId: tenants.externalId,
      tenantName: tenants.name,
      tenantArchivedAt: tenants.archivedAt,
      workspaceId: workspaces.id,
      workspaceSlug: workspaces.slug,
      workspaceName: workspaces.name,
      workspaceRequiresSecondFactor: workspaces.requireSecondFactor,
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
