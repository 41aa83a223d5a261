import { and, eq, gt, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { isoMicros } from '../findings/item-queries.ts';
import { findingExceptions, findings } from '../findings/tables.ts';
import { tenants } from '../tenancy/tables.ts';
import { shownAt } from './queries.ts';
import type { QueueStatus } from './rules.ts';

const e = findingExceptions;
const f = findings;

/** Where the previous page ended: the review date (microseconds, as compared) and the exception id. */
export type QueueKey = { due: string; id: number };

/** The effective exception status (rules.effectiveExceptionStatus), as a filter at `now`. */
function statusCondition(status: QueueStatus | null, now: Date): SQL | undefined {
  if (status === null) return undefined;
  const unexpired = or(isNull(e.expiresAt), gt(e.expiresAt, now));
  if (status === 'approved') return and(eq(e.status, 'approved'), unexpired);
  if (status === 'expired') return and(eq(e.status, 'approved'), lte(e.expiresAt, now));
  return eq(e.status, status);
}

export interface QueueInput {
  tenantIds: number[];
  /** Null: any (with overdueOnly, every exception still shown: pending or approved). */
  status: QueueStatus | null;
  overdueOnly: boolean;
  after: QueueKey | null;
  limit: number;
  now: Date;
}

/**
 * One page of the approval queue: the tenants' exceptions in a status, the review that is due first on top.
 * Pending exceptions come through finding_exceptions_one_pending_key (a partial index of the pending ones).
 */
export function listQueueRows(db: Db, input: QueueInput) {
  const { now } = input;
  return db
    .select({
      id: e.id,
      due_key: isoMicros(e.reviewDueAt),
      finding_id: f.id,
      title: f.title,
      severity: f.severity,
      tenant_external_id: tenants.externalId,
      tenant_name: tenants.name,
    })
    .from(e)
    .innerJoin(f, eq(f.id, e.findingId))
    .innerJoin(tenants, eq(tenants.id, f.tenantId))
    .where(
      and(
        inArray(e.tenantId, input.tenantIds),
        statusCondition(input.status, now),
        input.overdueOnly ? and(shownAt(now), lte(e.reviewDueAt, now)) : undefined,
        input.after
          ? sql`(${e.reviewDueAt}, ${e.id}) > (${input.after.due}::timestamptz, ${input.after.id})`
          : undefined,
      ),
    )
    .orderBy(e.reviewDueAt, e.id)
    .limit(input.limit);
}
export type QueueRow = Awaited<ReturnType<typeof listQueueRows>>[number];
