import { type Static, Type } from 'typebox';
import { Role, TenantCapability, workspaceCapabilities } from '../../core/capabilities.ts';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { TOTP_CODE_PATTERN } from '../second-factor/rules.ts';

// The role and capability enums are domain words, defined once in core/capabilities.ts.
export { Role, TenantCapability };

export const CapabilityList = Type.Array(TenantCapability);
export type CapabilityList = Static<typeof CapabilityList>;

/** What a workspace role allows in administration (docs/rules.md "Access"); the tuple lives in core. */
export const WorkspaceCapability = Type.Enum(workspaceCapabilities);
export type WorkspaceCapability = Static<typeof WorkspaceCapability>;
export const WorkspaceCapabilityList = Type.Array(WorkspaceCapability);
export type WorkspaceCapabilityList = Static<typeof WorkspaceCapabilityList>;

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    totp_code: Type.Optional(
      Type.String({
        maxLength: 16,
        pattern: TOTP_CODE_PATTERN,
        description:
          'The 6-digit code of your authenticator app, once you have one (docs/rules.md "Second factor")',
      }),
    ),
    recovery_code: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'One of your one-time recovery codes, instead',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const SessionUser = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  display_name: Type.String(),
});
export type SessionUser = Static<typeof SessionUser>;

export const SignInResult = Type.Object({ user: SessionUser });
export type SignInResult = Static<typeof SignInResult>;

export const SessionTenant = Type.Object({
  id: Type.Integer(),
  external_id: Type.String(),
  name: Type.String(),
  role: Role,
  capabilities: CapabilityList,
  /** Archived tenants stay readable and refuse every change; the switcher leaves them out by default. */
  archived: Type.Boolean(),
});
export type SessionTenant = Static<typeof SessionTenant>;

export const SessionWorkspace = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  /** The actor's workspace role. */
  role: Role,
  capabilities: WorkspaceCapabilityList,
  /** The workspace sends members without an enrolled authenticator to enrol (403 second_factor_enrolment_required). */
  require_second_factor: Type.Boolean(),
  tenants: Type.Array(SessionTenant),
});
export type SessionWorkspace = Static<typeof SessionWorkspace>;

export const SessionView = Type.Object({
  user: SessionUser,
  csrf_token: Type.String({ description: 'Send as x-csrf-token on every cookie-authenticated mutation' }),
  workspaces: Type.Array(SessionWorkspace),
  /** Whether the person has an enrolled authenticator (TOTP). */
  second_factor_enrolled: Type.Boolean(),
  /**
   * Whether a workspace's second-factor requirement lets this request in: an enrolled authenticator, or
   * this browser session was started through the identity provider.
   */
  second_factor_satisfied: Type.Boolean(),
});
export type SessionView = Static<typeof SessionView>;

export const WorkspaceView = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });
export type WorkspaceView = Static<typeof WorkspaceView>;

export const TenantView = Type.Object({
  id: Type.Integer(),
  external_id: Type.String(),
  name: Type.String(),
});
export type TenantView = Static<typeof TenantView>;

export const WorkspaceParams = Type.Object({ workspace: Type.String({ description: 'The workspace slug' }) });
export type WorkspaceParams = Static<typeof WorkspaceParams>;

export const TenantParams = Type.Object({ tenant: Type.String({ description: 'The tenant external_id' }) });
export type TenantParams = Static<typeof TenantParams>;

export const MemberQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    q: Type.Optional(
      Type.String({ maxLength: 100, pattern: '^[^\\u0000]*$', description: 'Part of a name or email' }),
    ),
  }),
]);
export type MemberQuery = Static<typeof MemberQuery>;

/** A tenant member, for the owner, assignee and exception-owner pickers. */
export const MemberView = Type.Object({
  id: Type.Integer(),
  display_name: Type.String(),
  email: Type.String(),
  role: Role,
});
export type MemberView = Static<typeof MemberView>;

export const MemberPage = Type.Object({ items: Type.Array(MemberView), next_cursor: nextCursorSchema });
export type MemberPage = Static<typeof MemberPage>;
