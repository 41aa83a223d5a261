import { and, eq, gt, isNull } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import { digestSecret, newSecret } from '../features/tenancy/credentials.ts';
import { apiTokens, sessions, users } from '../features/tenancy/tables.ts';
import { AppError } from './errors.ts';

export const SESSION_COOKIE = 'tp_session';
const LAST_USED_PRECISION_MS = 60_000;

export interface Actor {
  userId: number;
  email: string;
  displayName: string;
  via: 'session' | 'token';
  /** Digest of the session cookie, when signed in through the browser. */
  sessionId: string | null;
}

const actorCache = new WeakMap<FastifyRequest, Promise<Actor | null>>();

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

async function actorFromToken(db: Db, token: string): Promise<Actor | null> {
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
  if (!row) return null;
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

async function actorFromSession(db: Db, cookie: string): Promise<Actor | null> {
  const sessionId = digestSecret(cookie);
  const [row] = await db
    .select({ userId: users.id, email: users.email, displayName: users.displayName })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date()), eq(users.active, true)))
    .limit(1);
  return row ? { ...row, via: 'session', sessionId } : null;
}

/**
 * Who is calling, from the bearer token or else the session cookie; null when nobody valid is.
 * A request that presents a bearer token is judged by the token alone, never by a cookie beside it.
 */
export function findActor(db: Db, request: FastifyRequest): Promise<Actor | null> {
  let actor = actorCache.get(request);
  if (!actor) {
    const token = bearerToken(request);
    const cookie = request.cookies[SESSION_COOKIE];
    if (token !== null) actor = token ? actorFromToken(db, token) : Promise.resolve(null);
    else actor = cookie ? actorFromSession(db, cookie) : Promise.resolve(null);
    actorCache.set(request, actor);
  }
  return actor;
}

export async function requireActor(db: Db, request: FastifyRequest): Promise<Actor> {
  const actor = await findActor(db, request);
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  return actor;
}

export async function startSession(
  db: Db,
  reply: FastifyReply,
  userId: number,
  ttlHours: number,
): Promise<void> {
  const cookie = newSecret('');
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await db.insert(sessions).values({ id: digestSecret(cookie), userId, expiresAt });
  reply.setCookie(SESSION_COOKIE, cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    expires: expiresAt,
  });
}

export async function endSession(db: Db, reply: FastifyReply, actor: Actor): Promise<void> {
  if (actor.sessionId) await db.delete(sessions).where(eq(sessions.id, actor.sessionId));
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
