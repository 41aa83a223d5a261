import fs from 'node:fs/promises';
import { inArray, sql } from 'drizzle-orm';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { findingExceptions, findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { digestSecret, hashPassword } from './credentials.ts';
import { checkFixture, type ExistingData } from './fixture-checks.ts';
import { type Fixture, validateFixtureSchema } from './fixture-schema.ts';
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

const CHUNK = 500;

/**
 * Inserts rows in chunks and returns their ids in input order. Serial ids are drawn in VALUES order, so
 * sorting one statement's returned ids restores that order whatever order RETURNING hands them back in.
 */
async function insertAll<R>(rows: R[], insert: (chunk: R[]) => Promise<{ id: number }[]>): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const returned = await insert(rows.slice(start, start + CHUNK));
    ids.push(...returned.map((r) => r.id).sort((a, b) => a - b));
  }
  return ids;
}

function byKey(records: { key: string }[], ids: number[]): Record<string, number> {
  return Object.fromEntries(records.map((record, i) => [record.key, ids[i] as number]));
}

const date = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);

/** Looks up an id that checkFixture has already proven exists. */
function idOf(ids: Record<string, number>, key: string): number {
  const id = ids[key];
  if (id === undefined) throw new Error(`fixture key ${JSON.stringify(key)} has no id`);
  return id;
}

async function writeTenancy(db: Db, data: Fixture) {
  const ws = data.workspaces ?? [];
  const workspaceIds = byKey(
    ws,
    await insertAll(ws, (chunk) =>
      db
        .insert(workspaces)
        .values(chunk.map((w) => ({ slug: w.slug ?? w.key, name: w.name })))
        .returning({ id: workspaces.id }),
    ),
  );
  const us = data.users ?? [];
  const hashes = await Promise.all(
    us.map((u) => (u.password === undefined ? null : hashPassword(u.password))),
  );
  const userRows = us.map((u, i) => ({
    email: u.email,
    displayName: u.display_name,
    passwordHash: hashes[i] ?? null,
    active: u.active ?? true,
  }));
  const userIds = byKey(
    us,
    await insertAll(userRows, (chunk) => db.insert(users).values(chunk).returning({ id: users.id })),
  );
  const tokenRows = us.flatMap((u) =>
    u.api_token === undefined
      ? []
      : [{ userId: idOf(userIds, u.key), name: 'fixture', tokenHash: digestSecret(u.api_token) }],
  );
  if (tokenRows.length) await db.insert(apiTokens).values(tokenRows);
  const memberships = (data.workspace_memberships ?? []).map((m) => ({
    workspaceId: idOf(workspaceIds, m.workspace),
    userId: idOf(userIds, m.user),
    role: m.role,
  }));
  if (memberships.length) await db.insert(workspaceMemberships).values(memberships);
  const ts = data.tenants ?? [];
  const tenantRows = ts.map((t) => ({
    workspaceId: idOf(workspaceIds, t.workspace),
    externalId: t.external_id,
    name: t.name,
  }));
  const tenantIds = byKey(
    ts,
    await insertAll(tenantRows, (chunk) => db.insert(tenants).values(chunk).returning({ id: tenants.id })),
  );
  const tenantWorkspace = new Map(ts.map((t) => [t.key, idOf(workspaceIds, t.workspace)]));
  const entitlements = (data.tenant_memberships ?? []).map((m) => ({
    tenantId: idOf(tenantIds, m.tenant),
    workspaceId: tenantWorkspace.get(m.tenant) as number,
    userId: idOf(userIds, m.user),
    role: m.role,
  }));
  if (entitlements.length) await db.insert(tenantMemberships).values(entitlements);
  return { workspaceIds, userIds, tenantIds };
}

async function writeWork(db: Db, data: Fixture, ids: Awaited<ReturnType<typeof writeTenancy>>) {
  const { workspaceIds, userIds, tenantIds } = ids;
  const userOrNull = (key: string | null | undefined) => (key == null ? null : idOf(userIds, key));
  const runs = data.operation_runs ?? [];
  const runRows = runs.map((r) => ({
    workspaceId: idOf(workspaceIds, r.workspace),
    tenantId: r.tenant == null ? null : idOf(tenantIds, r.tenant),
    type: r.type,
    status: r.status,
    outcome: r.outcome ?? null,
    summary: r.summary ?? null,
    startedAt: date(r.started_at),
    completedAt: date(r.completed_at),
  }));
  const runIds = byKey(
    runs,
    await insertAll(runRows, (chunk) =>
      db.insert(operationRuns).values(chunk).returning({ id: operationRuns.id }),
    ),
  );
  const fixtureFindings = data.findings ?? [];
  const findingRows = fixtureFindings.map((f) => ({
    tenantId: idOf(tenantIds, f.tenant),
    title: f.title,
    severity: f.severity,
    workflowStatus: f.workflow_status,
    ...(f.detected_at ? { detectedAt: new Date(f.detected_at) } : {}),
    ownerUserId: userOrNull(f.owner),
    assigneeUserId: userOrNull(f.assignee),
  }));
  const findingIds = byKey(
    fixtureFindings,
    await insertAll(findingRows, (chunk) => db.insert(findings).values(chunk).returning({ id: findings.id })),
  );
  const exceptions = data.finding_exceptions ?? [];
  const exceptionRows = exceptions.map((e) => ({
    findingId: idOf(findingIds, e.finding),
    ownerUserId: idOf(userIds, e.owner),
    requestedByUserId: idOf(userIds, e.requested_by),
    requestReason: e.request_reason,
    reviewDueAt: new Date(e.review_due_at),
    expiresAt: date(e.expires_at),
    status: e.status,
  }));
  const exceptionIds = byKey(
    exceptions,
    await insertAll(exceptionRows, (chunk) =>
      db.insert(findingExceptions).values(chunk).returning({ id: findingExceptions.id }),
    ),
  );
  return { runIds, findingIds, exceptionIds };
}

/**
 * Loads a fixture (the shape of `fixture.schema.json`): validates the whole file, then the rules between
 * records and against the database, then writes everything in one transaction. All or nothing.
 */
export async function loadFixtures(db: Db, data: unknown): Promise<FixtureIds> {
  const schemaProblems = validateFixtureSchema(data);
  if (schemaProblems.length) throw new FixtureError(schemaProblems);
  const fixture = data as Fixture;
  return db.transaction(async (tx) => {
    const problems = checkFixture(fixture, await readExisting(tx, fixture));
    if (problems.length) throw new FixtureError(problems);
    const tenancy = await writeTenancy(tx, fixture);
    const work = await writeWork(tx, fixture, tenancy);
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
