import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';
import type { Actor } from '../core/scopes.ts';
import type { Db } from '../db/client.ts';
import { type CredentialDigest, findCaller } from '../features/tenancy/access-queries.ts';
import { digestSecret } from '../features/tenancy/credentials.ts';
import { SESSION_COOKIE } from '../features/tenancy/session-cookie.ts';
import { noteSessionUse, noteTokenUse } from '../features/tenancy/sessions.ts';

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
    const credential = credentialOf(request);
    actor = credential ? findActorByCredential(db, credential) : Promise.resolve(undefined);
    actorCache.set(request, actor);
  }
  return actor;
}

/**
 * How the request names its caller, as stored digests: a request that presents a bearer token (any
 * Authorization header) by the token alone, even an unreadable one (null: nobody), else by its cookie.
 */
function credentialOf(request: FastifyRequest): CredentialDigest | null {
  const token = bearerToken(request);
  if (token !== null) return token ? { token: digestSecret(token) } : null;
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { session: digestSecret(cookie) } : null;
}

/** Whether the request is judged by a bearer token (any Authorization header), never by its cookie. */
export function presentsBearer(request: FastifyRequest): boolean {
  return bearerToken(request) !== null;
}

const unauthenticated = () => new AppError('unauthenticated', 'Sign in to continue');

/** What every statement that finds the caller answers of them (findCaller, and those asking a scope with it). */
type CallerRow = NonNullable<Awaited<ReturnType<typeof findCaller>>>;

/** The actor a found caller is, their use noted (at most once a minute). */
async function actorOf(db: Db, credential: CredentialDigest, row: CallerRow, now: Date): Promise<Actor> {
  if ('token' in credential && row.tokenId !== null) await noteTokenUse(db, row.tokenId, row.lastUsedAt, now);
  if ('session' in credential) await noteSessionUse(db, credential.session, row.lastUsedAt, now);
  return {
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    via: 'session' in credential ? 'session' : 'token',
    sessionId: 'session' in credential ? credential.session : null,
  };
}

/** The active user behind an unexpired session or an unrevoked token (as its digest), or undefined. */
export async function findActorByCredential(
  db: Db,
  credential: CredentialDigest,
): Promise<Actor | undefined> {
  const now = new Date();
  const row = await findCaller(db, credential, now);
  return row && actorOf(db, credential, row, now);
}

/**
 * The caller and the path's scope in one round trip (`find`: findActorWithEntitlement or
 * findActorWithMembership), with the same rules as findActor: 401 when nobody valid calls. Undefined when
 * the caller is already known for this request (a hook asked first): then the scope is asked on its own.
 */
export async function requireActorWith<R extends CallerRow>(
  db: Db,
  request: FastifyRequest,
  find: (credential: CredentialDigest, now: Date) => Promise<R | undefined>,
): Promise<{ actor: Actor; row: R } | undefined> {
  if (actorCache.has(request)) return undefined;
  const credential = credentialOf(request);
  const now = new Date();
  const found = credential ? find(credential, now) : Promise.resolve(undefined);
  const actor = found.then((row) => (credential && row ? actorOf(db, credential, row, now) : undefined));
  actorCache.set(request, actor);
  const [caller, row] = await Promise.all([actor, found]);
  if (!caller || !row) throw unauthenticated();
  return { actor: caller, row };
}

export async function requireActor(db: Db, request: FastifyRequest): Promise<Actor> {
  const actor = await findActor(db, request);
  if (!actor) throw unauthenticated();
  return actor;
}
