/**
 * Rows for integration tests, each made by `createX(db, { ...named })`: the arguments name what the row
 * belongs to (`workspaceId`, `tenant`, `userId`), everything else has a default and can be overridden.
 *
 * ```ts
 * const workspace = await make.createWorkspace(db);
 * const tenant = await make.createTenant(db, { workspaceId: workspace.id });
 * const user = await make.createUser(db, { displayName: 'Olive Operator' });
 * await make.addTenantMember(db, { tenant, userId: user.id, role: 'operator' });
 * const bearer = await make.createApiToken(db, { userId: user.id });
 * const finding = await make.createFinding(db, { tenantId: tenant.id, ownerUserId: user.id });
 * const run = await make.createRun(db, { workspaceId: workspace.id, tenantId: tenant.id, outcome: 'failed' });
 * ```
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/server/db/client.ts';
import { findingExceptions, findings } from '../../src/server/features/findings/tables.ts';
import { operationRuns } from '../../src/server/features/operation-runs/tables.ts';
import {
  API_TOKEN_PREFIX,
  digestSecret,
  hashPassword,
  newSecret,
} from '../../src/server/features/tenancy/credentials.ts';
import {
  apiTokens,
  type Role,
  tenantMemberships,
  tenants,
  users,
  workspaceMemberships,
  workspaces,
} from '../../src/server/features/tenancy/tables.ts';
import { must } from './must.ts';

export type User = typeof users.$inferSelect;
export type Workspace = typeof workspaces.$inferSelect;
export type Tenant = typeof tenants.$inferSelect;
export type Run = typeof operationRuns.$inferSelect;
export type Finding = typeof findings.$inferSelect;

const unique = () => randomBytes(4).toString('hex');

// One hash for every factory user: argon2 is deliberately slow, and tests create many users.
export const TEST_PASSWORD = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;

/** An active user who signs in with TEST_PASSWORD. */
export async function createUser(db: Db, overrides: Partial<typeof users.$inferInsert> = {}): Promise<User> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const suffix = unique();
  const [user] = await db
    .insert(users)
    .values({
      email: `user-${suffix}@example.test`,
      displayName: `User ${suffix}`,
      passwordHash: await testPasswordHash,
      ...overrides,
    })
    .returning();
  return must(user, 'the inserted user');
}

export async function createWorkspace(
  db: Db,
  overrides: Partial<typeof workspaces.$inferInsert> = {},
): Promise<Workspace> {
  const suffix = unique();
  const [workspace] = await db
    .insert(workspaces)
    .values({ slug: `ws-${suffix}`, name: `Workspace ${suffix}`, ...overrides })
    .returning();
  return must(workspace, 'the inserted workspace');
}

export async function createTenant(
  db: Db,
  { workspaceId, ...overrides }: { workspaceId: number } & Partial<typeof tenants.$inferInsert>,
): Promise<Tenant> {
  const suffix = unique();
  const [tenant] = await db
    .insert(tenants)
    .values({ workspaceId, externalId: `tenant-${suffix}`, name: `Tenant ${suffix}`, ...overrides })
    .returning();
  return must(tenant, 'the inserted tenant');
}

export async function addWorkspaceMember(
  db: Db,
  { workspaceId, userId, role = 'operator' }: { workspaceId: number; userId: number; role?: Role },
): Promise<void> {
  await db.insert(workspaceMemberships).values({ workspaceId, userId, role }).onConflictDoNothing();
}

/** A tenant membership, with the (readonly) workspace membership it requires. */
export async function addTenantMember(
  db: Db,
  {
    tenant,
    userId,
    role = 'operator',
  }: { tenant: Pick<Tenant, 'id' | 'workspaceId'>; userId: number; role?: Role },
): Promise<void> {
  await addWorkspaceMember(db, { workspaceId: tenant.workspaceId, userId, role: 'readonly' });
  await db
    .insert(tenantMemberships)
    .values({ tenantId: tenant.id, workspaceId: tenant.workspaceId, userId, role });
}

/** A completed, succeeded sync; `tenantId: null` makes a workspace-level run. */
export async function createRun(
  db: Db,
  {
    workspaceId,
    tenantId,
    ...overrides
  }: { workspaceId: number; tenantId: number | null } & Partial<typeof operationRuns.$inferInsert>,
): Promise<Run> {
  const [run] = await db
    .insert(operationRuns)
    .values({
      workspaceId,
      tenantId,
      type: 'sync',
      status: 'completed',
      outcome: 'succeeded',
      summary: 'Synced 12 policies',
      startedAt: new Date(Date.now() - 120_000),
      completedAt: new Date(Date.now() - 60_000),
      ...overrides,
    })
    .returning();
  return must(run, 'the inserted operation run');
}

/** A new, high-severity finding with nobody responsible for it. */
export async function createFinding(
  db: Db,
  { tenantId, ...overrides }: { tenantId: number } & Partial<typeof findings.$inferInsert>,
): Promise<Finding> {
  const [finding] = await db
    .insert(findings)
    .values({
      tenantId,
      title: 'Legacy authentication allowed',
      severity: 'high',
      workflowStatus: 'new',
      ...overrides,
    })
    .returning();
  return must(finding, 'the inserted finding');
}

/** A pending exception on the finding, due for review in a week, unless overridden. */
export async function createException(
  db: Db,
  {
    findingId,
    ownerUserId,
    requestedByUserId = ownerUserId,
    ...overrides
  }: { findingId: number; ownerUserId: number; requestedByUserId?: number } & Partial<
    typeof findingExceptions.$inferInsert
  >,
) {
  const [exception] = await db
    .insert(findingExceptions)
    .values({
      findingId,
      ownerUserId,
      requestedByUserId,
      requestReason: 'Compensating control in place',
      reviewDueAt: new Date(Date.now() + 7 * 86_400_000),
      status: 'pending',
      ...overrides,
    })
    .returning();
  return must(exception, 'the inserted exception');
}

/** A bearer token for the user; returns the secret, as the CLI shows it once. */
export async function createApiToken(
  db: Db,
  { userId, name = 'test' }: { userId: number; name?: string },
): Promise<string> {
  const token = newSecret(API_TOKEN_PREFIX);
  await db.insert(apiTokens).values({ userId, name, tokenHash: digestSecret(token) });
  return token;
}

/** A workspace with one tenant and an operator of it who calls the API with a bearer token. */
export async function createTenantOperator(
  db: Db,
): Promise<{ tenant: Tenant; operator: User; bearer: string }> {
  const workspace = await createWorkspace(db);
  const tenant = await createTenant(db, { workspaceId: workspace.id });
  const operator = await createUser(db);
  await addTenantMember(db, { tenant, userId: operator.id, role: 'operator' });
  return { tenant, operator, bearer: await createApiToken(db, { userId: operator.id }) };
}
