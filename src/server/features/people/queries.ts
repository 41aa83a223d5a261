import { and, eq, ilike, inArray, isNull, ne, not, or, sql } from 'drizzle-orm';
import type { Role } from '../../core/capabilities.ts';
import { decodeCursor } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import {
  apiTokens,
  sessions,
  tenantMemberships,
  tenants,
  users,
  workspaceMemberships,
  workspaces,
} from '../tenancy/tables.ts';
import type { ActiveFilter } from './schemas.ts';

// Case-insensitive and the same on every server, whatever its default collation (as the member picker).
const byName = () => sql`lower(${users.displayName}) collate "C"`;
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const activePerson = () => and(eq(workspaceMemberships.active, true), eq(users.active, true));

/** The user holds a membership of the workspace, active or suspended. */
export async function isWorkspaceMember(db: Db, workspaceId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: workspaceMemberships.userId })
    .from(workspaceMemberships)
    .where(and(eq(workspaceMemberships.workspaceId, workspaceId), eq(workspaceMemberships.userId, userId)))
    .limit(1);
  return row !== undefined;
}

const personColumns = {
  userId: users.id,
  email: users.email,
  displayName: users.displayName,
  membershipActive: workspaceMemberships.active,
  userActive: users.active,
  role: workspaceMemberships.role,
  lastSignInAt: users.lastSignInAt,
  hasPassword: sql<boolean>`${users.passwordHash} is not null`.mapWith(Boolean),
  nameKey: byName().mapWith(String),
};
export type PersonRow = NonNullable<Awaited<ReturnType<typeof findPersonRow>>>;

/** People of the workspace by name, one more than `limit` to tell whether a page follows. */
export async function listPersonRows(
  db: Db,
  workspaceId: number,
  query: { limit: number; cursor?: string; q?: string; active?: ActiveFilter },
) {
  const after = decodeCursor(query.cursor, { name: 'string', id: 'number' });
  const pattern = query.q ? likePattern(query.q) : undefined;
  const active = query.active ?? 'all';
  return db
    .select(personColumns)
    .from(workspaceMemberships)
    .innerJoin(users, eq(users.id, workspaceMemberships.userId))
    .where(
      and(
        eq(workspaceMemberships.workspaceId, workspaceId),
        pattern ? or(ilike(users.displayName, pattern), ilike(users.email, pattern)) : undefined,
        active === 'true'
          ? activePerson()
          : active === 'false'
            ? not(activePerson() ?? sql`true`)
            : undefined,
        after ? sql`(${byName()}, ${users.id}) > (${after.name} collate "C", ${after.id})` : undefined,
      ),
    )
    .orderBy(byName(), users.id)
    .limit(query.limit + 1);
}

export async function findPersonRow(db: Db, workspaceId: number, userId: number) {
  const [row] = await db
    .select(personColumns)
    .from(workspaceMemberships)
    .innerJoin(users, eq(users.id, workspaceMemberships.userId))
    .where(and(eq(workspaceMemberships.workspaceId, workspaceId), eq(workspaceMemberships.userId, userId)))
    .limit(1);
  return row;
}

/** The tenant roles these people hold on the workspace's tenants, by tenant external_id. */
export async function listTenantRoleRows(db: Db, workspaceId: number, userIds: number[]) {
  if (userIds.length === 0) return [];
  return db
    .select({
      userId: tenantMemberships.userId,
      tenantId: tenants.id,
      tenant: tenants.externalId,
      role: tenantMemberships.role,
    })
    .from(tenantMemberships)
    .innerJoin(tenants, eq(tenants.id, tenantMemberships.tenantId))
    .where(and(eq(tenantMemberships.workspaceId, workspaceId), inArray(tenantMemberships.userId, userIds)))
    .orderBy(tenants.externalId);
}

/**
 * Serializes every change to the workspace's people: two owners demoting each other at once must not
 * leave the workspace without one. NO KEY UPDATE, so rows that merely reference the workspace still insert.
 */
export async function lockWorkspacePeople(tx: Db, workspaceId: number): Promise<void> {
  await tx
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .for('no key update');
}

