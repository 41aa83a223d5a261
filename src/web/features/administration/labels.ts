import type { TokenStatus } from '../../../server/features/account/schemas.ts';
import type { Role, WorkspaceCapability } from '../../../server/features/tenancy/schemas.ts';

// Typed by the server's enums, so each map names every value; its order is the selects' order.

export type { Role, WorkspaceCapability };

/** Most powerful first, as people read a role ladder. */
export const roleLabels: Record<Role, string> = {
  owner: 'Owner',
  manager: 'Manager',
  operator: 'Operator',
  readonly: 'Read-only',
};

/** What a workspace role allows (docs/rules.md "Access"): administration only, never tenant data. */
export const workspaceRoleDescriptions: Record<Role, string> = {
  owner: 'Administers the workspace: tenants, people, roles, audit log, API tokens and the support desk.',
  manager: 'Grants and changes tenant roles up to manager.',
  operator: 'Sees the workspace’s tenants and people.',
  readonly: 'Sees the workspace’s tenants and people.',
};

/** What a tenant role allows on that tenant's data (docs/rules.md "Access"). */
export const tenantRoleDescriptions: Record<Role, string> = {
  owner: 'Everything a manager does, and decides risk exceptions.',
  manager: 'Everything an operator does, and assigns and imports findings.',
  operator: 'Files support requests, triages findings and requests exceptions.',
  readonly: 'Sees the dashboard, runs, findings and support requests.',
};

export const capabilityLabels: Record<WorkspaceCapability, string> = {
  'workspace.view': 'See tenants and people',
  'workspace.grant_access': 'Grant tenant roles up to manager',
  'workspace.administer': 'Administer the workspace',
};

/** The token list's status filter. */
export const tokenStatusLabels: Record<TokenStatus, string> = { active: 'Active', revoked: 'Revoked' };
