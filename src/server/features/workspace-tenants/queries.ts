import { and, eq, ilike, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { tenantMemberships, tenants, users, workspaceMemberships } from '../tenancy/tables.ts';
import { containsPattern } from './rules.ts';
import type { ArchivedFilter } from './schemas.ts';

// Case-insensitive and the same on every server, whatever its default collation (as the member picker).
const byName = () => sql`lower(${tenants.name}) collate "C"`;

/** The columns of a tenant as administration shows it, with the given user's own tenant role. */
const tenantColumns = {
  id: tenants.id,
  externalId: tenants.externalId,
  name: tenants.name,
  directoryId: tenants.directoryId,
  primaryDomain: tenants.primaryDomain,
  deskCustomerId: tenants.deskCustomerId,
  archivedAt: tenants.archivedAt,
  createdAt: tenants.createdAt,
  myRole: tenantMemberships.role,
};

const myMembership = (userId: number) =>
  and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, userId));

/** The id of the workspace's tenant with this external_id; undefined for a tenant of another workspace. */
export async function findWorkspaceTenantId(db: Db, workspaceId: number, externalId: string) {
  const [row] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.workspaceId, workspaceId), eq(tenants.externalId, externalId)))
    .limit(1);
  return row?.id;
}

export async function countWorkspaceTenants(db: Db, workspaceId: number) {
  const [row] = await db
    .select({
      active: sql<number>`count(*) filter (where ${tenants.archivedAt} is null)`.mapWith(Number),
      archived: sql<number>`count(*) filter (where ${tenants.archivedAt} is not null)`.mapWith(Number),
    })
    .from(tenants)
    .where(eq(tenants.workspaceId, workspaceId));
  return { active: row?.active ?? 0, archived: row?.archived ?? 0 };
}

/** Members whose membership and account are active, and the rest (suspended, or deactivated users). */
export async function countWorkspacePeople(db: Db, workspaceId: number) {
  const active = sql`${workspaceMemberships.active} and ${users.active}`;
  const [row] = await db
    .select({
      active: sql<number>`count(*) filter (where ${active})`.mapWith(Number),
      suspended: sql<number>`count(*) filter (where not (${active}))`.mapWith(Number),
    })
    .from(workspaceMemberships)
    .innerJoin(users, eq(users.id, workspaceMemberships.userId))
    .where(eq(workspaceMemberships.workspaceId, workspaceId));
  return { active: row?.active ?? 0, suspended: row?.suspended ?? 0 };
}

const archivedWhere: Record<ArchivedFilter, SQL | undefined> = {
  false: isNull(tenants.archivedAt),
  true: isNotNull(tenants.archivedAt),
  all: undefined,
};

/** One page of the workspace's tenants by name (case-insensitive), then id; keyset after `after`. */
export async function listWorkspaceTenantRows(
  db: Db,
  scope: { workspaceId: number; userId: number },
  filter: { q?: string; archived: ArchivedFilter; after: { name: string; id: number } | null; limit: number },
) {
  const { q, archived, after, limit } = filter;
  return db
    .select({ ...tenantColumns, nameKey: byName().mapWith(String) })
    .from(tenants)
    .leftJoin(tenantMemberships, myMembership(scope.userId))
    .where(
      and(
        eq(tenants.workspaceId, scope.workspaceId),
        archivedWhere[archived],
        q
          ? or(ilike(tenants.name, containsPattern(q)), ilike(tenants.externalId, containsPattern(q)))
          : undefined,
        after ? sql`(${byName()}, ${tenants.id}) > (${after.name} collate "C", ${after.id})` : undefined,
      ),
    )
    .orderBy(byName(), tenants.id)
    .limit(limit + 1);
}

/** The workspace's tenant, with the user's own tenant role; `lock` holds the row until the transaction ends. */
export async function getWorkspaceTenantRow(
  db: Db,
  scope: { workspaceId: number; userId: number },
  tenantId: number,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select(tenantColumns)
    .from(tenants)
    .leftJoin(tenantMemberships, myMembership(scope.userId))
    .where(and(eq(tenants.workspaceId, scope.workspaceId), eq(tenants.id, tenantId)));
  const [row] = await (options.lock ? query.for('update', { of: tenants }) : query);
  return row;
}

export type WorkspaceTenantRow = NonNullable<Awaited<ReturnType<typeof getWorkspaceTenantRow>>>;

/** Whether any tenant of the installation already has this external_id. */
export async function externalIdTaken(db: Db, externalId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(eq(tenants.externalId, externalId))
    .limit(1);
  return row !== undefined;
}

/** Whether a tenant of the installation other than `exceptTenantId` has this (lower-case) directory id. */
export async function directoryIdTaken(db: Db, directoryId: string, exceptTenantId?: number) {
  const [row] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(
      and(
        eq(tenants.directoryId, directoryId),
        exceptTenantId === undefined ? undefined : ne(tenants.id, exceptTenantId),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export async function insertTenant(db: Db, values: typeof tenants.$inferInsert) {
  const [row] = await db.insert(tenants).values(values).returning({ id: tenants.id });
  if (!row) throw new Error('insert returned no tenant');
  return row.id;
}

/** The tenant role of a user who already holds a membership of the tenant's workspace. */
export async function insertTenantMembership(
  db: Db,
  values: { tenantId: number; workspaceId: number; userId: number; role: 'owner' },
) {
  await db.insert(tenantMemberships).values(values);
}

export async function updateTenantRow(
  db: Db,
  workspaceId: number,
  tenantId: number,
  values: Partial<
    Pick<
      typeof tenants.$inferInsert,
      'name' | 'directoryId' | 'primaryDomain' | 'deskCustomerId' | 'archivedAt'
    >
  >,
) {
  await db
    .update(tenants)
    .set(values)
    .where(and(eq(tenants.workspaceId, workspaceId), eq(tenants.id, tenantId)));
}