/** Active owners of the workspace other than this user (membership and account active). */
export async function countOtherActiveOwners(tx: Db, workspaceId: number, userId: number): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(workspaceMemberships)
    .innerJoin(users, eq(users.id, workspaceMemberships.userId))
    .where(
      and(
        eq(workspaceMemberships.workspaceId, workspaceId),
        ne(workspaceMemberships.userId, userId),
        eq(workspaceMemberships.role, 'owner'),
        activePerson(),
      ),
    );
  return row?.count ?? 0;
}

export async function updateMembership(
  tx: Db,
  workspaceId: number,
  userId: number,
  change: { role?: Role; active?: boolean },
): Promise<void> {
  await tx
    .update(workspaceMemberships)
    .set(change)
    .where(and(eq(workspaceMemberships.workspaceId, workspaceId), eq(workspaceMemberships.userId, userId)));
}

/** Removes the membership; its tenant memberships go with it (tenant_memberships_workspace_membership_fk). */
export async function deleteMembership(tx: Db, workspaceId: number, userId: number): Promise<void> {
  await tx
    .delete(workspaceMemberships)
    .where(and(eq(workspaceMemberships.workspaceId, workspaceId), eq(workspaceMemberships.userId, userId)));
}

export async function insertMembership(
  tx: Db,
  membership: { workspaceId: number; userId: number; role: Role },
): Promise<void> {
  await tx.insert(workspaceMemberships).values(membership);
}

/** Active memberships of the user in any workspace, optionally leaving one workspace out. */
export async function countActiveMemberships(tx: Db, userId: number, exceptWorkspaceId?: number) {
  const [row] = await tx
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(workspaceMemberships)
    .where(
      and(
        eq(workspaceMemberships.userId, userId),
        eq(workspaceMemberships.active, true),
        exceptWorkspaceId === undefined ? undefined : ne(workspaceMemberships.workspaceId, exceptWorkspaceId),
      ),
    );
  return row?.count ?? 0;
}

/** Deactivates the account: its sessions are deleted and its API tokens revoked, so both answer 401. */
export async function deactivateUserAccount(tx: Db, userId: number, at: Date): Promise<void> {
  await tx.update(users).set({ active: false }).where(eq(users.id, userId));
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}

export async function activateUserAccount(tx: Db, userId: number): Promise<void> {
  await tx.update(users).set({ active: true }).where(eq(users.id, userId));
}

/** A new account without a password, or undefined when the e-mail was taken meanwhile. */
export async function insertInvitedUser(tx: Db, user: { email: string; displayName: string }) {
  const [row] = await tx
    .insert(users)
    .values({ ...user, passwordHash: null })
    .onConflictDoNothing()
    .returning({ id: users.id });
  return row?.id;
}

/** The workspace's tenants with these external_ids, locked against a concurrent archive. */
export async function lockWorkspaceTenants(tx: Db, workspaceId: number, externalIds: string[]) {
  if (externalIds.length === 0) return [];
  return tx
    .select({
      id: tenants.id,
      externalId: tenants.externalId,
      name: tenants.name,
      archivedAt: tenants.archivedAt,
    })
    .from(tenants)
    .where(and(eq(tenants.workspaceId, workspaceId), inArray(tenants.externalId, externalIds)))
    .for('share');
}

/** The user's roles on these tenants. */
export async function findTenantRoles(tx: Db, userId: number, tenantIds: number[]) {
  if (tenantIds.length === 0) return [];
  return tx
    .select({ tenantId: tenantMemberships.tenantId, role: tenantMemberships.role })
    .from(tenantMemberships)
    .where(and(eq(tenantMemberships.userId, userId), inArray(tenantMemberships.tenantId, tenantIds)));
}

export async function upsertTenantRole(
  tx: Db,
  grant: { tenantId: number; workspaceId: number; userId: number; role: Role },
): Promise<void> {
  await tx
    .insert(tenantMemberships)
    .values(grant)
    .onConflictDoUpdate({
      target: [tenantMemberships.tenantId, tenantMemberships.userId],
      set: { role: grant.role },
    });
}

export async function deleteTenantRole(tx: Db, tenantId: number, userId: number): Promise<void> {
  await tx
    .delete(tenantMemberships)
    .where(and(eq(tenantMemberships.tenantId, tenantId), eq(tenantMemberships.userId, userId)));
}
