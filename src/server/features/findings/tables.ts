import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  pgSequence,
  pgTable,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { oneOf } from '../../db/checks.ts';
import { tenants, users, workspaces } from '../tenancy/tables.ts';

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export const workflowStatuses = [
  'new',
  'triaged',
  'in_progress',
  'reopened',
  'resolved',
  'closed',
  'risk_accepted',
] as const;
export const exceptionStatuses = ['pending', 'approved', 'rejected', 'expired', 'revoked'] as const;
// The enums' types are their schemas' types; named here too for the code that reads these rows.
export type { ExceptionStatus, Severity, WorkflowStatus } from './schemas.ts';

export const findings = pgTable(
  'findings',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    severity: text('severity', { enum: severities }).notNull(),
    /** critical 4 … low 1: lets one index serve "most severe first" with a plain keyset. */
    severityRank: smallint('severity_rank')
      .notNull()
      .generatedAlwaysAs(
        sql`case severity when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end`,
      ),
    workflowStatus: text('workflow_status', { enum: workflowStatuses }).notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
    ownerUserId: integer('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    assigneeUserId: integer('assignee_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Until when an approved exception accepts the risk ('infinity' without expiry), null without one.
     * Kept by a trigger on finding_exceptions (migration 0001), whoever writes the exception, so lists can
     * filter on the effective workflow status through an index; it is compared with now() at read time.
     */
    riskAcceptedUntil: timestamp('risk_accepted_until', { withTimezone: true }),
    /**
     * docs/rules.md "Imports": the tool that reported the finding (`maester`, `scubagear`, a v1 file's `tool`)
     * and its check id; null for findings made in TenantPilot. (tenant, source, check_id) is the import's key.
     */
    source: text('source'),
    checkId: text('check_id'),
    /** The tool's text: markdown, untrusted (the UI renders it sanitized). */
    description: text('description'),
    evidence: text('evidence'),
    helpUrl: text('help_url'),
    /** When an import last reported this check as failed or passed. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /**
     * The tenant's workspace, for the workspace findings list's index walks (docs/rules.md "Workspace views").
     * Set from the tenant by a trigger on insert (migration findings_workspace_views), so no writer names it;
     * nullable here only because the trigger, not the insert, provides it.
     */
    workspaceId: integer('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('findings_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('findings_tenant_owner_idx').on(t.tenantId, t.ownerUserId, t.id.desc()),
    index('findings_tenant_assignee_idx').on(t.tenantId, t.assigneeUserId, t.id.desc()),
    index('findings_tenant_severity_idx').on(t.tenantId, t.severity, t.id.desc()),
    index('findings_tenant_status_idx').on(t.tenantId, t.workflowStatus, t.id.desc()),
    index('findings_owner_idx').on(t.ownerUserId, t.id.desc()),
    index('findings_assignee_idx').on(t.assigneeUserId, t.id.desc()),
    index('findings_tenant_severity_rank_idx').on(t.tenantId, t.severityRank.desc(), t.id.desc()),
    index('findings_tenant_detected_idx').on(t.tenantId, t.detectedAt.desc(), t.id.desc()),
    // "My findings" and "orphaned accountability" (owner = me / none) sorted by severity or detection time.
    index('findings_tenant_owner_severity_idx').on(
      t.tenantId,
      t.ownerUserId,
      t.severityRank.desc(),
      t.id.desc(),
    ),
    index('findings_tenant_owner_detected_idx').on(
      t.tenantId,
      t.ownerUserId,
      t.detectedAt.desc(),
      t.id.desc(),
    ),
    index('findings_tenant_risk_accepted_idx')
      .on(t.tenantId, t.id.desc())
      .where(sql`${t.riskAcceptedUntil} is not null`),
    // The workspace overview subtracts the open findings risk-accepted now from its counters: a range of this
    // index (accepted until after now) read without the table.
    index('findings_tenant_accepted_counts_idx')
      .on(t.tenantId, t.riskAcceptedUntil, t.workflowStatus, t.severity, t.ownerUserId, t.assigneeUserId)
      .where(sql`${t.riskAcceptedUntil} is not null`),
    uniqueIndex('findings_tenant_source_check_key')
      .on(t.tenantId, t.source, t.checkId)
      .where(sql`${t.source} is not null`),
    index('findings_tenant_source_idx').on(t.tenantId, t.source, t.id.desc()),
    // The workspace findings list: each of the tenant list's sorts, across tenants (workspace-findings feature).
    index('findings_workspace_id_idx').on(t.workspaceId, t.id.desc()),
    index('findings_workspace_severity_rank_idx').on(t.workspaceId, t.severityRank.desc(), t.id.desc()),
    index('findings_workspace_detected_idx').on(t.workspaceId, t.detectedAt.desc(), t.id.desc()),
    index('findings_workspace_owner_idx').on(t.workspaceId, t.ownerUserId, t.id.desc()),
    // Search: a title prefix, case-insensitive, the same on every server (text_pattern_ops: any collation).
    index('findings_workspace_title_idx').using(
      'btree',
      t.workspaceId,
      sql`lower(${t.title}) text_pattern_ops`,
    ),
    oneOf('findings_severity_check', t.severity, severities),
    oneOf('findings_workflow_status_check', t.workflowStatus, workflowStatuses),
  ],
);

export const findingExceptions = pgTable(
  'finding_exceptions',
  {
    id: serial('id').primaryKey(),
    findingId: integer('finding_id')
      .notNull()
      .references(() => findings.id, { onDelete: 'cascade' }),
    ownerUserId: integer('owner_user_id')
      .notNull()
      .references(() => users.id),
    requestedByUserId: integer('requested_by_user_id')
      .notNull()
      .references(() => users.id),
    requestReason: text('request_reason').notNull(),
    reviewDueAt: timestamp('review_due_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    status: text('status', { enum: exceptionStatuses }).notNull(),
    decidedByUserId: integer('decided_by_user_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Why it was decided: required to reject or revoke, optional to approve (docs/rules.md "Finding lifecycle"). */
    decisionNote: text('decision_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The finding's tenant, for the workspace views' counts and approval queue (docs/rules.md "Workspace
     * views"). Set from the finding by a trigger on insert (migration exceptions_tenant_trigger), so no writer
     * names it; nullable here only because the trigger, not the insert, provides it.
     */
    tenantId: integer('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('finding_exceptions_finding_idx').on(t.findingId, t.id.desc()),
    // Exceptions in force per tenant, by review date: pending counts, overdue reviews, the approval queue.
    index('finding_exceptions_tenant_review_idx')
      .on(t.tenantId, t.status, t.reviewDueAt, t.id)
      .where(sql`${t.status} in ('pending', 'approved')`),
    // One pending exception per finding, enforced by the database as well as the service.
    uniqueIndex('finding_exceptions_one_pending_key').on(t.findingId).where(sql`${t.status} = 'pending'`),
    oneOf('finding_exceptions_status_check', t.status, exceptionStatuses),
  ],
);

/**
 * docs/rules.md "Findings list": when a tenant's list pages were last changed, for the pages a server process
 * keeps (list-cache.ts). One row per tenant, and row 0 for what every tenant's list shows (people's names and
 * whether they are active, and any TRUNCATE). A change to findings, exceptions, tenant memberships or the
 * tenant notes its tenant; at commit, one statement sets each noted row to a fresh value of the sequence
 * (migration finding_list_generation_triggers), so a row never takes a value twice and concurrent writers only
 * ever wait at commit, in tenant order.
 */
export const findingListGenerationSeq = pgSequence('finding_list_generation_seq');
export const findingListGenerations = pgTable('finding_list_generations', {
  tenantId: integer('tenant_id').primaryKey(),
  generation: bigint('generation', { mode: 'number' }).notNull(),
});
