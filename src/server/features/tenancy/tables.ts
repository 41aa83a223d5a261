import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { roles } from '../../core/capabilities.ts';
import { oneOf } from '../../db/checks.ts';

export { type Role, roles } from '../../core/capabilities.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    active: boolean('active').notNull().default(true),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`)],
);

export const workspaces = pgTable('workspaces', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** docs/rules.md "Second factor": members without an enrolled authenticator are sent to enrol (403). */
  requireSecondFactor: boolean('require_second_factor').notNull().default(false),
  createdAt: createdAt(),
});

export const workspaceMemberships = pgTable(
  'workspace_memberships',
  {
    workspaceId: integer('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    /** False while the membership is suspended: none of the workspace's tenants or pages answer them. */
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index('workspace_memberships_user_idx').on(t.userId),
    oneOf('workspace_memberships_role_check', t.role, roles),
  ],
);

export const tenants = pgTable(
  'tenants',
  {
    id: serial('id').primaryKey(),
    workspaceId: integer('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull().unique(),
    name: text('name').notNull(),
    /** The customer's Microsoft Entra tenant id (a GUID, lower case), unique across the installation. */
    directoryId: text('directory_id').unique(),
    primaryDomain: text('primary_domain'),
    /** The customer in the external desk (organization, company, client); null = not mapped. */
    deskCustomerId: text('desk_customer_id'),
    /** Set while archived: readable, every change refused. */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('tenants_workspace_idx').on(t.workspaceId, t.name),
    // Lets tenant_memberships prove, in the database, that the tenant sits in the membership's workspace.
    unique('tenants_id_workspace_key').on(t.id, t.workspaceId),
    check('tenants_external_id_check', sql`${t.externalId} ~ '^[a-z0-9-]{1,63}$'`),
    check(
      'tenants_directory_id_check',
      sql`${t.directoryId} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`,
    ),
  ],
);

/** A tenant entitlement; it cannot exist without a workspace membership of the same workspace. */
export const tenantMemberships = pgTable(
  'tenant_memberships',
  {
    tenantId: integer('tenant_id').notNull(),
    workspaceId: integer('workspace_id').notNull(),
    userId: integer('user_id').notNull(),
    role: text('role', { enum: roles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index('tenant_memberships_user_idx').on(t.userId),
    oneOf('tenant_memberships_role_check', t.role, roles),
    foreignKey({
      name: 'tenant_memberships_tenant_fk',
      columns: [t.tenantId, t.workspaceId],
      foreignColumns: [tenants.id, tenants.workspaceId],
    }).onDelete('cascade'),
    foreignKey({
      name: 'tenant_memberships_workspace_membership_fk',
      columns: [t.workspaceId, t.userId],
      foreignColumns: [workspaceMemberships.workspaceId, workspaceMemberships.userId],
    }).onDelete('cascade'),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie value; the raw value never reaches the database. */
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The id the API and the UI name a session by: the digest above never leaves the server. */
    publicId: serial('public_id').notNull(),
    /** The browser's User-Agent at sign-in (at most 512 characters), for "Your sessions". */
    userAgent: text('user_agent'),
    /** The client address at sign-in. */
    clientAddress: text('client_address'),
    /** Refreshed at most once a minute per session (tenancy/sessions.ts), so a request rarely writes. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
    uniqueIndex('sessions_public_id_key').on(t.publicId),
  ],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** sha256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/** Failed sign-in counters (account/attempt-limit.ts), shared so every server process counts the same attempts. */
export const rateLimitHits = pgTable('rate_limit_hits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  windowEndsAt: timestamp('window_ends_at', { withTimezone: true }).notNull(),
});

/** A one-time invitation to a workspace: the token is shown once to the inviter and stored as a digest. */
export const invitations = pgTable(
  'invitations',
  {
    id: serial('id').primaryKey(),
    workspaceId: integer('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    invitedBy: integer('invited_by').references(() => users.id),
    /** sha256 of the token in the invitation URL. */
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('invitations_user_idx').on(t.userId)],
);

/** The first-run setup link: valid until used, stored as a digest; at most one unused at a time. */
export const setupTokens = pgTable('setup_tokens', {
  id: serial('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
});
