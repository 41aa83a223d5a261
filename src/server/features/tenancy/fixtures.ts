import fs from 'node:fs/promises';
import { inArray, sql } from 'drizzle-orm';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { DEFAULT_BATCH_SIZE } from './bulk-insert.ts';
import { digestSecret } from './credentials.ts';
import { checkFixture, type ExistingData } from './fixture-checks.ts';
import { type Fixture, validateFixtureSchema } from './fixture-schema.ts';
import {
  type LoadOptions,
  REBUILD_INDEXES_FROM,
  rebuildsIndexes,
  writeTenancy,
  writeWork,
} from './fixture-writes.ts';
import { apiTokens, tenants, users, workspaces } from './tables.ts';

export type { Fixture } from './fixture-schema.ts';
export type { LoadOptions } from './fixture-writes.ts';

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
