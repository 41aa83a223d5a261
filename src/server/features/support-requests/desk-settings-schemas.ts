import { type Static, Type } from 'typebox';
import { deskProviders } from '../../config.ts';
import { Nullable } from '../../core/schema-parts.ts';

/** The credential variables a provider needs, named as in the environment. */
export const deskCredentialVariables = [
  'SUPPORT_DESK_EMAIL',
  'SUPPORT_DESK_API_TOKEN',
  'SUPPORT_DESK_SECRET',
  'SUPPORT_DESK_SERVICE_DESK_ID',
  'SUPPORT_DESK_REQUEST_TYPE_ID',
  'SUPPORT_DESK_AUTH_URL',
  'SUPPORT_DESK_CLIENT_ID',
  'SUPPORT_DESK_CLIENT_SECRET',
  'SUPPORT_DESK_HALO_TENANT',
  'SUPPORT_DESK_COMPANY_ID',
  'SUPPORT_DESK_PUBLIC_KEY',
  'SUPPORT_DESK_PRIVATE_KEY',
  'SUPPORT_DESK_BOARD_ID',
  'SUPPORT_DESK_API_INTEGRATION_CODE',
  'SUPPORT_DESK_USERNAME',
  'SUPPORT_DESK_QUEUE_ID',
] as const;
export type DeskCredentialVariable = (typeof deskCredentialVariables)[number];

/** The installation's desk as the admin page shows it: never a secret, only whether each one is set. */
export const DeskSettingsView = Type.Object({
  provider: Nullable(Type.Enum(deskProviders)),
  display_name: Nullable(Type.String()),
  url: Nullable(Type.String({ description: 'SUPPORT_DESK_URL without user-info or query string' })),
  timeout_ms: Type.Integer(),
  configured: Type.Record(Type.String(), Type.Boolean(), {
    description: 'Each credential variable the provider needs: whether it is set',
  }),
  ready: Type.Boolean({ description: 'A URL and every credential the provider needs are set' }),
});
export type DeskSettingsView = Static<typeof DeskSettingsView>;

export const DeskCheckResult = Type.Object({
  ok: Type.Boolean(),
  summary: Type.String({ description: "The desk's answer in people's words; never a credential" }),
});
export type DeskCheckResult = Static<typeof DeskCheckResult>;
