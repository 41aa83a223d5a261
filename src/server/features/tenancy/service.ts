import type { FastifyReply } from 'fastify';
import type { Db } from '../../db/client.ts';
import { capabilitiesOf } from '../../http/access.ts';
import { type Actor, startSession } from '../../http/auth.ts';
import { AppError } from '../../http/errors.ts';
import { hashPassword, verifyPassword } from './credentials.ts';
import { deleteExpiredSessions, findUserByEmail, listMemberships } from './queries.ts';

// Verifying against a real hash when the email is unknown keeps both answers equally slow.
let decoyHash: Promise<string> | undefined;

export async function signIn(
  db: Db,
  reply: FastifyReply,
  input: { email: string; password: string },
  ttlHours: number,
) {
  const user = await findUserByEmail(db, input.email.trim());
  decoyHash ??= hashPassword('decoy password that matches nothing');
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
  if (!user || !valid || !user.active || !user.passwordHash) {
    throw new AppError('unauthenticated', 'Email or password is incorrect');
  }
  await deleteExpiredSessions(db, user.id);
  await startSession(db, reply, user.id, ttlHours);
  return { user: { id: user.id, email: user.email, display_name: user.displayName } };
}

export async function describeSession(db: Db, actor: Actor) {
  const { workspaceRows, tenantRows } = await listMemberships(db, actor.userId);
  return {
    user: { id: actor.userId, email: actor.email, display_name: actor.displayName },
    workspaces: workspaceRows.map((workspace) => ({
      id: workspace.id,
      slug: workspace.slug,
      name: workspace.name,
      role: workspace.role,
      tenants: tenantRows
        .filter((tenant) => tenant.workspaceId === workspace.id)
        .map((tenant) => ({
          id: tenant.id,
          external_id: tenant.externalId,
          name: tenant.name,
          role: tenant.role,
          capabilities: [...capabilitiesOf[tenant.role]],
        })),
    })),
  };
}
