/** Shared by the support-request tests: a valid body, submit paths and row counts. */
import { count, eq } from 'drizzle-orm';
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
