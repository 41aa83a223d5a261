import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { digestSecret, newSecret } from './credentials.ts';
import { apiTokens, sessions } from './tables.ts';

const LAST_USED_PRECISION_MS = 60_000;

// A last use is for people ("used today?", "a minute ago"): a minute's precision spares a write on every
// request.
const dueForNote = (lastUsedAt: Date | null, now: Date) =>
  !lastUsedAt || now.getTime() - lastUsedAt.getTime() > LAST_USED_PRECISION_MS;

export async function noteTokenUse(db: Db, tokenId: number, lastUsedAt: Date | null, now: Date) {
  if (dueForNote(lastUsedAt, now))
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, tokenId));
}

export async function noteSessionUse(db: Db, sessionId: string, lastSeenAt: Date | null, now: Date) {
  if (dueForNote(lastSeenAt, now))
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, sessionId));
}

export interface NewSession {
  /** The cookie value: shown to the browser once, stored only as its digest. */
  cookie: string;
  expiresAt: Date;
}

/** Where a session was started from, for "Your sessions". */
export interface SessionDevice {
  userAgent?: string | null;
  clientAddress?: string | null;
}

/** What a header may keep of a User-Agent: enough to tell browsers apart, never an unbounded string. */
const MAX_USER_AGENT_LENGTH = 512;

const storableText = (text: string | null | undefined, max: number) =>
  text ? text.replaceAll('\u0000', '\uFFFD').slice(0, max) : null;

export async function createSession(
  db: Db,
  userId: number,
  ttlHours: number,
  device: SessionDevice = {},
): Promise<NewSession> {
  const cookie = newSecret('');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await db.insert(sessions).values({
    id: digestSecret(cookie),
    userId,
    expiresAt,
    userAgent: storableText(device.userAgent, MAX_USER_AGENT_LENGTH),
    clientAddress: storableText(device.clientAddress, 100),
    lastSeenAt: sql`now()`,
  });
  return { cookie, expiresAt };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

const sessionColumns = {
  id: sessions.id,
  publicId: sessions.publicId,
  userAgent: sessions.userAgent,
  clientAddress: sessions.clientAddress,
  createdAt: sessions.createdAt,
  lastSeenAt: sessions.lastSeenAt,
  expiresAt: sessions.expiresAt,
};

/** A page of the person's unexpired sessions, newest first by public id (`afterId`: the previous page's last). */
export async function listUserSessions(db: Db, userId: number, page: { limit: number; afterId?: number }) {
  return db
    .select(sessionColumns)
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        gt(sessions.expiresAt, sql`now()`),
        page.afterId ? lt(sessions.publicId, page.afterId) : undefined,
      ),
    )
    .orderBy(desc(sessions.publicId))
    .limit(page.limit + 1);
}

/** The person's unexpired session by its public id (the access pipeline's `my_session` record). */
export async function findUserSession(db: Db, userId: number, publicId: number) {
  const [row] = await db
    .select(sessionColumns)
    .from(sessions)
    .where(
      and(eq(sessions.publicId, publicId), eq(sessions.userId, userId), gt(sessions.expiresAt, sql`now()`)),
    )
    .limit(1);
  return row;
}

/** Ends the session with this public id; answers whether there was one to end. */
export async function deleteSessionByPublicId(db: Db, userId: number, publicId: number): Promise<boolean> {
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.publicId, publicId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  return ended.length > 0;
}
