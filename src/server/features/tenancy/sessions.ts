import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Actor } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { digestSecret, newSecret } from './credentials.ts';
import { apiTokens, sessions, users } from './tables.ts';

const LAST_USED_PRECISION_MS = 60_000;

/** The active user behind an unrevoked API token, or undefined. */
export async function findActorByToken(db: Db, token: string): Promise<Actor | undefined> {
  const [row] = await db
    .select({
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(eq(apiTokens.tokenHash, digestSecret(token)), isNull(apiTokens.revokedAt), eq(users.active, true)),
    )
    .limit(1);
  if (!row) return undefined;
  // last_used_at is for people ("used today?"): a minute's precision spares a write on every API request.
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  return {
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    via: 'token',
    sessionId: null,
  };
}

/** The active user behind an unexpired session cookie, or undefined. */
export async function findActorBySession(db: Db, cookie: string): Promise<Actor | undefined> {
  const sessionId = digestSecret(cookie);
  const [row] = await db
    .select({ userId: users.id, email: users.email, displayName: users.displayName })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date()), eq(users.active, true)))
    .limit(1);
  return row ? { ...row, via: 'session', sessionId } : undefined;
}

export interface NewSession {
  /** The cookie value: shown to the browser once, stored only as its digest. */
  cookie: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: number, ttlHours: number): Promise<NewSession> {
  const cookie = newSecret('');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await db.insert(sessions).values({ id: digestSecret(cookie), userId, expiresAt });
  return { cookie, expiresAt };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}
