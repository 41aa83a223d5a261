import { AppError, conflict, invalidFields, notFound } from '../../core/errors.ts';
import { passwordProblem } from '../../core/password-rules.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { type AttemptLimit, releaseAttempt, reserveAttempt } from '../account/attempt-limit.ts';
import { storable } from '../account/rules.ts';
import { LockedOut, startSession } from '../account/sign-in.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { digestSecret, hashPassword, newSecret } from '../tenancy/credentials.ts';
import { findUserByEmail } from '../tenancy/queries.ts';
import type { NewSession } from '../tenancy/sessions.ts';
import {
  expireOpenInvitations,
  findInvitation,
  insertInvitation,
  setFirstPassword,
  useInvitation,
} from './invitation-queries.ts';
import { insertInvitedUser, insertMembership, isWorkspaceMember, lockWorkspacePeople } from './queries.ts';
import { invitationExpiry, invitationMail, invitationState } from './rules.ts';
import type { AcceptInvitationResult, InvitationResult, InvitationView, InviteBody } from './schemas.ts';
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
    const tenants = await resolveTenants(
      tx,
      scope.workspace.id,
      grants.map((grant) => grant.tenant),
      (index) => `tenant_roles.${index}.tenant`,
    );
    refuseArchived(tenants);
    const newUserId = (await findUserByEmail(tx, input.email))
      ? undefined
      : await insertInvitedUser(tx, { email: input.email, displayName: input.display_name });
    // Found, or inserted meanwhile by another workspace's invitation of the same address.
    const existing = newUserId === undefined ? await findUserByEmail(tx, input.email) : undefined;
    const userId = newUserId ?? existing?.id;
    if (userId === undefined) throw new Error('the invited user is neither new nor found');
    if (existing && (await isWorkspaceMember(tx, scope.workspace.id, existing.id))) {
      throw conflict(`${existing.email} is already a member of this workspace`);
    }
    await insertMembership(tx, { workspaceId: scope.workspace.id, userId, role: input.workspace_role });
    for (const [index, grant] of grants.entries()) {
      await writeTenantRole(tx, scope, userId, tenants[index] as (typeof tenants)[number], null, grant.role);
    }
    const link = existing ? null : await createLink(tx, scope, userId);
    const after = {
      email: existing?.email ?? input.email,
      workspace_role: input.workspace_role,
      tenant_roles: grants,
      ...(link
        ? { display_name: input.display_name, invitation_expires_at: link.expiresAt.toISOString() }
        : {}),
    };
    await recordAuditEvent(tx, {
      ...actedIn(scope),
      action: existing ? 'member.added' : 'member.invited',
      subjectType: 'member',
      subjectId: userId,
      after,
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

type InvitationRow = NonNullable<Awaited<ReturnType<typeof findInvitation>>>;

/** The invitation behind a link: unknown → 404; used, expired or no longer valid → 410. */
async function findUsableInvitation(db: Db, token: string): Promise<InvitationRow> {
  const row = await findInvitation(db, digestSecret(token));
  if (!row) throw notFound();
  const state = invitationState(row);
  if (state === 'used' || row.hasPassword) {
    throw new AppError('gone', 'This invitation has been accepted already: sign in instead');
  }
  if (state === 'expired') throw new AppError('gone', 'This invitation has expired: ask for a new one');
  if (!row.userActive || row.membershipActive !== true) {
    throw new AppError('gone', 'This invitation is no longer valid');
  }
  return row;
}

export async function describeInvitation(db: Db, token: string): Promise<InvitationView> {
  const row = await findUsableInvitation(db, token);
  return {
    workspace: { name: row.workspaceName },
    email: row.email,
    display_name: row.displayName,
    expires_at: row.expiresAt.toISOString(),
  };
}

/** One client address guessing invitation links (or choosing a password on one): counted like sign-in. */
const attemptKey = (clientAddress: string) => `invitation:${storable(clientAddress)}`;

/**
 * Sets the person's password, uses the link up and signs them in (the caller sets the session cookie).
 * Answers in this order: 429 (a full attempt window, with Retry-After), 404 (unknown link), 410 (used,
 * expired, or the person was removed or suspended since), 422 (the body), then the change. Counted by the
 * sign-in attempt limit: an unknown or spent link takes a place; a success or a refused body gives it back.
 */
export async function acceptInvitation(
  db: Db,
  input: {
    token: string;
    password: string;
    /** Throws the body's schema errors (422): judged after the link, so a guessed one learns nothing. */
    checkBody(): void;
    clientAddress: string;
    sessionTtlHours: number;
    limit: AttemptLimit;
  },
): Promise<{ session: NewSession; view: AcceptInvitationResult }> {
  const attempt = await reserveAttempt(db, attemptKey(input.clientAddress), input.limit);
  if (!attempt.allowed) throw new LockedOut(attempt.retryAfterSeconds);
  const row = await findUsableInvitation(db, input.token);
  try {
    input.checkBody();
    const problem = passwordProblem(input.password);
    if (problem) throw invalidFields({ password: problem });
  } catch (error) {
    await releaseAttempt(db, attempt.reservation);
    throw error;
  }
  const passwordHash = await hashPassword(input.password);
  const session = await db.transaction(async (tx) => {
    const now = new Date();
    if (!(await useInvitation(tx, row.id, now)) || !(await setFirstPassword(tx, row.userId, passwordHash))) {
      throw new AppError('gone', 'This invitation has been accepted already: sign in instead');
    }
    await recordAuditEvent(tx, {
      actorUserId: row.userId,
      workspaceId: row.workspaceId,
      action: 'invitation.accepted',
      subjectType: 'invitation',
      subjectId: row.id,
      after: { user_id: row.userId, email: row.email },
      clientAddress: input.clientAddress,
    });
    return startSession(tx, {
      userId: row.userId,
      clientAddress: input.clientAddress,
      ttlHours: input.sessionTtlHours,
      origin: 'invitation',
    });
  });
  await releaseAttempt(db, attempt.reservation);
  return {
    session,
    view: {
      user: { id: row.userId, email: row.email, display_name: row.displayName },
      workspace: { slug: row.workspaceSlug, name: row.workspaceName },
    },
  };
}
