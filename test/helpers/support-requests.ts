/** Shared by the support-request tests: a valid body, submit paths, row counts, what a killed server kept. */
import assert from 'node:assert/strict';
import { and, count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.ts';
import { auditEvents } from '../../src/server/features/audit/tables.ts';
import { supportRequests } from '../../src/server/features/support-requests/tables.ts';

export const validBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  severity: 'normal',
  summary: 'Nightly sync fails for the Intune tenant',
  reproduction_notes: 'Open the run, see the error',
  contact_name: 'Dana Operator',
  contact_email: 'dana@example.test',
  handoff_mode: 'internal_only',
  ...overrides,
});

export const tenantSubmitUrl = (tenant: string) => `/admin/t/${tenant}/support-requests/actions/submit`;
export const runSubmitUrl = (run: number | string) =>
  `/admin/operations/${run}/support-requests/actions/submit`;

/** Rows in the support-request and audit tables: a refused submission must change neither. */
export async function countWrites(db: Db): Promise<{ requests: number; audits: number }> {
  const [requests] = await db.select({ n: count() }).from(supportRequests);
  const [audits] = await db.select({ n: count() }).from(auditEvents);
  return { requests: requests?.n ?? 0, audits: audits?.n ?? 0 };
}

export function auditEventsOf(db: Db, supportRequestId: number) {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.subjectId, String(supportRequestId)))
    .orderBy(auditEvents.id)
    .then((rows) => rows.filter((row) => row.subjectType === 'support_request'));
}

/** Every acknowledged submission is in the database as it was sent, with its audit event. */
export async function assertStoredWithAudit(db: Db, acknowledged: { id: number; summary: string }[]) {
  const ids = acknowledged.map((write) => write.id);
  const stored = await db
    .select({ id: supportRequests.id, summary: supportRequests.summary })
    .from(supportRequests)
    .where(inArray(supportRequests.id, ids));
  assert.deepEqual(
    new Map(stored.map((row) => [row.id, row.summary])),
    new Map(acknowledged.map((write) => [write.id, write.summary])),
    'every acknowledged request is stored as sent',
  );
  const audited = await db
    .selectDistinct({ subjectId: auditEvents.subjectId })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.subjectType, 'support_request'),
        inArray(
          auditEvents.subjectId,
          ids.map((id) => String(id)),
        ),
      ),
    );
  assert.equal(audited.length, ids.length, 'every acknowledged request has its audit event');
}
