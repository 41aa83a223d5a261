// The writing half of the fixture loader: every collection inserted set-based, in the order references need.
import { sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type Db, queryRows, runsConcurrently } from '../../db/client.ts';
import { findingExceptions, findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { type BulkColumn, drawIds, insertRows } from './bulk-insert.ts';
import { digestSecret, hashPassword } from './credentials.ts';
import type { Fixture } from './fixture-schema.ts';
import { withIndexesRebuilt } from './index-rebuild.ts';
import { apiTokens, tenantMemberships, tenants, users, workspaceMemberships, workspaces } from './tables.ts';

function byKey(records: { key: string }[], ids: number[]): Record<string, number> {
  return Object.fromEntries(records.map((record, i) => [record.key, ids[i] as number]));
}

/** Timestamps as ISO 8601 text, read the way the JavaScript Date reads them. */
const iso = (value: string | null | undefined): string | null =>
  value ? new Date(value).toISOString() : null;

/** Looks up an id that checkFixture has already proven exists. */
function idOf(ids: Record<string, number>, key: string): number {
  const id = ids[key];
  if (id === undefined) throw new Error(`fixture key ${JSON.stringify(key)} has no id`);
  return id;
}

export interface LoadOptions {
  /** Rows per INSERT statement. */
  batchSize?: number;
  /**
   * From how many findings a load into a table holding fewer rebuilds the findings indexes instead of updating
   * them row by row (index-rebuild.ts).
   */
  rebuildIndexesFrom?: number;
}

export const REBUILD_INDEXES_FROM = 10_000;

/** Draws one id per keyed record, inserts them with those ids, and maps each key to its id. */
async function insertKeyed<R extends { key: string }, T>(
  db: Db,
  table: Parameters<typeof drawIds>[1],
  records: R[],
  rows: T[],
  columns: BulkColumn<T & { id: number }>[],
  batchSize: number,
): Promise<Record<string, number>> {
  const ids = await drawIds(db, table, records.length);
  const withIds = rows.map((row, i) => ({ ...row, id: ids[i] as number }));
  await insertRows(db, table, withIds, columns, batchSize);
  return byKey(records, ids);
}

function int<R>(column: PgColumn, value: (row: R) => number | null): BulkColumn<R> {
  return { column, type: 'int4', value };
}
function text<R>(column: PgColumn, value: (row: R) => string | null): BulkColumn<R> {
  return { column, type: 'text', value };
}
function time<R>(column: PgColumn, value: (row: R) => string | null): BulkColumn<R> {
  return { column, type: 'timestamptz', value };
}
const idColumn = <R extends { id: number }>(column: PgColumn) => int<R>(column, (r) => r.id);

export async function writeTenancy(db: Db, data: Fixture, batchSize: number) {
  const ws = data.workspaces ?? [];
  const workspaceIds = await insertKeyed(
    db,
    workspaces,
    ws,
    ws,
    [
      idColumn(workspaces.id),
      text(workspaces.slug, (w) => w.slug ?? w.key),
      text(workspaces.name, (w) => w.name),
    ],
    batchSize,
  );
  const us = data.users ?? [];
  const hashes = await Promise.all(
    us.map((u) => (u.password === undefined ? null : hashPassword(u.password))),
  );
  const userRows = us.map((u, i) => ({ ...u, passwordHash: hashes[i] ?? null }));
  const userIds = await insertKeyed(
    db,
    users,
    us,
    userRows,
    [
      idColumn(users.id),
      text(users.email, (u) => u.email),
      text(users.displayName, (u) => u.display_name),
      text(users.passwordHash, (u) => u.passwordHash),
      { column: users.active, type: 'bool', value: (u) => u.active ?? true },
    ],
    batchSize,
  );
  const tokens = us.flatMap((u) =>
    u.api_token === undefined ? [] : [{ userId: idOf(userIds, u.key), tokenHash: digestSecret(u.api_token) }],
  );
  await insertRows(
    db,
    apiTokens,
    tokens,
    [
      int(apiTokens.userId, (t) => t.userId),
      text(apiTokens.name, () => 'fixture'),
      text(apiTokens.tokenHash, (t) => t.tokenHash),
    ],
    batchSize,
  );
  await insertRows(
    db,
    workspaceMemberships,
    data.workspace_memberships ?? [],
    [
      int(workspaceMemberships.workspaceId, (m) => idOf(workspaceIds, m.workspace)),
      int(workspaceMemberships.userId, (m) => idOf(userIds, m.user)),
      text(workspaceMemberships.role, (m) => m.role),
    ],
    batchSize,
  );
  const ts = data.tenants ?? [];
  const tenantIds = await insertKeyed(
    db,
    tenants,
    ts,
    ts,
    [
      idColumn(tenants.id),
      int(tenants.workspaceId, (t) => idOf(workspaceIds, t.workspace)),
      text(tenants.externalId, (t) => t.external_id),
      text(tenants.name, (t) => t.name),
    ],
    batchSize,
  );
  const tenantWorkspace = new Map(ts.map((t) => [t.key, idOf(workspaceIds, t.workspace)]));
  await insertRows(
    db,
    tenantMemberships,
    data.tenant_memberships ?? [],
    [
      int(tenantMemberships.tenantId, (m) => idOf(tenantIds, m.tenant)),
      int(tenantMemberships.workspaceId, (m) => tenantWorkspace.get(m.tenant) as number),
      int(tenantMemberships.userId, (m) => idOf(userIds, m.user)),
      text(tenantMemberships.role, (m) => m.role),
    ],
    batchSize,
  );
  return { workspaceIds, userIds, tenantIds };
}

export async function writeWork(
  db: Db,
  data: Fixture,
  ids: Awaited<ReturnType<typeof writeTenancy>>,
  options: { batchSize: number; rebuildIndexes: boolean },
) {
  const { workspaceIds, userIds, tenantIds } = ids;
  const tenantWorkspace = new Map((data.tenants ?? []).map((t) => [t.key, idOf(workspaceIds, t.workspace)]));
  const { batchSize } = options;
  const userOrNull = (key: string | null | undefined) => (key == null ? null : idOf(userIds, key));
  const runs = data.operation_runs ?? [];
  const runIds = await insertKeyed(
    db,
    operationRuns,
    runs,
    runs,
    [
      idColumn(operationRuns.id),
      int(operationRuns.workspaceId, (r) => idOf(workspaceIds, r.workspace)),
      int(operationRuns.tenantId, (r) => (r.tenant == null ? null : idOf(tenantIds, r.tenant))),
      text(operationRuns.type, (r) => r.type),
      text(operationRuns.status, (r) => r.status),
      text(operationRuns.outcome, (r) => r.outcome ?? null),
      text(operationRuns.summary, (r) => r.summary ?? null),
      time(operationRuns.startedAt, (r) => iso(r.started_at)),
      time(operationRuns.completedAt, (r) => iso(r.completed_at)),
    ],
    batchSize,
  );
  const fixtureFindings = data.findings ?? [];
  const insertFindings = () =>
    insertKeyed(
      db,
      findings,
      fixtureFindings,
      fixtureFindings,
      [
        idColumn(findings.id),
        int(findings.tenantId, (f) => idOf(tenantIds, f.tenant)),
        // What the findings_set_workspace_id trigger sets: the tenant's workspace (written for the rebuild below).
        int(findings.workspaceId, (f) => tenantWorkspace.get(f.tenant) as number),
        text(findings.title, (f) => f.title),
        text(findings.severity, (f) => f.severity),
        text(findings.workflowStatus, (f) => f.workflow_status),
        // Without a detection time the column's own default, now(), as an insert omitting it would get.
        {
          ...time(findings.detectedAt, (f) => iso(f.detected_at)),
          expression: (v) => sql`coalesce(${v}, now())`,
        },
        int(findings.ownerUserId, (f) => userOrNull(f.owner)),
        int(findings.assigneeUserId, (f) => userOrNull(f.assignee)),
      ],
      batchSize,
    );
  const findingIds = options.rebuildIndexes
    ? await withIndexesRebuilt(
        db,
        findings,
        // Foreign keys stay on PostgreSQL: dropping them would lock users and tenants against every other
        // session, and natively their checks cost little. PGlite has no other session, and pays most for them.
        { foreignKeys: !runsConcurrently(db), triggersProvided: ['findings_set_workspace_id'] },
        insertFindings,
      )
    : await insertFindings();
  const exceptions = data.finding_exceptions ?? [];
  const exceptionIds = await insertKeyed(
    db,
    findingExceptions,
    exceptions,
    exceptions,
    [
      idColumn(findingExceptions.id),
      int(findingExceptions.findingId, (e) => idOf(findingIds, e.finding)),
      int(findingExceptions.ownerUserId, (e) => idOf(userIds, e.owner)),
      int(findingExceptions.requestedByUserId, (e) => idOf(userIds, e.requested_by)),
      text(findingExceptions.requestReason, (e) => e.request_reason),
      time(findingExceptions.reviewDueAt, (e) => iso(e.review_due_at)),
      time(findingExceptions.expiresAt, (e) => iso(e.expires_at)),
      text(findingExceptions.status, (e) => e.status),
    ],
    batchSize,
  );
  return { runIds, findingIds, exceptionIds };
}

/**
 * Whether loading `count` findings rebuilds the findings indexes: only for a load at least as large as what
 * the table holds already, where one sorted build per index beats updating each index row by row.
 */
export async function rebuildsIndexes(db: Db, count: number, from: number): Promise<boolean> {
  if (count < from) return false;
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from (select 1 from ${findings} limit ${count}) held`,
  );
  return Number(row?.n) < count;
}
