import type { Role, WorkspaceCapability } from '../../core/capabilities.ts';
import { nulCharacterFields } from '../../core/text-rules.ts';
import { INVITATION_TTL_DAYS } from './schemas.ts';

/** docs/rules.md "Administration": the rules of people and their roles, as pure functions. */

/** A workspace membership as the owner rule sees it. */
export interface MembershipState {
  role: Role;
  /** The membership is not suspended. */
  active: boolean;
  /** The user's account is active. */
  userActive: boolean;
}

/** Counts as one of the workspace's active owners. */
export function isActiveOwner(member: MembershipState): boolean {
  return member.role === 'owner' && member.active && member.userActive;
}

/**
 * The workspace must keep at least one active owner: true when changing (or removing, `next` null) this
 * member leaves none. `otherActiveOwners` counts the active owners other than this member.
 */
export function leavesNoActiveOwner(
  current: MembershipState,
  next: MembershipState | null,
  otherActiveOwners: number,
): boolean {
  if (!isActiveOwner(current) || (next !== null && isActiveOwner(next))) return false;
  return otherActiveOwners === 0;
}

/**
 * Why the actor may not change this tenant role, or undefined when they may: a workspace manager (who can
 * grant access but not administer) grants, changes and revokes roles up to `manager`, and leaves an existing
 * tenant `owner` alone.
 */
export function tenantRoleRefusal(
  actorCapabilities: readonly WorkspaceCapability[],
  current: Role | null,
  next: Role | null,
): string | undefined {
  if (actorCapabilities.includes('workspace.administer')) return undefined;
  if (current === 'owner') return 'Only a workspace owner can change or revoke a tenant owner';
  if (next === 'owner') return 'Only a workspace owner can grant the tenant owner role';
  return undefined;
}

export type InvitationState = 'valid' | 'used' | 'expired';

export function invitationState(
  invitation: { usedAt: Date | null; expiresAt: Date },
  now = new Date(),
): InvitationState {
  if (invitation.usedAt) return 'used';
  return invitation.expiresAt.getTime() > now.getTime() ? 'valid' : 'expired';
}

export function invitationExpiry(now = new Date()): Date {
  return new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
}

/** The mail that carries an invitation link: plain text, naming the workspace, the inviter and the expiry. */
export function invitationMail(input: {
  workspaceName: string;
  inviterName: string;
  inviteeName: string;
  url: string;
  expiresAt: Date;
}) {
  const expires = `${input.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return {
    subject: `${input.inviterName} invited you to ${input.workspaceName} on TenantPilot`,
    text: [
      `Hello ${input.inviteeName},`,
      '',
      `${input.inviterName} invited you to the workspace "${input.workspaceName}" on TenantPilot.`,
      '',
      'Choose your password and sign in here:',
      input.url,
      '',
      `The link works once and expires on ${expires}.`,
      'If you did not expect this invitation, you can ignore this message.',
    ].join('\n'),
  };
}

const CONTROL_CHARACTER = /\p{Cc}/u;

/** Body rules a schema cannot say for an invitation: a blank or control-character name, a NUL. */
export function inviteRuleFields(body: unknown): Record<string, string> {
  const fields = { ...nulCharacterFields(body, ['email', 'display_name']), ...tenantRoleRuleFields(body) };
  const name = (body as { display_name?: unknown } | null)?.display_name;
  if (typeof name === 'string' && !fields.display_name) {
    if (name.trim() === '') fields.display_name = 'must not be blank';
    else if (CONTROL_CHARACTER.test(name)) fields.display_name = 'must not contain control characters';
  }
  return fields;
}

/** A tenant named twice in one list of tenant roles is refused, naming the second mention. */
export function tenantRoleRuleFields(body: unknown): Record<string, string> {
  const list = (body as { tenant_roles?: unknown } | null)?.tenant_roles;
  if (!Array.isArray(list)) return {};
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  list.forEach((item, index) => {
    const tenant = (item as { tenant?: unknown } | null)?.tenant;
    if (typeof tenant !== 'string') return;
    if (tenant.includes('\u0000'))
      fields[`tenant_roles.${index}.tenant`] = 'must not contain a NUL character';
    else if (seen.has(tenant)) fields[`tenant_roles.${index}.tenant`] = 'names a tenant already in the list';
    seen.add(tenant);
  });
  return fields;
}
