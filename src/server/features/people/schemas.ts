import { type Static, Type } from 'typebox';
import { Role } from '../../core/capabilities.ts';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../core/password-rules.ts';
import { Nullable } from '../../core/schema-parts.ts';

/** docs/rules.md "Administration": the people of a workspace, their roles and their invitations. */

export const limits = {
  email: 254,
  display_name: 200,
  /** How many tenants one bulk grant may name. */
  tenant_roles: 100,
} as const;

/** How long an invitation link works. */
export const INVITATION_TTL_DAYS = 7;

export const PeopleParams = Type.Object({ workspace: Type.String({ description: 'The workspace slug' }) });
export type PeopleParams = Static<typeof PeopleParams>;

export const PersonParams = Type.Object({
  workspace: Type.String({ description: 'The workspace slug' }),
  user: Type.String({ description: 'The user id of a member of the workspace' }),
});
export type PersonParams = Static<typeof PersonParams>;

export const PersonTenantParams = Type.Object({
  workspace: Type.String({ description: 'The workspace slug' }),
  user: Type.String({ description: 'The user id of a member of the workspace' }),
  tenant: Type.String({ description: 'The external_id of a tenant of the workspace' }),
});
export type PersonTenantParams = Static<typeof PersonTenantParams>;

export const activeFilters = ['true', 'false', 'all'] as const;
export const ActiveFilter = Type.Enum(activeFilters);
export type ActiveFilter = Static<typeof ActiveFilter>;

export const PeopleQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    q: Type.Optional(
      Type.String({ maxLength: 100, pattern: '^[^\\u0000]*$', description: 'Part of a name or email' }),
    ),
    active: Type.Optional(
      Type.Enum(activeFilters, {
        description: 'true: active people only; false: suspended or deactivated only; all (default)',
      }),
    ),
  }),
]);
export type PeopleQuery = Static<typeof PeopleQuery>;

/** One tenant role of a person: `tenant` is the tenant's external_id. */
export const TenantRole = Type.Object(
  {
    tenant: Type.String({ minLength: 1, maxLength: 63, description: 'The tenant external_id' }),
    role: Role,
  },
  { additionalProperties: false },
);
export type TenantRole = Static<typeof TenantRole>;

/** A member of the workspace as the people page lists them. */
export const Person = Type.Object({
  user_id: Type.Integer(),
  email: Type.String(),
  display_name: Type.String(),
  /** The workspace membership is active and the user's account is active. */
  active: Type.Boolean({ description: 'The workspace membership and the account are both active' }),
  workspace_role: Role,
  tenant_roles: Type.Array(TenantRole, { description: "The person's tenant roles in this workspace" }),
  last_sign_in_at: Nullable(Type.String({ format: 'date-time' })),
  invitation_pending: Type.Boolean({ description: 'Invited and not yet accepted (no password set yet)' }),
});
export type Person = Static<typeof Person>;

export const PeoplePage = Type.Object({ items: Type.Array(Person), next_cursor: nextCursorSchema });
export type PeoplePage = Static<typeof PeoplePage>;

export const InviteBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: limits.email, format: 'email' }),
    display_name: Type.String({ minLength: 1, maxLength: limits.display_name }),
    workspace_role: Role,
    tenant_roles: Type.Optional(
      Type.Array(TenantRole, {
        maxItems: limits.tenant_roles,
        description: "Tenant roles on this workspace's tenants (not archived ones)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type InviteBody = Static<typeof InviteBody>;

/**
 * The answer to an invitation or a new link: the member, and the one-time link when one was made. An existing
 * user added to the workspace gets no link (`invitation_url: null`, `outcome: 'added'`).
 */
export const InvitationResult = Type.Object({
  person: Person,
  outcome: Type.Enum(['invited', 'added'] as const, {
    description: 'invited: a new account waits for its invitation; added: an existing user joined',
  }),
  invitation_url: Nullable(Type.String({ description: 'Shown once; stored only as a digest' })),
  invitation_expires_at: Nullable(Type.String({ format: 'date-time' })),
  email_sent: Type.Boolean({ description: 'SMTP is configured and the mail server accepted the invitation' }),
});
export type InvitationResult = Static<typeof InvitationResult>;

export const PersonUpdate = Type.Object(
  {
    workspace_role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean({ description: 'false suspends the membership, true restores it' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PersonUpdate = Static<typeof PersonUpdate>;

export const TenantRoleBody = Type.Object({ role: Role }, { additionalProperties: false });
export type TenantRoleBody = Static<typeof TenantRoleBody>;

export const TenantRolesBody = Type.Object(
  {
    tenant_roles: Type.Array(TenantRole, {
      minItems: 1,
      maxItems: limits.tenant_roles,
      description: 'Granted or changed together, all or nothing; tenants not named are left as they are',
    }),
  },
  { additionalProperties: false },
);
export type TenantRolesBody = Static<typeof TenantRolesBody>;

export const InvitationParams = Type.Object({
  token: Type.String({ description: 'The token of the invitation link' }),
});
export type InvitationParams = Static<typeof InvitationParams>;

/** What the set-password page shows before the invitation is accepted. */
export const InvitationView = Type.Object({
  workspace: Type.Object({ name: Type.String() }),
  email: Type.String(),
  display_name: Type.String(),
  expires_at: Type.String({ format: 'date-time' }),
});
export type InvitationView = Static<typeof InvitationView>;

export const AcceptInvitationBody = Type.Object(
  {
    password: Type.String({
      description: `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, not blank (judged by the password rule)`,
    }),
  },
  { additionalProperties: false },
);
export type AcceptInvitationBody = Static<typeof AcceptInvitationBody>;

/** Accepted: the person is signed in (the session cookie is set) and lands in the workspace. */
export const AcceptInvitationResult = Type.Object({
  user: Type.Object({ id: Type.Integer(), email: Type.String(), display_name: Type.String() }),
  workspace: Type.Object({ slug: Type.String(), name: Type.String() }),
});
export type AcceptInvitationResult = Static<typeof AcceptInvitationResult>;
