import { sql } from 'drizzle-orm';
import { AppError } from '../../core/errors.ts';
import type { TenantScope } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { type AuditEvent, actedIn, recordAuditEvents } from '../audit/record.ts';
import { tenantFindingsPage } from './list-queries.ts';
import { applyResponsibilityChange, assertSettableStatus, judgeTransition } from './rules.ts';
import {
  BULK_FILTER_MAX,
  type BulkChangeBody,
  type BulkChangeResult,
  type BulkOutcome,
  type FindingCount,
  type FindingListFilters,
} from './schemas.ts';
import { resolveListQuery } from './service.ts';
import { findings } from './tables.ts';
import {
  assertActiveMembers,
  effectiveStatusOf,
  intArray,
  type LockedFinding,
  lockFindings,
} from './write-queries.ts';

type Change = BulkChangeBody['change'];
type Result = BulkChangeResult['results'][number];

/** docs/rules.md "Finding lifecycle", bulk: the capability follows the change (judged on the body as sent). */
export function bulkCapabilities(body: unknown) {
  const change = (body as { change?: Record<string, unknown> } | null)?.change ?? {};
  const needed: ('findings.assign' | 'findings.triage')[] = [];
  if ('owner_user_id' in change || 'assignee_user_id' in change) needed.push('findings.assign');
  if ('workflow_status' in change || needed.length === 0) needed.push('findings.triage');
  return needed;
}

/** What a schema cannot say: exactly one of finding_ids and filter, and a change that changes something. */
export function bulkBodyRules(body: unknown): Record<string, string> {
  const given = (body ?? {}) as { finding_ids?: unknown; filter?: unknown; change?: Record<string, unknown> };
  const fields: Record<string, string> = {};
  if ((given.finding_ids === undefined) === (given.filter === undefined)) {
    fields.finding_ids = 'give either finding_ids or filter';
  }
  const change = given.change ?? {};
  if (!['owner_user_id', 'assignee_user_id', 'workflow_status'].some((key) => key in change)) {
    fields.change = 'must set owner_user_id, assignee_user_id or workflow_status';
  }
  if (typeof change.note === 'string' && change.note.includes('\u0000'))
    fields.note = 'must not contain a NUL character';
  return fields;
}

/** The ids of the findings the list's filters match, in its sort, at most `limit` of them. */
async function matchingIds(
  scope: TenantScope,
  filters: FindingListFilters,
  limit: number,
): Promise<number[]> {
  const { filter, sort, now, gapOwnerIds } = await resolveListQuery(scope, filters);
  const page = tenantFindingsPage({
    tenantId: scope.tenant.id,
    filter,
    sort,
    after: null,
    limit,
    now,
    gapOwnerIds,
  });
  const rows = await scope.db.select({ id: sql<number>`p.id`.mapWith(Number) }).from(page.as('p'));
  return rows.map((row) => row.id);
}

/** How many findings the list's filters match, up to what a bulk change takes: "select all N matching". */
export async function countMatchingFindings(
  scope: TenantScope,
  filters: FindingListFilters,
): Promise<FindingCount> {
  const ids = await matchingIds(scope, filters, BULK_FILTER_MAX + 1);
  return {
    count: Math.min(ids.length, BULK_FILTER_MAX),
    more: ids.length > BULK_FILTER_MAX,
    limit: BULK_FILTER_MAX,
  };
}

/** The findings a filter matches, in its sort, refusing more than BULK_FILTER_MAX (422) before anything is locked. */
async function idsOfFilter(scope: TenantScope, filter: FindingListFilters): Promise<number[]> {
  const ids = await matchingIds(scope, filter, BULK_FILTER_MAX + 1);
  if (ids.length > BULK_FILTER_MAX) {
    throw new AppError('invalid', 'The request has invalid fields', {
      filter: `matches more than ${BULK_FILTER_MAX.toLocaleString('en')} findings: narrow it`,
    });
  }
  return ids;
}

interface Verdict {
  outcome: BulkOutcome;
  reason: string | null;
  row?: LockedFinding;
  responsibilityChanged?: boolean;
  statusChanged?: boolean;
}

