import { tenantCapabilitiesOf, workspaceCapabilitiesOf } from '../../core/capabilities.ts';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { hashPassword, verifyPassword } from './credentials.ts';
import { deleteExpiredSessions, findUserByEmail, listMemberships } from './queries.ts';
import type { SessionView } from './schemas.ts';
import { createSession, deleteSession, type NewSession } from './sessions.ts';

// Verifying against a real hash when the email is unknown keeps both answers equally slow.
let decoyHash: Promise<string> | undefined;

/** Checks the password and opens a session; the caller hands the session's cookie to the browser. */
export async function signIn(
  db: Db,
  input: { email: string; password: string },
  ttlHours: number,
): Promise<{ session: NewSession; view: { user: { id: number; email: string; display_name: string } } }> {
  const user = await findUserByEmail(db, input.email.trim());
  decoyHash ??= hashPassword('decoy password that matches nothing');
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
  if (!user || !valid || !user.active || !user.passwordHash) {
    throw new AppError('unauthenticated', 'Email or password is incorrect');
  }
  await deleteExpiredSessions(db, user.id);
  const session = await createSession(db, user.id, ttlHours);
  return { session, view: { user: { id: user.id, email: user.email, display_name: user.displayName } } };
}

export async function signOut(db: Db, actor: Actor): Promise<void> {
  if (actor.sessionId) await deleteSession(db, actor.sessionId);
}

/**
 * Who is signed in, their workspaces with what their workspace role allows, and the tenants they hold a
 * role on. A suspended workspace membership answers nothing anywhere, so it and its tenants are left out.
 */
export async function describeSession(db: Db, actor: Actor): Promise<Omit<SessionView, 'csrf_token'>> {
  const { workspaceRows, tenantRows } = await listMemberships(db, actor.userId);
  return {
    user: { id: actor.userId, email: actor.email, display_name: actor.displayName },
    workspaces: workspaceRows.map((workspace) => ({
      id: workspace.id,
      slug: workspace.slug,
      name: workspace.name,
      role: workspace.role,
      capabilities: [...workspaceCapabilitiesOf[workspace.role]],
      tenants: tenantRows
        .filter((tenant) => tenant.workspaceId === workspace.id)
        .map((tenant) => ({
          id: tenant.id,
          external_id: tenant.externalId,
          name: tenant.name,
          role: tenant.role,
          capabilities: [...tenantCapabilitiesOf[tenant.role]],
          archived: tenant.archivedAt !== null,
        })),
    })),
  };
}
