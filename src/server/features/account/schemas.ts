import { type Static, Type } from 'typebox';
import { Role } from '../../core/capabilities.ts';
import { nextCursorSchema, PageQuery } from '../../core/pagination.ts';
import { MAX_PASSWORD_LENGTH } from '../../core/password-rules.ts';
import { Nullable } from '../../core/schema-parts.ts';

const DateTime = Type.String({ format: 'date-time' });

/** A workspace the signed-in person belongs to; `active` is false while their membership is suspended. */
export const MyWorkspace = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  workspace_role: Role,
  active: Type.Boolean(),
});
export type MyWorkspace = Static<typeof MyWorkspace>;

/** The signed-in person (`GET /admin/me`). */
export const MeView = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  display_name: Type.String(),
  last_sign_in_at: Nullable(DateTime),
  created_at: DateTime,
  workspaces: Type.Array(MyWorkspace),
});
export type MeView = Static<typeof MeView>;

/** Blank text and NUL characters are refused by the routes' body rules (rules.ts), in people's words. */
export const MeUpdate = Type.Object(
  { display_name: Type.String({ minLength: 1, maxLength: 200, description: '1–200 characters, not blank' }) },
  { additionalProperties: false },
);
export type MeUpdate = Static<typeof MeUpdate>;

/** The new password is judged by core/password-rules.ts (the route's body rules), in people's words. */
export const PasswordChange = Type.Object(
  {
    current_password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    new_password: Type.String({ description: '12–1,024 characters, not blank' }),
  },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof PasswordChange>;

export const TokenStatus = Type.Enum(['active', 'revoked']);
export type TokenStatus = Static<typeof TokenStatus>;

/** An API token as its owner sees it: never the token itself, which is shown once, at creation. */
export const TokenView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  created_at: DateTime,
  last_used_at: Nullable(DateTime),
  revoked_at: Nullable(DateTime),
});
export type TokenView = Static<typeof TokenView>;

export const TokenPage = Type.Object({ items: Type.Array(TokenView), next_cursor: nextCursorSchema });
export type TokenPage = Static<typeof TokenPage>;

export const NewToken = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'A label to recognise the token by: 1–100 characters, not blank',
    }),
  },
  { additionalProperties: false },
);
export type NewToken = Static<typeof NewToken>;

export const CreatedToken = Type.Intersect([
  TokenView,
  Type.Object({
    token: Type.String({
      description: 'Send as `Authorization: Bearer <token>`. Shown this once; only its digest is stored',
    }),
  }),
]);
export type CreatedToken = Static<typeof CreatedToken>;

export const TokenUser = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  display_name: Type.String(),
  /** False for a deactivated user, whose tokens answer 401 whatever their status. */
  active: Type.Boolean(),
});
export type TokenUser = Static<typeof TokenUser>;

/** A token of a workspace member, for the workspace's owners. */
export const WorkspaceTokenView = Type.Intersect([TokenView, Type.Object({ user: TokenUser })]);
export type WorkspaceTokenView = Static<typeof WorkspaceTokenView>;

export const WorkspaceTokenPage = Type.Object({
  items: Type.Array(WorkspaceTokenView),
  next_cursor: nextCursorSchema,
});
export type WorkspaceTokenPage = Static<typeof WorkspaceTokenPage>;

export const TokenListQuery = PageQuery;
export type TokenListQuery = Static<typeof TokenListQuery>;

export const WorkspaceTokenQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    status: Type.Optional(TokenStatus),
  }),
]);
export type WorkspaceTokenQuery = Static<typeof WorkspaceTokenQuery>;

export const TokenParams = Type.Object({ id: Type.String({ description: 'The token id' }) });
export type TokenParams = Static<typeof TokenParams>;

export const WorkspaceTokenParams = Type.Object({
  workspace: Type.String({ description: 'The workspace slug' }),
  id: Type.String({ description: 'The token id' }),
});
export type WorkspaceTokenParams = Static<typeof WorkspaceTokenParams>;

/**
 * The refusal of too many failed password attempts (sign-in, password change), as the OpenAPI document
 * lists it: thrown, never returned; the OpenAPI hook gives it the error body.
 */
export const LockedOutRefusal = Type.Unsafe<never>({
  description:
    'Too many failed password attempts from this address for this person: the Retry-After header says ' +
    'in how many seconds to try again, error.message says when in words',
});

/** A signed-in browser of the person ("Your sessions"): never the cookie or its digest. */
export const SessionInfo = Type.Object({
  id: Type.Integer({ description: 'The session id to end it by' }),
  device: Type.String({ description: 'Browser and system, read from the User-Agent ("Chrome on Windows")' }),
  user_agent: Nullable(Type.String()),
  client_address: Nullable(Type.String()),
  created_at: DateTime,
  last_seen_at: Nullable(DateTime),
  expires_at: DateTime,
  /** The session this request came with. */
  current: Type.Boolean(),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const SessionPage = Type.Object({ items: Type.Array(SessionInfo), next_cursor: nextCursorSchema });
export type SessionPage = Static<typeof SessionPage>;

export const SessionListQuery = PageQuery;
export type SessionListQuery = Static<typeof SessionListQuery>;

export const SessionParams = Type.Object({ id: Type.String({ description: 'The session id' }) });
export type SessionParams = Static<typeof SessionParams>;

export const SessionsEnded = Type.Object({ ended: Type.Integer({ description: 'How many sessions ended' }) });
export type SessionsEnded = Static<typeof SessionsEnded>;
