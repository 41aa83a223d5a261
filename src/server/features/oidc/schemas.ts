import { type Static, Type } from 'typebox';

/** Unknown parameters are refused (422) like a body's unknown fields: a stale or forged link fails loudly. */
export const StartQuery = Type.Object(
  {
    next: Type.Optional(
      Type.String({
        maxLength: 2048,
        description: 'Where to go once signed in: a path of this site (default /admin)',
      }),
    ),
    invitation: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The token of an invitation link, accepted by signing in through the provider',
      }),
    ),
  },
  { additionalProperties: false },
);
export type StartQuery = Static<typeof StartQuery>;

/** Whatever the provider sends back (`code`, `state`, `iss`, or `error`): openid-client judges it. */
export const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    error: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: true },
);

export const ProviderView = Type.Object({
  provider_name: Type.String({ description: 'Shown as "Sign in with <provider_name>"' }),
  start_url: Type.String({ description: 'Where a browser starts signing in (add ?next=<path>)' }),
  password_sign_in: Type.Union([Type.Literal('everyone'), Type.Literal('first_run_owner_only')], {
    description:
      'first_run_owner_only when OIDC_REQUIRED=true: invitations are then accepted through the provider',
  }),
});
export type ProviderView = Static<typeof ProviderView>;
