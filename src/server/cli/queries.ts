import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tenants, workspaces } from '../features/tenancy/tables.ts';

/** The records a command names on its command line: a workspace by slug, a tenant by external id. */

export async function findWorkspaceBySlug(db: Db, slug: string) {
  const [row] = await db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.slug, slug))
    .limit(1);
  return row;
}

export async function findTenantByExternalId(db: Db, externalId: string) {
  const [row] = await db
    .select({
      externalId: tenants.externalId,
      workspace: { id: workspaces.id, slug: workspaces.slug, name: workspaces.name },
    })
    .from(tenants)
    .innerJoin(workspaces, eq(workspaces.id, tenants.workspaceId))
    .where(eq(tenants.externalId, externalId))
    .limit(1);
  return row;
}
