import { AppError, conflict, notFound } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, encodeCursor, toPage } from '../../core/pagination.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { expireOpenInvitations } from './invitation-queries.ts';
import {
  activateUserAccount,
  countActiveMemberships,
  countOtherActiveOwners,
  deactivateUserAccount,
  deleteMembership,
  findPersonRow,
  listPersonRows,
  listTenantRoleRows,
  lockWorkspacePeople,
  type PersonRow,
  updateMembership,
} from './queries.ts';
import { isActiveOwner, leavesNoActiveOwner, type MembershipState } from './rules.ts';
import type { PeoplePage, PeopleQuery, Person, PersonUpdate } from './schemas.ts';
import { getPerson, withTenantRoles } from './views.ts';

/** docs/rules.md "Administration": the people of a workspace, their workspace roles and suspension. */

export async function listPeople(scope: WorkspaceScope, query: PeopleQuery): Promise<PeoplePage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const rows = await listPersonRows(scope.db, scope.workspace.id, { ...query, limit });
  const page = toPage(rows, limit, (last) => encodeCursor({ name: last.nameKey, id: last.userId }));
  return {
    items: await withTenantRoles(scope.db, scope.workspace.id, page.items),
    next_cursor: page.next_cursor,
  };
}

/** Nobody changes their own membership: another owner must (403). */
export function refuseSelf(scope: WorkspaceScope, userId: number, message: string): void {
  if (scope.actor.userId === userId) throw new AppError('forbidden', message);
}

const LAST_OWNER = 'The workspace must keep at least one active owner';

const stateOf = (row: PersonRow): MembershipState => ({
  role: row.role,
  active: row.membershipActive,
  userActive: row.userActive,
});

/** The person, once every other change to the workspace's people has finished (lockWorkspacePeople). */
export async function lockPerson(tx: Db, workspaceId: number, userId: number): Promise<PersonRow> {
  await lockWorkspacePeople(tx, workspaceId);
  const row = await findPersonRow(tx, workspaceId, userId);
  if (!row) throw notFound();
  return row;
}

/** Refuses (409) a change that would leave the workspace without an active owner. */
async function keepAnOwner(tx: Db, scope: WorkspaceScope, row: PersonRow, next: MembershipState | null) {
  const others = isActiveOwner(stateOf(row))
    ? await countOtherActiveOwners(tx, scope.workspace.id, row.userId)
    : 0;
  if (leavesNoActiveOwner(stateOf(row), next, others)) throw conflict(LAST_OWNER);
}

function audit(
  tx: Db,
  scope: WorkspaceScope,
  action: string,
  userId: number,
  before: unknown,
  after: unknown,
) {
  const subjectType = action.slice(0, action.indexOf('.'));
  return recordAuditEvent(tx, { ...actedIn(scope), action, subjectType, subjectId: userId, before, after });
}

/**
 * A person with no active membership left anywhere is deactivated as a user: sessions deleted, API tokens
 * revoked, so both answer 401 at once.
 */
async function deactivateWithoutMemberships(tx: Db, scope: WorkspaceScope, row: PersonRow): Promise<void> {
  if (!row.userActive || (await countActiveMemberships(tx, row.userId)) > 0) return;
  await deactivateUserAccount(tx, row.userId, new Date());
  await audit(tx, scope, 'user.deactivated', row.userId, { active: true }, { active: false });
}

/**
 * Restoring (or adding) a membership re-activates an inactive account when it is the person's only active
 * membership: the account was deactivated for having none. One that holds other active memberships was
 * deactivated on purpose (`tenantpilot users deactivate`), and a workspace owner does not undo that.
 */
export async function reactivateForMembership(
  tx: Db,
  scope: WorkspaceScope,
  user: { userId: number; userActive: boolean },
): Promise<boolean> {
  if (user.userActive || (await countActiveMemberships(tx, user.userId, scope.workspace.id)) > 0)
    return false;
  await activateUserAccount(tx, user.userId);
  await audit(tx, scope, 'user.reactivated', user.userId, { active: false }, { active: true });
  return true;
}

export async function updatePerson(
  scope: WorkspaceScope,
  userId: number,
  change: PersonUpdate,
): Promise<Person> {
  refuseSelf(
    scope,
    userId,
    'You cannot change your own workspace role or suspend yourself; another owner can',
  );
  return scope.db.transaction(async (tx) => {
    const row = await lockPerson(tx, scope.workspace.id, userId);
    const role = change.workspace_role ?? row.role;
    const active = change.active ?? row.membershipActive;
    await keepAnOwner(tx, scope, row, { role, active, userActive: row.userActive });
    if (role !== row.role) {
      await updateMembership(tx, scope.workspace.id, userId, { role });
      await audit(
        tx,
        scope,
        'member.role_changed',
        userId,
        { workspace_role: row.role },
        { workspace_role: role },
      );
    }
    if (active !== row.membershipActive) {
      await updateMembership(tx, scope.workspace.id, userId, { active });
      const action = active ? 'member.restored' : 'member.suspended';
      await audit(tx, scope, action, userId, { active: row.membershipActive }, { active });
      if (active) await reactivateForMembership(tx, scope, row);
      else await deactivateWithoutMemberships(tx, scope, row);
    }
    return getPerson(tx, scope.workspace.id, userId);
  });
}

/**
 * Removes the person from the workspace with their tenant roles there; findings they own stay as they are
 * (the accountability gap shows it). Their open invitation links to the workspace stop working.
 */
export async function removePerson(scope: WorkspaceScope, userId: number): Promise<void> {
  refuseSelf(scope, userId, 'You cannot remove yourself from the workspace; another owner can');
  await scope.db.transaction(async (tx) => {
    const row = await lockPerson(tx, scope.workspace.id, userId);
    await keepAnOwner(tx, scope, row, null);
    const tenantRoles = await listTenantRoleRows(tx, scope.workspace.id, [userId]);
    await deleteMembership(tx, scope.workspace.id, userId);
    const now = new Date();
    await expireOpenInvitations(tx, scope.workspace.id, userId, now);
    for (const { tenantId, tenant, role } of tenantRoles) {
      await recordAuditEvent(tx, {
        ...actedIn({ ...scope, tenant: { id: tenantId } }),
        action: 'tenant_role.revoked',
        subjectType: 'tenant_role',
        subjectId: userId,
        before: { tenant, role },
        after: null,
      });
    }
    const before = {
      email: row.email,
      display_name: row.displayName,
      workspace_role: row.role,
      active: row.membershipActive,
      tenant_roles: tenantRoles.map(({ tenant, role }) => ({ tenant, role })),
    };
    await audit(tx, scope, 'member.removed', userId, before, null);
    await deactivateWithoutMemberships(tx, scope, { ...row, membershipActive: false });
  });
}
