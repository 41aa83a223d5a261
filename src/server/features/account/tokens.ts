import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { ActorScope, WorkspaceScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { API_TOKEN_PREFIX, digestSecret, newSecret } from '../tenancy/credentials.ts';
import { insertToken, listUserTokens, listWorkspaceTokens, lockToken, setTokenRevoked } from './queries.ts';
import type {
  CreatedToken,
  TokenListQuery,
  TokenPage,
  TokenView,
  WorkspaceTokenPage,
  WorkspaceTokenQuery,
} from './schemas.ts';

/**
 * API tokens: made and revoked the same way from the API (`/admin/me/tokens`, an owner's
 * `/admin/w/{workspace}/tokens`) and from the command line (`tokens create`, `tokens revoke`), so each
 * writes the same audit event. A token is 256 random bits shown once; only its digest is stored.
 */

/** Who acts, for the audit log: the command line has no actor, no address and no workspace. */
export interface TokenActor {
  actorUserId: number | null;
  workspaceId: number | null;
  clientAddress: string | null;
}

export const commandLine: TokenActor = { actorUserId: null, workspaceId: null, clientAddress: null };

const byActor = (scope: ActorScope): TokenActor => ({
  actorUserId: scope.actor.userId,
  workspaceId: null,
  clientAddress: scope.clientAddress,
});

const inWorkspace = (scope: WorkspaceScope): TokenActor => ({
  ...byActor(scope),
  workspaceId: scope.workspace.id,
});

interface TokenRow {
  id: number;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function tokenView<R extends TokenRow>(row: R): Omit<R, keyof TokenRow> & TokenView {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}

function pageOf<R extends TokenRow>(rows: R[], limit: number) {
  const page = toPage(rows, limit, (last) => encodeCursor({ id: last.id }));
  return { items: page.items.map(tokenView), next_cursor: page.next_cursor };
}

const afterIdOf = (cursor: string | undefined) => decodeCursor(cursor, { id: 'number' })?.id;

export async function issueApiToken(
  db: Db,
  input: { userId: number; name: string },
  by: TokenActor,
): Promise<CreatedToken> {
  const token = newSecret(API_TOKEN_PREFIX);
  const name = input.name.trim();
  return db.transaction(async (tx) => {
    const row = await insertToken(tx, { userId: input.userId, name, tokenHash: digestSecret(token) });
    await recordAuditEvent(tx, {
      ...by,
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: row.id,
      after: { user_id: input.userId, name },
    });
    return { ...tokenView(row), token };
  });
}

/**
 * Revokes the token (undefined when there is none with this id). Revoking twice is not an error and
 * records nothing the second time: the answer says when it was revoked.
 */
export async function revokeApiToken(db: Db, tokenId: number, by: TokenActor) {
  return db.transaction(async (tx) => {
    const token = await lockToken(tx, tokenId);
    if (!token) return undefined;
    if (token.revoked_at) return { revokedAt: token.revoked_at, alreadyRevoked: true };
    const revokedAt = await setTokenRevoked(tx, tokenId);
    await recordAuditEvent(tx, {
      ...by,
      action: 'api_token.revoked',
      subjectType: 'api_token',
      subjectId: tokenId,
      before: { revoked_at: null },
      after: { revoked_at: revokedAt.toISOString(), user_id: token.userId, name: token.name },
    });
    return { revokedAt, alreadyRevoked: false };
  });
}

export async function listMyTokens(scope: ActorScope, query: TokenListQuery): Promise<TokenPage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const rows = await listUserTokens(scope.db, scope.actor.userId, {
    limit,
    afterId: afterIdOf(query.cursor),
  });
  return pageOf(rows, limit);
}

export function createMyToken(scope: ActorScope, body: { name: string }): Promise<CreatedToken> {
  return issueApiToken(scope.db, { userId: scope.actor.userId, name: body.name }, byActor(scope));
}

/** The pipeline found the token among the actor's own (`my_token`). */
export async function revokeMyToken(scope: ActorScope, tokenId: number): Promise<void> {
  await revokeApiToken(scope.db, tokenId, byActor(scope));
}

export async function listTokensOfWorkspace(
  scope: WorkspaceScope,
  query: WorkspaceTokenQuery,
): Promise<WorkspaceTokenPage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const rows = await listWorkspaceTokens(scope.db, scope.workspace.id, {
    limit,
    afterId: afterIdOf(query.cursor),
    status: query.status,
  });
  return pageOf(rows, limit);
}

/** The pipeline found the token among those of the workspace's members (`workspace_token`). */
export async function revokeWorkspaceToken(scope: WorkspaceScope, tokenId: number): Promise<void> {
  await revokeApiToken(scope.db, tokenId, inWorkspace(scope));
}
