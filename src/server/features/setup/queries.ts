import { count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { setupTokens, users, workspaceMemberships, workspaces } from '../tenancy/tables.ts';

/** Whether anyone has an account: from then on first-run setup is over. */
export async function anyUserExists(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) > 0;
}

/** The one unused setup token is this one: any earlier unused one stops working. */
export async function replaceUnusedSetupToken(tx: Db, tokenHash: string): Promise<void> {
  await tx.delete(setupTokens).where(isNull(setupTokens.usedAt));
  await tx.insert(setupTokens).values({ tokenHash });
}

export async function findSetupToken(db: Db, tokenHash: string) {
  const [row] = await db
    .select({ id: setupTokens.id, usedAt: setupTokens.usedAt })
    .from(setupTokens)
    .where(eq(setupTokens.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** The token row, locked until the transaction ends: two submits of one link cannot both use it. */
export async function lockSetupToken(tx: Db, tokenHash: string) {
  const [row] = await tx
    .select({ id: setupTokens.id, usedAt: setupTokens.usedAt })
    .from(setupTokens)
    .where(eq(setupTokens.tokenHash, tokenHash))
    .for('update')
    .limit(1);
  return row;
}

export async function markSetupTokenUsed(tx: Db, id: number, at: Date): Promise<void> {
  await tx.update(setupTokens).set({ usedAt: at }).where(eq(setupTokens.id, id));
}

export async function workspaceSlugTaken(tx: Db, slug: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.slug, slug))
    .limit(1);
  return row !== undefined;
}

export async function insertWorkspace(tx: Db, values: { slug: string; name: string }) {
  const [row] = await tx
    .insert(workspaces)
    .values(values)
    .returning({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name });
  if (!row) throw new Error('insert returned no workspace');
  return row;
}

export async function insertOwner(
  tx: Db,
  values: { email: string; displayName: string; passwordHash: string },
) {
  const [row] = await tx
    .insert(users)
    .values(values)
    .returning({ id: users.id, email: users.email, displayName: users.displayName });
  if (!row) throw new Error('insert returned no user');
  return row;
}

export async function insertOwnerMembership(tx: Db, workspaceId: number, userId: number): Promise<void> {
  await tx.insert(workspaceMemberships).values({ workspaceId, userId, role: 'owner' });
}
