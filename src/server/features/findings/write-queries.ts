import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../core/errors.ts';
import { instantSql } from '../../db/built-once.ts';
import type { Db } from '../../db/client.ts';
import { tenantMemberships, users } from '../tenancy/tables.ts';
import { effectiveWorkflowStatus, NOT_AN_ACTIVE_MEMBER, type Responsibility } from './rules.ts';
import type { WorkflowStatus } from './schemas.ts';
import { findingExceptions, findings } from './tables.ts';

/** What a change judges a finding by: its responsibility and the parts of its effective status. */
export interface LockedFinding extends Responsibility {
  id: number;
  workflowStatus: WorkflowStatus;
  /** Epoch ms of risk_accepted_until (Infinity for an approval without expiry), null without one. */
  riskAcceptedUntil: number | null;
}

const lockedFields = {
  id: findings.id,
  ownerUserId: findings.ownerUserId,
  assigneeUserId: findings.assigneeUserId,
  workflowStatus: findings.workflowStatus,
  riskAcceptedUntil: sql<
    number | null
  >`(extract(epoch from ${findings.riskAcceptedUntil}) * 1000)::float8`.mapWith(
    (value: number | string | null) => (value === null ? null : Number(value)),
  ),
};

/** The effective status of a locked finding at `now` (docs/rules.md "Finding lifecycle"). */
export const effectiveStatusOf = (row: LockedFinding, now: Date) =>
  effectiveWorkflowStatus(row.workflowStatus, row.riskAcceptedUntil, now);

/**
 * The tenant's findings among `ids`, locked in id order (one statement, one order: two bulk writers never
 * deadlock, and a single writer waits for the bulk or the bulk for it). Ids of other tenants are not returned.
 */
export async function lockFindings(
  tx: Db,
  tenantId: number,
  ids: readonly number[],
): Promise<LockedFinding[]> {
  if (ids.length === 0) return [];
  return tx
    .select(lockedFields)
    .from(findings)
    .where(and(eq(findings.tenantId, tenantId), sql`${findings.id} = any(${intArray(ids)})`))
    .orderBy(findings.id)
    .for('update');
}

/** A list of integers as one array parameter: one bind value however many ids, on both drivers. */
export const intArray = (ids: readonly number[]) => sql`${`{${ids.join(',')}}`}::int[]`;

/**
 * Locks the finding row for the rest of the transaction (SELECT … FOR UPDATE): concurrent changes of one
 * finding queue here, and each one classifies against the state the previous one committed.
 */
export async function lockFinding(tx: Db, tenantId: number, findingId: number): Promise<LockedFinding> {
  const [row] = await tx
    .select(lockedFields)
    .from(findings)
    .where(and(eq(findings.id, findingId), eq(findings.tenantId, tenantId)))
    .for('update');
  if (!row) throw new AppError('not_found', 'Not found');
  return row;
}

/**
 * Every named person must be an active member of the tenant. One message for unknown users, non-members and
 * inactive members alike, so the answer says nothing about who exists elsewhere.
 */
export async function assertActiveMembers(
  tx: Db,
  tenantId: number,
  named: Record<string, number | null | undefined>,
): Promise<void> {
  const ids = [...new Set(Object.values(named).filter((id): id is number => typeof id === 'number'))];
  if (ids.length === 0) return;
  const rows = await tx
    .select({ id: tenantMemberships.userId })
    .from(tenantMemberships)
    .innerJoin(users, eq(users.id, tenantMemberships.userId))
    .where(
      and(
        eq(tenantMemberships.tenantId, tenantId),
        inArray(tenantMemberships.userId, ids),
        eq(users.active, true),
      ),
    );
  const members = new Set(rows.map((row) => row.id));
  const fields: Record<string, string> = {};
  for (const [field, id] of Object.entries(named)) {
    if (typeof id === 'number' && !members.has(id)) fields[field] = NOT_AN_ACTIVE_MEMBER;
  }
  if (Object.keys(fields).length > 0) throw new AppError('invalid', 'The request has invalid fields', fields);
}

export async function saveWorkflowStatus(tx: Db, findingId: number, status: WorkflowStatus): Promise<void> {
  await tx
    .update(findings)
    .set({ workflowStatus: status, updatedAt: sql`now()` })
    .where(eq(findings.id, findingId));
}

export async function saveResponsibility(tx: Db, findingId: number, next: Responsibility): Promise<void> {
  await tx
    .update(findings)
    .set({ ownerUserId: next.ownerUserId, assigneeUserId: next.assigneeUserId, updatedAt: sql`now()` })
    .where(eq(findings.id, findingId));
}

/** The exception that blocks a new request: pending, or approved and unexpired (newest first). */
export async function findBlockingException(tx: Db, findingId: number, now: Date) {
  const [row] = await tx
    .select({ id: findingExceptions.id, status: findingExceptions.status })
    .from(findingExceptions)
    .where(
      and(
        eq(findingExceptions.findingId, findingId),
        sql`(${findingExceptions.status} = 'pending' or (${findingExceptions.status} = 'approved' and
          (${findingExceptions.expiresAt} is null or ${findingExceptions.expiresAt} > ${instantSql(now)})))`,
      ),
    )
    .orderBy(sql`${findingExceptions.id} desc`)
    .limit(1);
  return row;
}

export async function insertPendingException(
  tx: Db,
  values: {
    findingId: number;
    ownerUserId: number;
    requestedByUserId: number;
    requestReason: string;
    reviewDueAt: Date;
    expiresAt: Date | null;
  },
): Promise<number> {
  const [row] = await tx
    .insert(findingExceptions)
    .values({ ...values, status: 'pending' })
    .returning({ id: findingExceptions.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

/** The exception, locked, when it belongs to this finding; another finding's exception is not found. */
export async function lockException(tx: Db, findingId: number, exceptionId: number) {
  const [row] = await tx
    .select()
    .from(findingExceptions)
    .where(and(eq(findingExceptions.id, exceptionId), eq(findingExceptions.findingId, findingId)))
    .for('update');
  if (!row) throw new AppError('not_found', 'Not found');
  return row;
}

export async function saveDecision(
  tx: Db,
  exceptionId: number,
  decision: {
    status: 'approved' | 'rejected' | 'revoked';
    decidedByUserId: number;
    decisionNote: string | null;
  },
): Promise<void> {
  await tx
    .update(findingExceptions)
    .set({ ...decision, decidedAt: sql`now()` })
    .where(eq(findingExceptions.id, exceptionId));
}
