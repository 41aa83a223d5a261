import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { ActorScope, WorkspaceScope } from '../../core/scopes.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { deleteSessionByPublicId, findUserSession, listUserSessions } from '../tenancy/sessions.ts';
import { deleteSessionsExcept } from './queries.ts';
import { describeDevice } from './rules.ts';
import type { SessionInfo, SessionListQuery, SessionPage, SessionsEnded } from './schemas.ts';

/**
 * docs/rules.md "Sessions": a person sees and ends their own browser sessions ("Your sessions"); a
 * workspace owner sees and ends a member's. Sessions are named by their public id; the cookie and its
 * digest never leave the server.
 */

type SessionRow = Awaited<ReturnType<typeof listUserSessions>>[number];

function sessionInfo(row: SessionRow, currentSessionId: string | null): SessionInfo {
  return {
    id: row.publicId,
    device: describeDevice(row.userAgent),
    user_agent: row.userAgent,
    client_address: row.clientAddress,
    created_at: row.createdAt.toISOString(),
    last_seen_at: row.lastSeenAt?.toISOString() ?? null,
    expires_at: row.expiresAt.toISOString(),
    current: row.id === currentSessionId,
  };
}

async function pageOfSessions(
  scope: ActorScope,
  userId: number,
  query: SessionListQuery,
): Promise<SessionPage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { id: 'number' });
  const rows = await listUserSessions(scope.db, userId, { limit, afterId: after?.id });
  const page = toPage(rows, limit, (last) => encodeCursor({ id: last.publicId }));
  return {
    items: page.items.map((row) => sessionInfo(row, scope.actor.sessionId)),
    next_cursor: page.next_cursor,
  };
}

/** Your unexpired sessions, newest first; the one this request came with is `current`. */
export function listMySessions(scope: ActorScope, query: SessionListQuery): Promise<SessionPage> {
  return pageOfSessions(scope, scope.actor.userId, query);
}

/** Whether the session (by public id) is one of the actor's, unexpired: the pipeline's `my_session` record. */
export async function sessionIsOfUser(scope: ActorScope, publicId: number): Promise<boolean> {
  return (await findUserSession(scope.db, scope.actor.userId, publicId)) !== undefined;
}

/**
 * Ends one of your sessions (ending it again changes nothing). Answers whether it was the one this request
 * came with: then the caller clears the cookie too, as a sign-out does.
 */
export async function endMySession(scope: ActorScope, publicId: number): Promise<{ current: boolean }> {
  return scope.db.transaction(async (tx) => {
    const session = await findUserSession(tx, scope.actor.userId, publicId);
    if (!session) return { current: false };
    await deleteSessionByPublicId(tx, scope.actor.userId, publicId);
    await recordAuditEvent(tx, {
      actorUserId: scope.actor.userId,
      action: 'session.ended',
      subjectType: 'user',
      subjectId: scope.actor.userId,
      after: { session_id: publicId, device: describeDevice(session.userAgent) },
      clientAddress: scope.clientAddress,
    });
    return { current: session.id === scope.actor.sessionId };
  });
}

/** Signs you out everywhere else: every session but this one (from an API token: every session). */
export async function endMyOtherSessions(scope: ActorScope): Promise<SessionsEnded> {
  return scope.db.transaction(async (tx) => {
    const ended = await deleteSessionsExcept(tx, scope.actor.userId, scope.actor.sessionId);
    await recordAuditEvent(tx, {
      actorUserId: scope.actor.userId,
      action: 'session.others_ended',
      subjectType: 'user',
      subjectId: scope.actor.userId,
      after: { ended },
      clientAddress: scope.clientAddress,
    });
    return { ended };
  });
}

/** A member's unexpired sessions, for the workspace's owners (`current` marks the owner's own, if theirs). */
export function listMemberSessions(
  scope: WorkspaceScope,
  userId: number,
  query: SessionListQuery,
): Promise<SessionPage> {
  return pageOfSessions(scope, userId, query);
}

/**
 * An owner ends every session of a member of their workspace, at once (a lost laptop, a departure): the
 * person must sign in again; their API tokens are managed on the tokens page.
 */
export async function endMemberSessions(scope: WorkspaceScope, userId: number): Promise<SessionsEnded> {
  return scope.db.transaction(async (tx) => {
    const ended = await deleteSessionsExcept(tx, userId, null);
    await recordAuditEvent(tx, {
      ...actedIn(scope),
      action: 'user.sessions_ended',
      subjectType: 'user',
      subjectId: userId,
      after: { ended },
    });
    return { ended };
  });
}
