import { index, integer, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { invitations, sessions, users } from '../tenancy/tables.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A person's account at the identity provider, linked to one TenantPilot user (docs/rules.md "Sign-in
 * through the identity provider"): found by the issuer and the provider's stable subject, never by the
 * e-mail once linked. One identity per issuer and user, so a reassigned e-mail cannot take over an account.
 */
export const oidcIdentities = pgTable(
  'oidc_identities',
  {
    id: serial('id').primaryKey(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The provider's e-mail claim when the link was made, for people reading the audit log. */
    email: text('email'),
    /** How the first link was made: `invitation` or `verified_email`. */
    linkedVia: text('linked_via').notNull(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('oidc_identities_issuer_subject_key').on(t.issuer, t.subject),
    unique('oidc_identities_issuer_user_key').on(t.issuer, t.userId),
    index('oidc_identities_user_idx').on(t.userId),
  ],
);

/**
 * A sign-in on its way through the provider, between /auth/oidc/start and the callback: in the database
 * so that any server process can finish it. Keyed by the digest of `state`, used once, ten minutes.
 */
export const oidcPendingLogins = pgTable(
  'oidc_pending_logins',
  {
    /** sha256 of `state`; the browser holds the value in a cookie and brings it back in the URL. */
    id: text('id').primaryKey(),
    codeVerifier: text('code_verifier').notNull(),
    nonce: text('nonce').notNull(),
    nextPath: text('next_path').notNull(),
    /** An invitation accepted through the provider: the person it names is who signs in. */
    invitationId: integer('invitation_id').references(() => invitations.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('oidc_pending_logins_expires_idx').on(t.expiresAt)],
);

/**
 * A TenantPilot session started through the provider, re-checked with it at least hourly (docs/rules.md
 * "Sign-in through the identity provider"): the refresh token (encrypted) and when the next check is due.
 * Ends with its session (cascade).
 */
export const oidcSessions = pgTable(
  'oidc_sessions',
  {
    sessionId: text('session_id')
      .primaryKey()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    identityId: integer('identity_id')
      .notNull()
      .references(() => oidcIdentities.id, { onDelete: 'cascade' }),
    /** AES-256-GCM under a key derived from OIDC_CLIENT_SECRET; null when the provider issued none. */
    refreshToken: text('refresh_token'),
    /** The provider's last answer that the person still has access. */
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
    recheckDueAt: timestamp('recheck_due_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oidc_sessions_identity_idx').on(t.identityId)],
);
