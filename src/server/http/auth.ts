import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';
import type { Actor } from '../core/scopes.ts';
import type { Db } from '../db/client.ts';
import { SESSION_COOKIE } from '../features/tenancy/session-cookie.ts';
import { findActorBySession, findActorByToken } from '../features/tenancy/sessions.ts';

const actorCache = new WeakMap<FastifyRequest, Promise<Actor | undefined>>();

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

/**
 * Who is calling, from the bearer token or else the session cookie; undefined when nobody valid is.
 * A request that presents a bearer token is judged by the token alone, never by a cookie beside it.
 * Asked once per request, whoever asks (the CSRF hook, the web shell, the access pipeline).
 */
export function findActor(db: Db, request: FastifyRequest): Promise<Actor | undefined> {
  let actor = actorCache.get(request);
  if (!actor) {
    const token = bearerToken(request);
    const cookie = request.cookies[SESSION_COOKIE];
    if (token !== null) actor = token ? findActorByToken(db, token) : Promise.resolve(undefined);
    else actor = cookie ? findActorBySession(db, cookie) : Promise.resolve(undefined);
    actorCache.set(request, actor);
  }
  return actor;
}

export async function requireActor(db: Db, request: FastifyRequest): Promise<Actor> {
  const actor = await findActor(db, request);
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  return actor;
}
