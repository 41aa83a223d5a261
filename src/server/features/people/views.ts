import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { findPersonRow, listTenantRoleRows, type PersonRow } from './queries.ts';
import type { Person, TenantRole } from './schemas.ts';

export function personView(row: PersonRow, tenantRoles: TenantRole[]): Person {
  return {
    user_id: row.userId,
    email: row.email,
    display_name: row.displayName,
    active: row.membershipActive && row.userActive,
    workspace_role: row.role,
    tenant_roles: tenantRoles,
    last_sign_in_at: row.lastSignInAt?.toISOString() ?? null,
    invitation_pending: !row.hasPassword,
  };
}

/** Each person's tenant roles in the workspace, for a page of people. */
export async function withTenantRoles(db: Db, workspaceId: number, rows: PersonRow[]): Promise<Person[]> {
  const roleRows = await listTenantRoleRows(
    db,
    workspaceId,
    rows.map((row) => row.userId),
  );
  return rows.map((row) =>
    personView(
      row,
      roleRows
        .filter((roleRow) => roleRow.userId === row.userId)
        .map((roleRow) => ({ tenant: roleRow.tenant, role: roleRow.role })),
    ),
  );
}

/** One person of the workspace as the people page shows them; not_found when they are not a member. */
export async function getPerson(db: Db, workspaceId: number, userId: number): Promise<Person> {
  const row = await findPersonRow(db, workspaceId, userId);
  if (!row) throw notFound();
  const [person] = await withTenantRoles(db, workspaceId, [row]);
  if (!person) throw notFound();
  return person;
}