/** One finding judged exactly as a single change would be: transitions by effective status, responsibility by its fields. */
function judge(row: LockedFinding | undefined, change: Change, now: Date): Verdict {
  if (!row) return { outcome: 'refused', reason: 'not found' };
  const next = applyResponsibilityChange(row, change);
  const responsibilityChanged =
    next.ownerUserId !== row.ownerUserId || next.assigneeUserId !== row.assigneeUserId;
  let statusChanged = false;
  if (change.workflow_status !== undefined) {
    const verdict = judgeTransition(effectiveStatusOf(row, now), change.workflow_status);
    if (verdict.outcome === 'refused') return { outcome: 'refused', reason: verdict.reason };
    statusChanged = verdict.outcome === 'changed';
  }
  if (!responsibilityChanged && !statusChanged)
    return { outcome: 'unchanged', reason: 'already as requested' };
  return { outcome: 'changed', reason: null, row, responsibilityChanged, statusChanged };
}

function auditOf(scope: TenantScope, change: Change, verdict: Verdict, now: Date): AuditEvent {
  const row = verdict.row as LockedFinding;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = { bulk: true };
  if (verdict.responsibilityChanged) {
    const next = applyResponsibilityChange(row, change);
    Object.assign(before, { owner_user_id: row.ownerUserId, assignee_user_id: row.assigneeUserId });
    Object.assign(after, { owner_user_id: next.ownerUserId, assignee_user_id: next.assigneeUserId });
  }
  if (verdict.statusChanged) {
    before.workflow_status = effectiveStatusOf(row, now);
    Object.assign(after, { workflow_status: change.workflow_status, note: change.note ?? null });
  }
  const action =
    verdict.responsibilityChanged && verdict.statusChanged
      ? 'finding.changed'
      : verdict.statusChanged
        ? 'finding.status_changed'
        : 'finding.responsibility_changed';
  return { ...actedIn(scope), action, subjectType: 'finding', subjectId: row.id, before, after };
}

/** One UPDATE for every changed finding: the change is the same for each of them. */
async function saveBulk(tx: Db, ids: number[], change: Change): Promise<void> {
  if (ids.length === 0) return;
  const set: Partial<typeof findings.$inferInsert> = { updatedAt: sql`now()` as unknown as Date };
  if (change.owner_user_id !== undefined) set.ownerUserId = change.owner_user_id;
  if (change.assignee_user_id !== undefined) set.assigneeUserId = change.assignee_user_id;
  if (change.workflow_status !== undefined) set.workflowStatus = change.workflow_status;
  await tx
    .update(findings)
    .set(set)
    .where(sql`${findings.id} = any(${intArray(ids)})`);
}

/**
 * docs/rules.md "Finding lifecycle", bulk change: every finding asked for is judged like a single change against
 * its locked row (no lost update: the rows are locked in id order in one statement), the changed ones written
 * with one UPDATE and one audit event each, in one transaction. Set-based: a handful of statements for 1,000.
 */
export async function bulkChangeFindings(
  scope: TenantScope,
  body: BulkChangeBody,
): Promise<BulkChangeResult> {
  const { change } = body;
  if (change.workflow_status !== undefined) assertSettableStatus(change.workflow_status);
  await assertActiveMembers(scope.db, scope.tenant.id, {
    owner_user_id: change.owner_user_id,
    assignee_user_id: change.assignee_user_id,
  });
  const ids = body.filter ? await idsOfFilter(scope, body.filter) : [...new Set(body.finding_ids ?? [])];
  const now = new Date();
  const verdicts = await scope.db.transaction(async (tx) => {
    const locked = new Map((await lockFindings(tx, scope.tenant.id, ids)).map((row) => [row.id, row]));
    const judged = ids.map((id) => ({ id, ...judge(locked.get(id), change, now) }));
    const changed = judged.filter((verdict) => verdict.outcome === 'changed');
    await saveBulk(
      tx,
      changed.map((verdict) => verdict.id),
      change,
    );
    await recordAuditEvents(
      tx,
      changed.map((verdict) => auditOf(scope, change, verdict, now)),
    );
    return judged;
  });
  const results: Result[] = verdicts.map(({ id, outcome, reason }) => ({ finding_id: id, outcome, reason }));
  const count = (outcome: BulkOutcome) => results.filter((result) => result.outcome === outcome).length;
  return { results, changed: count('changed'), unchanged: count('unchanged'), refused: count('refused') };
}
