import { bigint, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../tenancy/tables.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A person's TOTP authenticator (RFC 6238), one at most. Pending until confirmed with one code; the secret
 * is shown once, at the start of enrolment, and never again (it must stay readable to check codes).
 */
export const totpFactors = pgTable('totp_factors', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** Base32, as the authenticator app holds it. */
  secret: text('secret').notNull(),
  /** Null while the enrolment waits for its confirming code: a pending factor is not asked at sign-in. */
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  /** The newest 30-second time step a code was accepted for: a code is never accepted twice. */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: createdAt(),
});

/** Ten one-time recovery codes per person, stored as digests; a used code keeps its row (used_at set). */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** sha256 of the normalized code. */
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('recovery_codes_user_code_key').on(t.userId, t.codeHash),
    index('recovery_codes_user_idx').on(t.userId),
  ],
);
