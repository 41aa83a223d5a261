import { type Static, Type } from 'typebox';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { Nullable } from '../../core/schema-parts.ts';
import { Role, WorkspaceCapabilityList, WorkspaceView } from '../tenancy/schemas.ts';

/** docs/rules.md "Administration" limits on a tenant's fields, in characters (code points). */
export const tenantLimits = {
  external_id: 63,
  name: 200,
  directory_id: 36,
  primary_domain: 253,
  desk_customer_id: 200,
} as const;

const DateTime = Type.String({ format: 'date-time' });

export const WorkspaceTenantParams = Type.Object({
  workspace: Type.String({ description: 'The workspace slug' }),
  tenant: Type.String({ description: "The tenant's external_id" }),
});
export type WorkspaceTenantParams = Static<typeof WorkspaceTenantParams>;

/** `GET /admin/w/{workspace}`: where the administration pages start. */
export const WorkspaceOverview = Type.Object({
  workspace: WorkspaceView,
  /** The actor's workspace role, and what it allows here. */
  workspace_role: Role,
  capabilities: WorkspaceCapabilityList,
  counts: Type.Object({
    tenants: Type.Object({ active: Type.Integer(), archived: Type.Integer() }),
    people: Type.Object({
      active: Type.Integer({ description: 'Members whose membership and account are both active' }),
      suspended: Type.Integer({
        description: 'Suspended memberships, and members whose account is inactive',
      }),
    }),
  }),
});
export type WorkspaceOverview = Static<typeof WorkspaceOverview>;

/** A tenant as the workspace's administration sees it; every member of the workspace may list them. */
export const WorkspaceTenant = Type.Object({
  id: Type.Integer(),
  external_id: Type.String(),
  name: Type.String(),
  directory_id: Nullable(
    Type.String({ description: "The customer's Microsoft Entra tenant id, lower case" }),
  ),
  primary_domain: Nullable(Type.String()),
  desk_customer_id: Nullable(Type.String()),
  archived: Type.Boolean(),
  archived_at: Nullable(DateTime),
  created_at: DateTime,
  /** The actor's own tenant role on it, or null: tenant data still needs one (docs/rules.md "Access"). */
  my_role: Nullable(Role),
});
export type WorkspaceTenant = Static<typeof WorkspaceTenant>;

export const ArchivedFilter = Type.Enum(['false', 'true', 'all'], {
  description: 'false (default): active tenants only; true: archived only; all: both',
});
export type ArchivedFilter = Static<typeof ArchivedFilter>;

export const WorkspaceTenantListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the name or the external_id' })),
    archived: Type.Optional(ArchivedFilter),
  }),
]);
export type WorkspaceTenantListQuery = Static<typeof WorkspaceTenantListQuery>;

export const WorkspaceTenantPage = Type.Object({
  items: Type.Array(WorkspaceTenant),
  next_cursor: nextCursorSchema,
  limit: Type.Integer({ description: 'The page size this answer was cut to' }),
});
export type WorkspaceTenantPage = Static<typeof WorkspaceTenantPage>;

const ExternalId = Type.String({
  maxLength: tenantLimits.external_id,
  description: '1–63 lower-case letters, digits and hyphens, unique in the installation; immutable',
});
const TenantName = Type.String({
  minLength: 1,
  maxLength: tenantLimits.name,
  description: '1–200 characters, not blank',
});
const DirectoryId = Type.String({
  maxLength: tenantLimits.directory_id,
  description: "The customer's Microsoft Entra tenant id: a GUID in any case, stored lower case; unique",
});
const PrimaryDomain = Type.String({
  maxLength: tenantLimits.primary_domain,
  description: 'A DNS name such as contoso.com (ASCII; punycode for other scripts), stored lower case',
});
const DeskCustomerId = Type.String({
  maxLength: tenantLimits.desk_customer_id,
  description: 'The customer in the external desk (organization, company, client)',
});

/** `POST /admin/w/{workspace}/tenants`. Text rules a schema cannot say live in rules.ts. */
export const TenantCreate = Type.Object(
  {
    external_id: ExternalId,
    name: TenantName,
    directory_id: Type.Optional(Nullable(DirectoryId)),
    primary_domain: Type.Optional(Nullable(PrimaryDomain)),
    desk_customer_id: Type.Optional(Nullable(DeskCustomerId)),
  },
  { additionalProperties: false },
);
export type TenantCreate = Static<typeof TenantCreate>;

/** `PATCH /admin/w/{workspace}/tenants/{tenant}`: an absent field stays as it is, null clears it. */
export const TenantUpdate = Type.Object(
  {
    name: Type.Optional(TenantName),
    directory_id: Type.Optional(Nullable(DirectoryId)),
    primary_domain: Type.Optional(Nullable(PrimaryDomain)),
    desk_customer_id: Type.Optional(Nullable(DeskCustomerId)),
    archived: Type.Optional(
      Type.Boolean({ description: 'true archives (read-only); false restores, with other changes allowed' }),
    ),
    // Listed only to be refused with its own message ("cannot be changed"), not as an unknown field.
    external_id: Type.Optional(Type.Unknown({ description: 'Immutable: sending it is refused (422)' })),
  },
  { additionalProperties: false },
);
export type TenantUpdate = Static<typeof TenantUpdate>;
