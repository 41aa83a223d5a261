import { sql } from 'drizzle-orm';
import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { oneOf } from '../../db/checks.ts';
import { tenants, workspaces } from '../tenancy/tables.ts';

export const runStatuses = ['queued', 'running', 'completed'] as const;
export const runOutcomes = ['succeeded', 'partially_succeeded', 'failed'] as const;
// The enums' types are their schemas' types; named here too for the code that reads these rows.
export type { RunOutcome, RunStatus } from './schemas.ts';

export const operationRuns = pgTable(
  'operation_runs',
  {
    id: serial('id').primaryKey(),
    workspaceId: integer('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** Null for workspace-level runs. */
    tenantId: integer('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    status: text('status', { enum: runStatuses }).notNull(),
    outcome: text('outcome', { enum: runOutcomes }),
    summary: text('summary'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * docs/rules.md "Imports": the assessment an imported run came from (`maester:<ExecutedAt>`,
     * `scubagear:<ReportUUID>`, `v1:<tool>:<run.key>`); importing it again answers this run.
     */
    importKey: text('import_key'),
  },
  (t) => [
    // Newest-first keyset pages of a tenant's runs, unfiltered and filtered by status or outcome.
    index('operation_runs_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('operation_runs_tenant_status_idx').on(t.tenantId, t.status, t.id.desc()),
    index('operation_runs_tenant_outcome_idx').on(t.tenantId, t.outcome, t.id.desc()),
    uniqueIndex('operation_runs_tenant_import_key')
      .on(t.tenantId, t.importKey)
      .where(sql`${t.importKey} is not null`),
    index('operation_runs_workspace_idx').on(t.workspaceId, t.id.desc()).where(sql`${t.tenantId} is null`),
    oneOf('operation_runs_status_check', t.status, runStatuses),
    oneOf('operation_runs_outcome_check', t.outcome, runOutcomes),
  ],
);
