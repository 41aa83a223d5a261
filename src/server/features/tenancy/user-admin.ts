import { eq } from 'drizzle-orm';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { commandLine, issueApiToken, revokeApiToken as revokeToken } from '../account/tokens.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { hashPassword } from './credentials.ts';
import { isEmail } from './fixture-schema.ts';
import { findUserByEmail } from './queries.ts';
import { sessions, users } from './tables.ts';

/** The fixture schema's minimum, so a user made here could have been loaded from a fixture too. */
export const MIN_PASSWORD_LENGTH = 8;

export interface NewUser {
  email: string;
  displayName: string;
  /** Null or absent: the user cannot sign in with a password. */
  password?: string | null;
  active?: boolean;
}

/** Administration from the command line has no signed-in actor: audit events carry a null actor. */
async function recordAdminAudit(
  db: Db,
  action: string,
  subjectType: string,
  subjectId: number,
  after: unknown,
) {
  await recordAuditEvent(db, { actorUserId: null, action, subjectType, subjectId, after });
}

async function requireUser(db: Db, email: string) {
  const user = await findUserByEmail(db, email.trim());
  if (!user) throw new AppError('not_found', `No user with email ${JSON.stringify(email.trim())}`);
  return user;
}

export async function createUser(db: Db, input: NewUser) {
  const email = input.email.trim();
  const displayName = input.displayName.trim();
  if (!isEmail(email)) throw new AppError('invalid', `${JSON.stringify(email)} is not a valid email address`);
  if (!displayName) throw new AppError('invalid', 'The display name must not be blank');
  if (input.password != null && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('invalid', `The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (await findUserByEmail(db, email)) {
    throw new AppError('conflict', `A user with email ${JSON.stringify(email)} already exists`);
  }
  const passwordHash = input.password == null ? null : await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email, displayName, passwordHash, active: input.active ?? true })
      .returning({ id: users.id, email: users.email, displayName: users.displayName, active: users.active });
    if (!user) throw new Error('insert returned no user');
    await recordAdminAudit(tx, 'user.created', 'user', user.id, {
      ...user,
      has_password: passwordHash !== null,
    });
    return user;
  });
}

/** Signs the user out everywhere too: their sessions are deleted, so no open browser keeps working. */
export async function deactivateUser(db: Db, email: string) {
  const user = await requireUser(db, email);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ active: false }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    if (user.active) await recordAdminAudit(tx, 'user.deactivated', 'user', user.id, { active: false });
    return { id: user.id, email: user.email, wasActive: user.active };
  });
}

/**
 * Creates an API token through the one token service (account/tokens.ts), as the API does; the token
 * itself is returned this once and only its digest is stored.
 */
export async function createApiToken(db: Db, input: { email: string; name?: string }) {
  const user = await requireUser(db, input.email);
  if (!user.active) throw new AppError('invalid', `User ${JSON.stringify(user.email)} is inactive`);
  const name = input.name?.trim() || 'cli';
  const created = await issueApiToken(db, { userId: user.id, name }, commandLine);
  return { id: created.id, userId: user.id, email: user.email, name: created.name, token: created.token };
}

/** Revoking twice is not an error: the second call reports when the token was revoked. */
export async function revokeApiToken(db: Db, id: number) {
  const revoked = await revokeToken(db, id, commandLine);
  if (!revoked) throw new AppError('not_found', `No API token with id ${id}`);
  return { id, ...revoked };
}
