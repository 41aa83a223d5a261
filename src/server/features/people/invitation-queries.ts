import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { invitations, users, workspaceMemberships, workspaces } from '../tenancy/tables.ts';

export async function insertInvitation(
  tx: Db,
  invitation: { workspaceId: number; userId: number; invitedBy: number; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await tx.insert(invitations).values(invitation);
}

/** Older links of this person to this workspace stop working: they read back as expired. */
export async function expireOpenInvitations(tx: Db, workspaceId: number, userId: number, at: Date) {
  await tx
    .update(invitations)
    .set({ expiresAt: at })
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        eq(invitations.userId, userId),
        isNull(invitations.usedAt),
        gt(invitations.expiresAt, at),
      ),
    );
}

/**
 * The invitation with this token digest, its person and workspace, and the person's membership of it
 * (null when they were removed since).
 */
export async function findInvitation(db: Db, tokenHash: string) {
  const [row] = await db
    .select({
      id: invitations.id,
      usedAt: invitations.usedAt,
      expiresAt: invitations.expiresAt,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      userActive: users.active,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`.mapWith(Boolean),
      workspaceId: workspaces.id,
      workspaceSlug: workspaces.slug,
      workspaceName: workspaces.name,
      membershipActive: workspaceMemberships.active,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .leftJoin(
      workspaceMemberships,
      and(
        eq(workspaceMemberships.workspaceId, invitations.workspaceId),
        eq(workspaceMemberships.userId, invitations.userId),
      ),
    )
    .where(eq(invitations.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** Marks the invitation used, once: false when another request used it (or it expired) first. */
export async function useInvitation(tx: Db, id: number, at: Date): Promise<boolean> {
  const rows = await tx
    .update(invitations)
    .set({ usedAt: at })
    .where(and(eq(invitations.id, id), isNull(invitations.usedAt), gt(invitations.expiresAt, at)))
    .returning({ id: invitations.id });
  return rows.length === 1;
}

/** Sets the first password of an invited person, who has none. */
export async function setFirstPassword(tx: Db, userId: number, passwordHash: string) {
  const rows = await tx
    .update(users)
    .set({ passwordHash })
    .where(and(eq(users.id, userId), isNull(users.passwordHash), eq(users.active, true)))
    .returning({ id: users.id });
  return rows.length === 1;
}
