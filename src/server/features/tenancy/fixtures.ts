import fs from 'node:fs/promises';
import { inArray, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../../core/errors.ts';
import { type Db, queryRows, runsConcurrently } from '../../db/client.ts';
import { findingExceptions, findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { type BulkColumn, DEFAULT_BATCH_SIZE, drawIds, insertRows } from './bulk-insert.ts';
import { digestSecret, hashPassword } from './credentials.ts';
import { checkFixture, type ExistingData } from './fixture-checks.ts';
import { type Fixture, validateFixtureSchema } from './fixture-schema.ts';
import { withIndexesRebuilt } from './index-rebuild.ts';
import { apiTokens, tenantMemberships, tenants, users, workspaceMemberships, workspaces } from './tables.ts';

export type { Fixture } from './fixture-schema.ts';

/** For each keyed collection present in the file, the id each key got. */
export type FixtureIds = Record<string, Record<string, number>>;

const SHOWN_PROBLEMS = 5;

/** A fixture file that cannot be loaded. `problems` lists every problem; the message, the first few on one line. */
export class FixtureError extends AppError {
  readonly problems: string[];
  constructor(problems: string[]) {
    const more = problems.length - SHOWN_PROBLEMS;
    const shown = problems.slice(0, SHOWN_PROBLEMS).join('; ');
    super('invalid', more > 0 ? `${shown}; and ${more} more problem${more === 1 ? '' : 's'}` : shown);
    this.name = 'FixtureError';
    this.problems = problems;
  }
}

/** Reads and parses a fixture file; unreadable or non-JSON files become a FixtureError naming the path. */
export async function readFixtureFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new FixtureError([`cannot read ${file}: ${reason}`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FixtureError([`${file} is not valid JSON: ${(error as Error).message}`]);
  }
}

/** The subset of `values` the database already holds, by a query given the (non-empty) list. */
async function present(
  values: string[],
  query: (values: string[]) => Promise<{ v: string }[]>,
): Promise<Set<string>> {
  return new Set(values.length ? (await query(values)).map((row) => row.v) : []);
}

async function readExisting(db: Db, data: Fixture): Promise<ExistingData> {
  const fixtureUsers = data.users ?? [];
  const lowerEmail = sql<string>`lower(${users.email})`;
  return {
    emails: await present(
      fixtureUsers.map((u) => u.email.toLowerCase()),
      (v) => db.select({ v: lowerEmail }).from(users).where(inArray(lowerEmail, v)),
    ),
    slugs: await present(
      (data.workspaces ?? []).map((w) => w.slug ?? w.key),
      (v) => db.select({ v: workspaces.slug }).from(workspaces).where(inArray(workspaces.slug, v)),
    ),
    externalIds: await present(
      (data.tenants ?? []).map((t) => t.external_id),
      (v) => db.select({ v: tenants.externalId }).from(tenants).where(inArray(tenants.externalId, v)),
    ),
    tokenHashes: await present(
      fixtureUsers.flatMap((u) => (u.api_token === undefined ? [] : [digestSecret(u.api_token)])),
      (v) => db.select({ v: apiTokens.tokenHash }).from(apiTokens).where(inArray(apiTokens.tokenHash, v)),
    ),
  };
}

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

const REBUILD_INDEXES_FROM = 10_000;

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

async function writeTenancy(db: Db, data: Fixture, batchSize: number) {
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

async function writeWork(
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
async function rebuildsIndexes(db: Db, count: number, from: number): Promise<boolean> {
  if (count < from) return false;
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from (select 1 from ${findings} limit ${count}) held`,
  );
  return Number(row?.n) < count;
}

/**
 * Loads a fixture (the shape of `fixture.schema.json`): validates the whole file, then the rules between
 * records and against the database, then writes everything in one transaction. All or nothing.
 */
export async function loadFixtures(db: Db, data: unknown, options: LoadOptions = {}): Promise<FixtureIds> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const schemaProblems = validateFixtureSchema(data);
  if (schemaProblems.length) throw new FixtureError(schemaProblems);
  const fixture = data as Fixture;
  return db.transaction(async (tx) => {
    const problems = checkFixture(fixture, await readExisting(tx, fixture));
    if (problems.length) throw new FixtureError(problems);
    const rebuildIndexes = await rebuildsIndexes(
      tx,
      fixture.findings?.length ?? 0,
      options.rebuildIndexesFrom ?? REBUILD_INDEXES_FROM,
    );
    const tenancy = await writeTenancy(tx, fixture, batchSize);
    const work = await writeWork(tx, fixture, tenancy, { batchSize, rebuildIndexes });
    const all: FixtureIds = {
      workspaces: tenancy.workspaceIds,
      users: tenancy.userIds,
      tenants: tenancy.tenantIds,
      operation_runs: work.runIds,
      findings: work.findingIds,
      finding_exceptions: work.exceptionIds,
    };
    return Object.fromEntries(Object.entries(all).filter(([collection]) => collection in fixture));
  });
}
