import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { invitations, sessions, users } from '../tenancy/tables.ts';
import { oidcIdentities, oidcPendingLogins, oidcSessions } from './tables.ts';

export async function insertPendingLogin(
  db: Db,
  login: typeof oidcPendingLogins.$inferInsert,
): Promise<void> {
  // Abandoned sign-ins are cleared as new ones start, a few at a time, so the table stays small.
  const expired = db
    .select({ id: oidcPendingLogins.id })
    .from(oidcPendingLogins)
    .where(lte(oidcPendingLogins.expiresAt, new Date()))
    .limit(20);
  await db.delete(oidcPendingLogins).where(sql`${oidcPendingLogins.id} in ${expired}`);
  await db.insert(oidcPendingLogins).values(login);
}

/** Uses up the pending sign-in with this state digest: once, and only before it expires. */
export async function takePendingLogin(db: Db, id: string, now: Date) {
  const [row] = await db.delete(oidcPendingLogins).where(eq(oidcPendingLogins.id, id)).returning();
  return row && row.expiresAt > now ? row : undefined;
}

export async function invitationTokenHash(db: Db, invitationId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ tokenHash: invitations.tokenHash })
    .from(invitations)
    .where(eq(invitations.id, invitationId));
  return row?.tokenHash;
}

const identityColumns = {
  id: oidcIdentities.id,
  userId: users.id,
  email: users.email,
  displayName: users.displayName,
  active: users.active,
};

export async function findIdentity(db: Db, issuer: string, subject: string) {
  const [row] = await db
    .select(identityColumns)
    .from(oidcIdentities)
    .innerJoin(users, eq(users.id, oidcIdentities.userId))
    .where(and(eq(oidcIdentities.issuer, issuer), eq(oidcIdentities.subject, subject)));
  return row;
}

export async function findIdentityOfUser(db: Db, issuer: string, userId: number) {
  const [row] = await db
    .select({ id: oidcIdentities.id, subject: oidcIdentities.subject })
    .from(oidcIdentities)
    .where(and(eq(oidcIdentities.issuer, issuer), eq(oidcIdentities.userId, userId)));
  return row;
}

/**
 * Links issuer + subject to the user, or answers the link a concurrent first sign-in of the same person
 * (two tabs) made a moment earlier: `linked` says whether this call made it. Null when the subject or the
 * user is already linked otherwise.
 */
export async function linkIdentity(
  db: Db,
  identity: typeof oidcIdentities.$inferInsert,
): Promise<{ id: number; linked: boolean } | null> {
  const [row] = await db
    .insert(oidcIdentities)
    .values(identity)
    .onConflictDoNothing()
    .returning({ id: oidcIdentities.id });
  if (row) return { id: row.id, linked: true };
  const [existing] = await db
    .select({ id: oidcIdentities.id })
    .from(oidcIdentities)
    .where(
      and(
        eq(oidcIdentities.issuer, identity.issuer),
        eq(oidcIdentities.subject, identity.subject),
        eq(oidcIdentities.userId, identity.userId),
      ),
    );
  return existing ? { id: existing.id, linked: false } : null;
}

export async function markIdentityUsed(db: Db, identityId: number, at: Date): Promise<void> {
  await db.update(oidcIdentities).set({ lastSignInAt: at }).where(eq(oidcIdentities.id, identityId));
}

export async function insertProviderSession(db: Db, row: typeof oidcSessions.$inferInsert): Promise<void> {
  await db.insert(oidcSessions).values(row);
}

/**
 * Claims the re-check of this session when it is due, so that of many requests at once one asks the
 * provider (the others go on meanwhile): the due time moves `holdUntil` ahead. Undefined when the session
 * is not a provider session or its check is not due: one primary-key probe on every cookie request.
 */
export async function claimDueRecheck(db: Db, sessionId: string, now: Date, holdUntil: Date) {
  const [row] = await db
    .update(oidcSessions)
    .set({ recheckDueAt: holdUntil })
    .where(and(eq(oidcSessions.sessionId, sessionId), lte(oidcSessions.recheckDueAt, now)))
    .returning({
      refreshToken: oidcSessions.refreshToken,
      checkedAt: oidcSessions.checkedAt,
      identityId: oidcSessions.identityId,
    });
  return row;
}

export async function recordRecheck(
  db: Db,
  sessionId: string,
  change: { refreshToken?: string; checkedAt?: Date; recheckDueAt: Date },
): Promise<void> {
  await db.update(oidcSessions).set(change).where(eq(oidcSessions.sessionId, sessionId));
}

export async function identityOfSession(db: Db, identityId: number) {
  const [row] = await db
    .select({ userId: oidcIdentities.userId, subject: oidcIdentities.subject })
    .from(oidcIdentities)
    .where(eq(oidcIdentities.id, identityId));
  return row;
}

/** Ends a session (its provider row goes with it); true when there was one to end. */
export async function deleteSessionById(db: Db, sessionId: string): Promise<boolean> {
  const ended = await db.delete(sessions).where(eq(sessions.id, sessionId)).returning({ id: sessions.id });
  return ended.length > 0;
}

/**
 * The first-run owner (docs/rules.md "Sign-in through the identity provider"): the first account made.
 * First-run setup only runs on a database without users, so it is whoever completed it; on an
 * installation that never ran it (demo data, the CLI), the first user made.
 */
export async function firstRunOwnerId(db: Db): Promise<number | undefined> {
  const [first] = await db.select({ id: users.id }).from(users).orderBy(asc(users.id)).limit(1);
  return first?.id;
}
