import { type Static, Type } from 'typebox';
import { MAX_PASSWORD_LENGTH } from '../../core/password-rules.ts';

export const SetupParams = Type.Object({ token: Type.String({ description: 'The one-time setup token' }) });
export type SetupParams = Static<typeof SetupParams>;

export const SetupTokenView = Type.Object({ valid: Type.Literal(true) });
export type SetupTokenView = Static<typeof SetupTokenView>;

export const WORKSPACE_SLUG_PATTERN = '^[a-z0-9-]{1,63}$';

/** The first workspace and its owner. Password rules: core/password-rules.ts (judged by the route's rules). */
export const SetupBody = Type.Object(
  {
    workspace_name: Type.String({ minLength: 1, maxLength: 200 }),
    workspace_slug: Type.String({
      pattern: WORKSPACE_SLUG_PATTERN,
      description: 'Lower-case letters, digits, -',
    }),
    display_name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ maxLength: MAX_PASSWORD_LENGTH, description: 'At least 12 characters' }),
  },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

export const SetupResult = Type.Object({
  user: Type.Object({ id: Type.Integer(), email: Type.String(), display_name: Type.String() }),
  workspace: Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() }),
});
export type SetupResult = Static<typeof SetupResult>;
