import { type Static, Type } from 'typebox';

/** The four roles, used both for a workspace membership and for a tenant membership. */
export const roles = ['owner', 'manager', 'operator', 'readonly'] as const;
export const Role = Type.Enum(roles);
export type Role = Static<typeof Role>;

export const tenantCapabilities = [
  'tenant.view',
  'support_requests.create',
  'finding_exceptions.request',
  'findings.triage',
  'findings.assign',
  'findings.import',
  'finding_exceptions.decide',
] as const;
export const TenantCapability = Type.Enum(tenantCapabilities);
export type TenantCapability = Static<typeof TenantCapability>;

/** docs/rules.md "Access": a tenant capability comes only from the tenant membership role. */
export const tenantCapabilitiesOf: Record<Role, readonly TenantCapability[]> = {
  readonly: ['tenant.view'],
  operator: ['tenant.view', 'support_requests.create', 'finding_exceptions.request', 'findings.triage'],
  manager: [
    'tenant.view',
    'support_requests.create',
    'finding_exceptions.request',
    'findings.triage',
    'findings.assign',
    'findings.import',
  ],
  owner: tenantCapabilities,
};

export const workspaceCapabilities = [
  'workspace.view',
  'workspace.grant_access',
  'workspace.administer',
] as const;
export type WorkspaceCapability = (typeof workspaceCapabilities)[number];

/** docs/rules.md "Administration": a workspace role grants administration, never a tenant capability. */
export const workspaceCapabilitiesOf: Record<Role, readonly WorkspaceCapability[]> = {
  readonly: ['workspace.view'],
  operator: ['workspace.view'],
  manager: ['workspace.view', 'workspace.grant_access'],
  owner: workspaceCapabilities,
};

export type Capability = TenantCapability | WorkspaceCapability;

/**
 * docs/rules.md "Administration": granting or changing a tenant role needs `workspace.grant_access`, and
 * `workspace.administer` when the role is `owner` (for a list of grants, when any of them is). A
 * `CapabilityRule` (routing.ts) judged on the body as sent; a body without roles needs `grant_access`.
 */
export function tenantRoleGrantCapabilities(body: unknown): readonly WorkspaceCapability[] {
  const given = body as { role?: unknown; tenant_roles?: unknown } | null;
  const list = Array.isArray(given?.tenant_roles) ? (given.tenant_roles as unknown[]) : [given];
  const grantsOwner = list.some((item) => (item as { role?: unknown } | null)?.role === 'owner');
  return grantsOwner ? ['workspace.grant_access', 'workspace.administer'] : ['workspace.grant_access'];
}
