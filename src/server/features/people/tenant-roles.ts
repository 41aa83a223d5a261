import type { Role } from '../../core/capabilities.ts';
import { AppError, conflict, invalidFields, notFound } from '../../core/errors.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import { deleteTenantRole, findTenantRoles, lockWorkspaceTenants, upsertTenantRole } from './queries.ts';
import { tenantRoleRefusal } from './rules.ts';
import type { Person, TenantRole } from './schemas.ts';
import { lockPerson, refuseSelf } from './service.ts';
import { getPerson } from './views.ts';

/** docs/rules.md "Administration": tenant roles, granted, changed and revoked inside the workspace. */

type LockedTenant = Awaited<ReturnType<typeof lockWorkspaceTenants>>[number];

const SELF = 'You cannot change your own tenant roles; another manager or owner can';

/**
 * The workspace's tenants named by the grants, locked against a concurrent archive: an unknown one is a
 * 422 naming its field (`fieldOf(index)`).
 */
export async function resolveTenants(
  tx: Db,
  workspaceId: number,
  externalIds: string[],
  fieldOf: (index: number) => string,
): Promise<LockedTenant[]> {
  const found = await lockWorkspaceTenants(tx, workspaceId, externalIds);
  const byExternalId = new Map(found.map((tenant) => [tenant.externalId, tenant]));
  const unknown: Record<string, string> = {};
  externalIds.forEach((externalId, index) => {
    if (!byExternalId.has(externalId)) unknown[fieldOf(index)] = 'is not a tenant of this workspace';
  });
  if (Object.keys(unknown).length > 0) throw invalidFields(unknown);
  return externalIds.map((externalId) => byExternalId.get(externalId) as LockedTenant);
}

/** An archived tenant refuses every change to its memberships (409) until an owner restores it. */
export function refuseArchived(tenants: LockedTenant[]): void {
  const archived = tenants.find((tenant) => tenant.archivedAt !== null);
  if (archived) {
    throw conflict(`${archived.name} is archived: its memberships cannot change until an owner restores it`);
  }
}

/** Grants or changes one tenant role and audits it; nothing happens when the role is already that. */
export async function writeTenantRole(
  tx: Db,
  scope: WorkspaceScope,
  userId: number,
  tenant: LockedTenant,
  current: Role | null,
  role: Role,
): Promise<void> {
  if (current === role) return;
  await upsertTenantRole(tx, { tenantId: tenant.id, workspaceId: scope.workspace.id, userId, role });
  await recordAuditEvent(tx, {
    ...actedIn({ ...scope, tenant: { id: tenant.id } }),
    action: current === null ? 'tenant_role.granted' : 'tenant_role.changed',
    subjectType: 'tenant_role',
    subjectId: userId,
    before: current === null ? null : { tenant: tenant.externalId, role: current },
    after: { tenant: tenant.externalId, role },
  });
}

/** Grants or changes the person's role on each tenant named, all or nothing. */
export async function grantTenantRoles(
  scope: WorkspaceScope,
  userId: number,
  grants: TenantRole[],
  fieldOf: (index: number) => string = (index) => `tenant_roles.${index}.tenant`,
): Promise<Person> {
  refuseSelf(scope, userId, SELF);
  return scope.db.transaction(async (tx) => {
    await lockPerson(tx, scope.workspace.id, userId);
    const tenants = await resolveTenants(
      tx,
      scope.workspace.id,
      grants.map((grant) => grant.tenant),
      fieldOf,
    );
    const currentRoles = new Map(
      (
        await findTenantRoles(
          tx,
          userId,
          tenants.map((tenant) => tenant.id),
        )
      ).map((row) => [row.tenantId, row.role]),
    );
    const current = (tenant: LockedTenant) => currentRoles.get(tenant.id) ?? null;
    tenants.forEach((tenant, index) => {
      const refusal = tenantRoleRefusal(scope.capabilities, current(tenant), grants[index]?.role ?? null);
      if (refusal) throw new AppError('forbidden', refusal);
    });
    refuseArchived(tenants);
    for (const [index, tenant] of tenants.entries()) {
      await writeTenantRole(tx, scope, userId, tenant, current(tenant), (grants[index] as TenantRole).role);
    }
    return getPerson(tx, scope.workspace.id, userId);
  });
}

export async function revokeTenantRole(
  scope: WorkspaceScope,
  userId: number,
  externalId: string,
): Promise<void> {
  refuseSelf(scope, userId, SELF);
  await scope.db.transaction(async (tx) => {
    await lockPerson(tx, scope.workspace.id, userId);
    const [tenant] = await lockWorkspaceTenants(tx, scope.workspace.id, [externalId]);
    if (!tenant) throw notFound();
    const [row] = await findTenantRoles(tx, userId, [tenant.id]);
    if (!row) throw notFound();
    const refusal = tenantRoleRefusal(scope.capabilities, row.role, null);
    if (refusal) throw new AppError('forbidden', refusal);
    refuseArchived([tenant]);
    await deleteTenantRole(tx, tenant.id, userId);
    await recordAuditEvent(tx, {
      ...actedIn({ ...scope, tenant: { id: tenant.id } }),
      action: 'tenant_role.revoked',
      subjectType: 'tenant_role',
      subjectId: userId,
      before: { tenant: tenant.externalId, role: row.role },
      after: null,
    });
  });
}
