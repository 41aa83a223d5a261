import { index, integer, pgTable, serial } from 'drizzle-orm/pg-core';

/**
 * docs/rules.md "Workspace views": the overview's per-tenant counts, kept in the transaction of every change
 * to findings by statement triggers (migration workspace_finding_counters), whoever writes them (the services,
 * imports, bulk changes, the fixture loader). Rows are deltas: a trigger only ever inserts, so concurrent
 * writers never wait on a shared counter row (nor deadlock on two); the sum of a tenant's rows per owner is
 * the count, and the overview folds them into one row per (tenant, owner) now and then
 * (queries.foldFindingCounters). "Open" here is the *stored* status (open, or a stored risk_accepted, which
 * reads as reopened): risk acceptance moves with the clock, so the overview subtracts the findings accepted
 * at the moment it reads.
 */
export const findingCounters = pgTable(
  'finding_counters',
  {
    id: serial('id').primaryKey(),
    tenantId: integer('tenant_id').notNull(),
    /** The owner's user id, 0 for no owner (a key, not a reference: a deleted user's rows stay counted as theirs). */
    ownerKey: integer('owner_key').notNull(),
    /** Every finding, whatever its status: the owners the accountability-gap filter must look at. */
    total: integer('total').notNull().default(0),
    openCritical: integer('open_critical').notNull().default(0),
    openHigh: integer('open_high').notNull().default(0),
    openMedium: integer('open_medium').notNull().default(0),
    openLow: integer('open_low').notNull().default(0),
    /** Open findings without an assignee. */
    openUnassigned: integer('open_unassigned').notNull().default(0),
  },
  (t) => [index('finding_counters_tenant_idx').on(t.tenantId, t.ownerKey)],
);
