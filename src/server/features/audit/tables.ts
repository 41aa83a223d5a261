import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { tenants, users, workspaces } from '../tenancy/tables.ts';

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: integer('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    tenantId: integer('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    actorUserId: integer('actor_user_id').references(() => users.id),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    /** The client's address as the server saw it (behind a proxy: X-Forwarded-For when trusted). */
    clientAddress: text('client_address'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_events_subject_idx').on(t.subjectType, t.subjectId, t.id.desc()),
    index('audit_events_tenant_idx').on(t.tenantId, t.id.desc()),
    index('audit_events_workspace_idx').on(t.workspaceId, t.id.desc()),
    index('audit_events_workspace_actor_idx').on(t.workspaceId, t.actorUserId, t.id.desc()),
    index('audit_events_workspace_action_idx').on(t.workspaceId, t.action, t.id.desc()),
  ],
);
