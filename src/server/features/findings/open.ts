import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { type Instant, instantSql } from '../../db/built-once.ts';
import type { WorkflowStatus } from './schemas.ts';
import { findings } from './tables.ts';

/**
 * docs/rules.md "Finding lifecycle": what an open finding is, said once. Every count (dashboard, accountability
 * gap, workspace overview), the default list filter and My work use these; nothing else spells the statuses out.
 */
export const OPEN_STATUSES = [
  'new',
  'triaged',
  'in_progress',
  'reopened',
] as const satisfies readonly WorkflowStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** Whether an *effective* status (rules.effectiveWorkflowStatus) is open. */
export function isOpenStatus(status: WorkflowStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly WorkflowStatus[]).includes(status);
}

/** The finding columns the condition reads: of the table itself, or of an alias/subquery of it. */
export interface StatusColumns {
  workflowStatus: AnyColumn;
  riskAcceptedUntil: AnyColumn;
}

/** The stored statuses that read as open while no approved exception is live: a bare stored `risk_accepted` reads as `reopened`. */
const STORED_OPEN = [...OPEN_STATUSES, 'risk_accepted'] as const;

/**
 * An open finding by its effective status, in SQL: stored status open (or a stored `risk_accepted` without a
 * live exception, which reads as `reopened`) and not risk-accepted now (risk_accepted_until, kept by the
 * exceptions trigger, not ahead of `now`). `now` is a parameter so one request judges every row at one instant.
 */
export function openCondition(now: Instant, columns: StatusColumns = findings): SQL {
  const stored = sql.join(
    STORED_OPEN.map((status) => sql`${status}`),
    sql`, `,
  );
  return sql`(${columns.workflowStatus} in (${stored}) and (${columns.riskAcceptedUntil} is null or ${columns.riskAcceptedUntil} <= ${instantSql(now)}))`;
}

/** The effective status as SQL text, for reads that show it without hydrating (CSV rows, counts by status). */
export function effectiveStatusSql(now: Date, columns: StatusColumns = findings): SQL<WorkflowStatus> {
  return sql<WorkflowStatus>`(case
    when ${columns.riskAcceptedUntil} > ${instantSql(now)} then 'risk_accepted'
    when ${columns.workflowStatus} = 'risk_accepted' then 'reopened'
    else ${columns.workflowStatus} end)`;
}
