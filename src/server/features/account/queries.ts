import { and, asc, desc, eq, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, sessions, users, workspaceMemberships, workspaces } from '../tenancy/tables.ts';
import type { TokenStatus } from './schemas.ts';

/** The person behind the actor, with what `GET /admin/me` shows. */
export async function findAccount(db: Db, userId: number) {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      passwordHash: users.passwordHash,
      lastSignInAt: users.lastSignInAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return user;
}

/** Every workspace membership of the person, suspended ones too (marked inactive), by name. */
export async function listAccountWorkspaces(db: Db, userId: number) {
  return db
    .select({
      slug: workspaces.slug,
      name: workspaces.name,
      workspace_role: workspaceMemberships.role,
      active: workspaceMemberships.active,
    })
    .from(workspaceMemberships)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMemberships.workspaceId))
    .where(eq(workspaceMemberships.userId, userId))
    .orderBy(asc(workspaces.name), asc(workspaces.id));
}

export async function updateDisplayName(db: Db, userId: number, displayName: string) {
  await db.update(users).set({ displayName }).where(eq(users.id, userId));
}

export async function updatePasswordHash(db: Db, userId: number, passwordHash: string) {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function markSignedIn(db: Db, userId: number) {
  await db.update(users).set({ lastSignInAt: sql`now()` }).where(eq(users.id, userId));
}

/** Ends every session of the person but `keep` (null: all of them); answers how many ended. */
export async function deleteSessionsExcept(db: Db, userId: number, keep: string | null): Promise<number> {
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keep === null ? undefined : ne(sessions.id, keep)))
    .returning({ id: sessions.id });
  return ended.length;
}

const tokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  created_at: apiTokens.createdAt,
  last_used_at: apiTokens.lastUsedAt,
  revoked_at: apiTokens.revokedAt,
};

const statusIs = (status: TokenStatus | undefined) =>
  status === 'active'
    ? isNull(apiTokens.revokedAt)
    : status === 'revoked'
      ? isNotNull(apiTokens.revokedAt)
      : undefined;

/** A page of the person's tokens, newest first; `afterId` is the last id of the previous page. */
export async function listUserTokens(db: Db, userId: number, page: { limit: number; afterId?: number }) {
  return db
    .select(tokenColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), page.afterId ? lt(apiTokens.id, page.afterId) : undefined))
    .orderBy(desc(apiTokens.id))
    .limit(page.limit + 1);
}

/** A page of the tokens of the workspace's members (suspended ones too), newest first, with their person. */
export async function listWorkspaceTokens(
  db: Db,
  workspaceId: number,
  page: { limit: number; afterId?: number; status?: TokenStatus },
) {
  return db
    .select({
      ...tokenColumns,
      user: { id: users.id, email: users.email, display_name: users.displayName, active: users.active },
    })
    .from(apiTokens)
    .innerJoin(
      workspaceMemberships,
      and(
        eq(workspaceMemberships.userId, apiTokens.userId),
        eq(workspaceMemberships.workspaceId, workspaceId),
      ),
    )
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(statusIs(page.status), page.afterId ? lt(apiTokens.id, page.afterId) : undefined))
    .orderBy(desc(apiTokens.id))
    .limit(page.limit + 1);
}

/** Whether the token belongs to the person (the access pipeline's `my_token` record). */
export async function tokenIsOfUser(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
    .limit(1);
  return row !== undefined;
}

/** Whether the token belongs to a member of the workspace (the pipeline's `workspace_token` record). */
export async function tokenIsOfWorkspaceMember(
  db: Db,
  workspaceId: number,
  tokenId: number,
): Promise<boolean> {
  const [row] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .innerJoin(
      workspaceMemberships,
      and(
        eq(workspaceMemberships.userId, apiTokens.userId),
        eq(workspaceMemberships.workspaceId, workspaceId),
      ),
    )
    .where(eq(apiTokens.id, tokenId))
    .limit(1);
  return row !== undefined;
}

export async function insertToken(db: Db, values: { userId: number; name: string; tokenHash: string }) {
  const [row] = await db.insert(apiTokens).values(values).returning(tokenColumns);
  if (!row) throw new Error('insert returned no token');
  return row;
}

/** The token, locked until the transaction ends, so two revocations cannot both record one. */
export async function lockToken(db: Db, tokenId: number) {
  const [row] = await db
    .select({ ...tokenColumns, userId: apiTokens.userId })
    .from(apiTokens)
    .where(eq(apiTokens.id, tokenId))
    .for('update')
    .limit(1);
  return row;
}

export async function setTokenRevoked(db: Db, tokenId: number): Promise<Date> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(eq(apiTokens.id, tokenId))
    .returning({ revokedAt: apiTokens.revokedAt });
  if (!row?.revokedAt) throw new Error('update returned no token');
  return row.revokedAt;
}
