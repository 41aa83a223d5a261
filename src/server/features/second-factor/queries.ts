import { and, count, eq, isNotNull, isNull, lt, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { oidcSessions } from '../oidc/tables.ts';
import { users, workspaceMemberships, workspaces } from '../tenancy/tables.ts';
import { recoveryCodes, totpFactors } from './tables.ts';

export async function findTotpFactor(db: Db, userId: number) {
  const [row] = await db.select().from(totpFactors).where(eq(totpFactors.userId, userId)).limit(1);
  return row;
}

/** Whether the person has an enrolled (confirmed) authenticator: what a workspace's requirement asks. */
export async function hasSecondFactor(db: Db, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: totpFactors.userId })
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt)))
    .limit(1);
  return row !== undefined;
}

/**
 * docs/rules.md "Second factor": what a workspace's requirement accepts — an enrolled authenticator, or a
 * browser session started through the identity provider (the provider's own MFA and policies stand in).
 * As SQL, so a statement that finds the caller can answer it too; `sessionId` null for a token.
 */
export function secondFactorSatisfiedSql(
  userId: SQLWrapper | number,
  sessionId: SQLWrapper | string | null,
): SQL<boolean> {
  const enrolled = sql`exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${userId} and ${totpFactors.confirmedAt} is not null)`;
  if (sessionId === null) return sql<boolean>`${enrolled}`;
  return sql<boolean>`(${enrolled} or exists (select 1 from ${oidcSessions} where ${oidcSessions.sessionId} = ${sessionId}))`;
}

export async function secondFactorSatisfied(
  db: Db,
  actor: { userId: number; sessionId: string | null },
): Promise<boolean> {
  const [row] = await queryRows<{ satisfied: boolean }>(
    db,
    sql`select ${secondFactorSatisfiedSql(actor.userId, actor.sessionId)} as satisfied`,
  );
  return row?.satisfied === true;
}

/** Starts (or restarts) a pending enrolment with a new secret; a confirmed factor is never replaced here. */
export async function savePendingFactor(db: Db, userId: number, secret: string): Promise<boolean> {
  const rows = await db
    .insert(totpFactors)
    .values({ userId, secret })
    .onConflictDoUpdate({
      target: totpFactors.userId,
      set: { secret, createdAt: sql`now()`, lastUsedStep: null },
      setWhere: isNull(totpFactors.confirmedAt),
    })
    .returning({ userId: totpFactors.userId });
  return rows.length > 0;
}

/**
 * Takes the step for the code, atomically: only a step newer than the last one used passes, so two
 * requests with one code cannot both get in. `confirm` also marks a pending factor enrolled.
 */
export async function takeStep(db: Db, userId: number, step: number, confirm = false): Promise<boolean> {
  const rows = await db
    .update(totpFactors)
    .set(confirm ? { lastUsedStep: step, confirmedAt: sql`now()` } : { lastUsedStep: step })
    .where(
      and(
        eq(totpFactors.userId, userId),
        confirm ? isNull(totpFactors.confirmedAt) : isNotNull(totpFactors.confirmedAt),
        or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step)),
      ),
    )
    .returning({ userId: totpFactors.userId });
  return rows.length > 0;
}

export async function deleteSecondFactor(db: Db, userId: number): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.delete(totpFactors).where(eq(totpFactors.userId, userId));
}

/** Replaces every recovery code of the person (used ones too) with these digests. */
export async function replaceRecoveryCodes(db: Db, userId: number, digests: string[]): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.insert(recoveryCodes).values(digests.map((codeHash) => ({ userId, codeHash })));
}

/** Uses the recovery code once: true only for the one request that marked it used. */
export async function spendRecoveryCode(db: Db, userId: number, digest: string): Promise<boolean> {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, digest), isNull(recoveryCodes.usedAt)),
    )
    .returning({ id: recoveryCodes.id });
  return rows.length > 0;
}

export async function countUnusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** The active workspaces of the person that require a second factor, by name. */
export async function listWorkspacesRequiring(db: Db, userId: number) {
  return db
    .select({ slug: workspaces.slug, name: workspaces.name })
    .from(workspaces)
    .innerJoin(
      workspaceMemberships,
      and(
        eq(workspaceMemberships.workspaceId, workspaces.id),
        eq(workspaceMemberships.userId, userId),
        eq(workspaceMemberships.active, true),
      ),
    )
    .where(eq(workspaces.requireSecondFactor, true))
    .orderBy(workspaces.name);
}

/** The workspace's setting; `lock` holds the row until the transaction ends (a change, audited once). */
export async function findWorkspaceRequirement(db: Db, workspaceId: number, lock = false) {
  const query = db
    .select({ requireSecondFactor: workspaces.requireSecondFactor })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

export async function setWorkspaceRequirement(db: Db, workspaceId: number, required: boolean) {
  await db.update(workspaces).set({ requireSecondFactor: required }).where(eq(workspaces.id, workspaceId));
}

/** Active members (active users) of the workspace with no enrolled authenticator, by name, at most `limit`. */
export async function listMembersWithoutSecondFactor(db: Db, workspaceId: number, limit: number) {
  return db
    .select({ user_id: users.id, display_name: users.displayName, email: users.email })
    .from(workspaceMemberships)
    .innerJoin(users, and(eq(users.id, workspaceMemberships.userId), eq(users.active, true)))
    .leftJoin(
      totpFactors,
      and(eq(totpFactors.userId, workspaceMemberships.userId), isNotNull(totpFactors.confirmedAt)),
    )
    .where(
      and(
        eq(workspaceMemberships.workspaceId, workspaceId),
        eq(workspaceMemberships.active, true),
        isNull(totpFactors.userId),
      ),
    )
    .orderBy(users.displayName, users.id)
    .limit(limit);
}

/** Active members of the workspace (active users) and how many of them have no enrolled authenticator. */
export async function countMembersWithoutSecondFactor(db: Db, workspaceId: number) {
  const [row] = await db
    .select({
      members: count(),
      without: sql<number>`count(*) filter (where ${totpFactors.confirmedAt} is null)`.mapWith(Number),
    })
    .from(workspaceMemberships)
    .innerJoin(users, and(eq(users.id, workspaceMemberships.userId), eq(users.active, true)))
    .leftJoin(totpFactors, eq(totpFactors.userId, workspaceMemberships.userId))
    .where(and(eq(workspaceMemberships.workspaceId, workspaceId), eq(workspaceMemberships.active, true)));
  return { members: row?.members ?? 0, without: row?.without ?? 0 };
}
