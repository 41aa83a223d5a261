import { invalidFields, notFound } from '../../core/errors.ts';
import type { ActorScope } from '../../core/scopes.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { hashPassword, verifyPassword } from '../tenancy/credentials.ts';
import type { AttemptLimit } from './attempt-limit.ts';
import {
  deleteSessionsExcept,
  findAccount,
  listAccountWorkspaces,
  updateDisplayName,
  updatePasswordHash,
} from './queries.ts';
import type { MeUpdate, MeView, PasswordChange } from './schemas.ts';
import { checkPassword } from './sign-in.ts';

async function requireAccount(scope: ActorScope) {
  const account = await findAccount(scope.db, scope.actor.userId);
  // The pipeline found an active user a moment ago; one deleted since is gone like any other record.
  if (!account) throw notFound();
  return account;
}

/** What an audit event of one's own account shares: no workspace, the actor is the subject. */
const ownAccount = (scope: ActorScope) => ({
  actorUserId: scope.actor.userId,
  subjectType: 'user',
  subjectId: scope.actor.userId,
  clientAddress: scope.clientAddress,
});

export async function getMe(scope: ActorScope): Promise<MeView> {
  const account = await requireAccount(scope);
  return {
    id: account.id,
    email: account.email,
    display_name: account.displayName,
    last_sign_in_at: account.lastSignInAt?.toISOString() ?? null,
    created_at: account.createdAt.toISOString(),
    workspaces: await listAccountWorkspaces(scope.db, scope.actor.userId),
  };
}

export async function updateMe(scope: ActorScope, change: MeUpdate): Promise<MeView> {
  const displayName = change.display_name.trim();
  await scope.db.transaction(async (tx) => {
    const before = await findAccount(tx, scope.actor.userId);
    if (!before || before.displayName === displayName) return;
    await updateDisplayName(tx, scope.actor.userId, displayName);
    await recordAuditEvent(tx, {
      ...ownAccount(scope),
      action: 'user.updated',
      before: { display_name: before.displayName },
      after: { display_name: displayName },
    });
  });
  return getMe(scope);
}

/**
 * docs/rules.md "Administration": the current password must be right (a wrong one counts against the
 * sign-in limit: it is the same guess), the new one passes the password rule (the route's body rules)
 * and differs from it; the person's other sessions end, this one stays, API tokens stay.
 */
export async function changePassword(
  scope: ActorScope,
  change: PasswordChange,
  limit: AttemptLimit,
): Promise<void> {
  const account = await requireAccount(scope);
  const checked = await checkPassword(scope.db, {
    email: account.email,
    password: change.current_password,
    clientAddress: scope.clientAddress,
    limit,
  });
  if (!checked.ok) throw invalidFields({ current_password: 'is not your current password' });
  if (await verifyPassword(account.passwordHash, change.new_password)) {
    throw invalidFields({ new_password: 'must differ from your current password' });
  }
  const passwordHash = await hashPassword(change.new_password);
  await scope.db.transaction(async (tx) => {
    await updatePasswordHash(tx, scope.actor.userId, passwordHash);
    const ended = await deleteSessionsExcept(tx, scope.actor.userId, scope.actor.sessionId);
    await recordAuditEvent(tx, {
      ...ownAccount(scope),
      action: 'user.password_changed',
      after: { other_sessions_ended: ended },
    });
  });
}
