import { conflict } from '../../core/errors.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { digestSecret, newSecret } from '../tenancy/credentials.ts';
import { findUserByEmail } from '../tenancy/queries.ts';
import { expireOpenInvitations, insertInvitation } from './invitation-queries.ts';
import { insertInvitedUser, insertMembership, isWorkspaceMember, lockWorkspacePeople } from './queries.ts';
import { invitationExpiry, invitationMail } from './rules.ts';
import type { InvitationResult, InviteBody, TenantRole } from './schemas.ts';
import { lockPerson, reactivateForMembership } from './service.ts';
import { refuseArchived, resolveTenants, writeTenantRole } from './tenant-roles.ts';
import { getPerson } from './views.ts';

/** docs/rules.md "Administration": invitations, one-time links stored as digests, valid 7 days. */

export interface InvitationDeps {
  mailer: Mailer | null;
  /** The installation's public URL, or the request's origin: invitation links start with it. */
  linkBase: string;
  /** Told why a mail was not sent (never the link). */
  onMailFailure(reason: string): void;
}

interface NewLink {
  token: string;
  expiresAt: Date;
}

async function createLink(tx: Db, scope: WorkspaceScope, userId: number): Promise<NewLink> {
  const token = newSecret('');
  const expiresAt = invitationExpiry();
  await insertInvitation(tx, {
    workspaceId: scope.workspace.id,
    userId,
    invitedBy: scope.actor.userId,
    tokenHash: digestSecret(token),
    expiresAt,
  });
  return { token, expiresAt };
}

/** Shows the link once, and e-mails it when SMTP is configured; a mail failure leaves the invitation. */
async function deliver(scope: WorkspaceScope, userId: number, link: NewLink | null, deps: InvitationDeps) {
  const person = await getPerson(scope.db, scope.workspace.id, userId);
  if (!link) return { person, invitation_url: null, invitation_expires_at: null, email_sent: false };
  const url = `${deps.linkBase}/invitations/${link.token}`;
  let sent = false;
  if (deps.mailer) {
    const mail = invitationMail({
      workspaceName: scope.workspace.name,
      inviterName: scope.actor.displayName,
      inviteeName: person.display_name,
      url,
      expiresAt: link.expiresAt,
    });
    const result = await deps.mailer.send({
      to: { name: person.display_name, address: person.email },
      ...mail,
    });
    if (!result.sent) deps.onMailFailure(result.reason);
    sent = result.sent;
  }
  return {
    person,
    invitation_url: url,
    invitation_expires_at: link.expiresAt.toISOString(),
    email_sent: sent,
  };
}

/** The invitee's account: the user with this e-mail (any case), or a new one without a password. */
async function findOrCreateAccount(tx: Db, input: InviteBody) {
  const found = await findUserByEmail(tx, input.email);
  if (found) return { userId: found.id, existing: found };
  const userId = await insertInvitedUser(tx, { email: input.email, displayName: input.display_name });
  if (userId !== undefined) return { userId, existing: undefined };
  // Taken meanwhile, by another workspace's invitation of the same address: then it is an existing user.
  const raced = await findUserByEmail(tx, input.email);
  if (!raced) throw new Error('the invited e-mail address is neither free nor taken');
  return { userId: raced.id, existing: raced };
}

/**
 * Invites a new person (an account without a password, a membership, a link), or adds an existing user
 * (same e-mail, any case) without a link and without changing their account; a member already → 409.
 */
export async function invitePerson(
  scope: WorkspaceScope,
  input: InviteBody,
  deps: InvitationDeps,
): Promise<InvitationResult> {
  const grants = input.tenant_roles ?? [];
  const { userId, link } = await scope.db.transaction(async (tx) => {
    await lockWorkspacePeople(tx, scope.workspace.id);
    const externalIds = grants.map((grant) => grant.tenant);
    const tenants = await resolveTenants(
      tx,
      scope.workspace.id,
      externalIds,
      (i) => `tenant_roles.${i}.tenant`,
    );
    refuseArchived(tenants);
    const { userId, existing } = await findOrCreateAccount(tx, input);
    if (existing && (await isWorkspaceMember(tx, scope.workspace.id, userId))) {
      throw conflict(`${existing.email} is already a member of this workspace`);
    }
    await insertMembership(tx, { workspaceId: scope.workspace.id, userId, role: input.workspace_role });
    for (const [index, tenant] of tenants.entries()) {
      await writeTenantRole(tx, scope, userId, tenant, null, (grants[index] as TenantRole).role);
    }
    const link = existing ? null : await createLink(tx, scope, userId);
    const added = {
      email: existing?.email ?? input.email,
      workspace_role: input.workspace_role,
      tenant_roles: grants,
    };
    const invited = link && {
      display_name: input.display_name,
      invitation_expires_at: link.expiresAt.toISOString(),
    };
    await recordAuditEvent(tx, {
      ...actedIn(scope),
      action: existing ? 'member.added' : 'member.invited',
      subjectType: 'member',
      subjectId: userId,
      after: { ...added, ...invited },
    });
    if (existing) await reactivateForMembership(tx, scope, { userId, userActive: existing.active });
    return { userId, link };
  });
  return { ...(await deliver(scope, userId, link, deps)), outcome: link ? 'invited' : 'added' };
}

/** A new link for someone who has not accepted yet; older links to the workspace stop working. */
export async function reinvitePerson(
  scope: WorkspaceScope,
  userId: number,
  deps: InvitationDeps,
): Promise<InvitationResult> {
  const link = await scope.db.transaction(async (tx) => {
    const row = await lockPerson(tx, scope.workspace.id, userId);
    if (row.hasPassword)
      throw conflict(`${row.displayName} has accepted already and signs in with a password`);
    if (!row.membershipActive || !row.userActive) {
      throw conflict(`${row.displayName} is suspended: restore them before sending a new link`);
    }
    await expireOpenInvitations(tx, scope.workspace.id, userId, new Date());
    const link = await createLink(tx, scope, userId);
    await recordAuditEvent(tx, {
      ...actedIn(scope),
      action: 'member.reinvited',
      subjectType: 'member',
      subjectId: userId,
      after: { invitation_expires_at: link.expiresAt.toISOString() },
    });
    return link;
  });
  return { ...(await deliver(scope, userId, link, deps)), outcome: 'invited' };
}
