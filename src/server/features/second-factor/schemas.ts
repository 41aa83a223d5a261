import { type Static, Type } from 'typebox';
import { MAX_PASSWORD_LENGTH } from '../../core/password-rules.ts';
import { Nullable } from '../../core/schema-parts.ts';
import { MEMBERS_LISTED, RECOVERY_CODE_COUNT, TOTP_CODE_PATTERN } from './rules.ts';

const DateTime = Type.String({ format: 'date-time' });

export const TotpCode = Type.String({
  maxLength: 16,
  pattern: TOTP_CODE_PATTERN,
  description: 'The 6-digit code your authenticator app shows now',
});
export const RecoveryCode = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'One of your one-time recovery codes (xxxxx-xxxxx)',
});

export const WorkspaceRef = Type.Object({ slug: Type.String(), name: Type.String() });

/** `GET /admin/me/second-factor`: never the secret, which is shown once, when enrolment starts. */
export const SecondFactorStatus = Type.Object({
  enrolled: Type.Boolean(),
  enrolled_at: Nullable(DateTime),
  recovery_codes_remaining: Type.Integer({ minimum: 0, maximum: RECOVERY_CODE_COUNT }),
  /** The person's workspaces that require a second factor. */
  required_by: Type.Array(WorkspaceRef),
});
export type SecondFactorStatus = Static<typeof SecondFactorStatus>;

export const EnrolmentStart = Type.Object({
  secret: Type.String({ description: 'Base32, to type into the app by hand; shown this once' }),
  otpauth_uri: Type.String({ description: 'The otpauth:// URI the QR code holds' }),
  qr_code: Type.String({
    description: 'The QR code as an SVG data URL, drawn by the server (nothing leaves it)',
  }),
});
export type EnrolmentStart = Static<typeof EnrolmentStart>;

export const EnrolmentConfirm = Type.Object({ totp_code: TotpCode }, { additionalProperties: false });
export type EnrolmentConfirm = Static<typeof EnrolmentConfirm>;

export const RecoveryCodes = Type.Object({
  recovery_codes: Type.Array(Type.String(), {
    minItems: RECOVERY_CODE_COUNT,
    maxItems: RECOVERY_CODE_COUNT,
    description: 'Ten one-time codes, shown this once; only their digests are stored',
  }),
});
export type RecoveryCodes = Static<typeof RecoveryCodes>;

/** Proof that it is you, for disabling and for new recovery codes: exactly one of the three (rules.ts). */
export const SecondFactorProof = Type.Object(
  {
    password: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH })),
    totp_code: Type.Optional(TotpCode),
    recovery_code: Type.Optional(RecoveryCode),
  },
  { additionalProperties: false },
);
export type SecondFactorProof = Static<typeof SecondFactorProof>;

export const WorkspaceSecurity = Type.Object({
  require_second_factor: Type.Boolean(),
  /** Active members (active accounts) of the workspace. */
  members: Type.Integer(),
  /** Of those, how many have no enrolled authenticator: with the requirement on, they must enrol first. */
  members_without_second_factor: Type.Integer(),
  /** Who they are, by name: the first 100, to remind before (or after) requiring it. */
  people_without_second_factor: Type.Array(
    Type.Object({ user_id: Type.Integer(), display_name: Type.String(), email: Type.String() }),
    { maxItems: MEMBERS_LISTED },
  ),
});
export type WorkspaceSecurity = Static<typeof WorkspaceSecurity>;

export const WorkspaceSecurityUpdate = Type.Object(
  { require_second_factor: Type.Boolean() },
  { additionalProperties: false },
);
export type WorkspaceSecurityUpdate = Static<typeof WorkspaceSecurityUpdate>;
