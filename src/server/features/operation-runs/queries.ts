import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { newestFirst } from '../../db/order.ts';
import { tenants, workspaces } from '../tenancy/tables.ts';
import { operationRuns, type RunOutcome, type RunStatus } from './tables.ts';

const runColumns = {
  id: operationRuns.id,
  type: operationRuns.type,
  status: operationRuns.status,
  outcome: operationRuns.outcome,
  summary: operationRuns.summary,
  startedAt: operationRuns.startedAt,
  completedAt: operationRuns.completedAt,
  workspaceId: workspaces.id,
  workspaceSlug: workspaces.slug,
  workspaceName: workspaces.name,
  tenantId: tenants.id,
  tenantExternalId: tenants.externalId,
  tenantName: tenants.name,
};

export type RunRow = Awaited<ReturnType<typeof getRunRow>>;

function selectRuns(db: Db) {
  return db
    .select(runColumns)
    .from(operationRuns)
    .innerJoin(workspaces, eq(workspaces.id, operationRuns.workspaceId))
    .leftJoin(tenants, eq(tenants.id, operationRuns.tenantId));
}

export async function getRunRow(db: Db, runId: number) {
  const [row] = await selectRuns(db).where(eq(operationRuns.id, runId)).limit(1);
  if (!row) throw new Error(`operation run ${runId} vanished after access was resolved`);
  return row;
}

export interface RunFilter {
  status?: RunStatus | undefined;
  outcome?: RunOutcome | undefined;
  type?: string | undefined;
}

/** Newest first, keyset on id (served by the (tenant_id, …, id desc) indexes). */
export function listTenantRuns(
  db: Db,
  tenantId: number,
  filter: RunFilter,
  afterId: number | null,
  limit: number,
) {
  const conditions: SQL[] = [eq(operationRuns.tenantId, tenantId)];
  if (filter.status) conditions.push(eq(operationRuns.status, filter.status));
  if (filter.outcome) conditions.push(eq(operationRuns.outcome, filter.outcome));
  if (filter.type) conditions.push(eq(operationRuns.type, filter.type));
  if (afterId !== null) conditions.push(sql`${operationRuns.id} < ${afterId}`);
  return selectRuns(db)
    .where(and(...conditions))
    .orderBy(newestFirst(operationRuns.id))
    .limit(limit);
}

/** The run's workspace and tenant (null for a workspace-level run), for resolving access to it. */
export async function findRunPlacement(db: Db, runId: number) {
  const [row] = await db
    .select({ tenantId: operationRuns.tenantId, workspaceId: operationRuns.workspaceId })
    .from(operationRuns)
    .where(eq(operationRuns.id, runId))
    .limit(1);
  return row;
}
