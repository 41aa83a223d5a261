import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/server/db/client.ts';
import { findings, type Severity, type WorkflowStatus } from '../../src/server/features/findings/tables.ts';
import {
  operationRuns,
  type RunOutcome,
  type RunStatus,
} from '../../src/server/features/operation-runs/tables.ts';
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

const unique = () => randomBytes(4).toString('hex');

// One hash for every factory user: argon2 is deliberately slow, and tests create many users.
export const TEST_PASSWORD = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;

export async function createUser(db: Db, overrides: Partial<typeof users.$inferInsert> = {}) {
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
  return user!;
}

export async function createWorkspace(db: Db, overrides: Partial<typeof workspaces.$inferInsert> = {}) {
  const suffix = unique();
  const [workspace] = await db
    .insert(workspaces)
    .values({ slug: `ws-${suffix}`, name: `Workspace ${suffix}`, ...overrides })
    .returning();
  return workspace!;
}

export async function createTenant(
  db: Db,
  workspaceId: number,
  overrides: Partial<typeof tenants.$inferInsert> = {},
) {
  const suffix = unique();
  const [tenant] = await db
    .insert(tenants)
    .values({ workspaceId, externalId: `tenant-${suffix}`, name: `Tenant ${suffix}`, ...overrides })
    .returning();
  return tenant!;
}

export async function addWorkspaceMember(
  db: Db,
  workspaceId: number,
  userId: number,
  role: Role = 'operator',
) {
  await db.insert(workspaceMemberships).values({ workspaceId, userId, role }).onConflictDoNothing();
}

/** A tenant membership, with the workspace membership it requires. */
export async function addTenantMember(
  db: Db,
  tenant: { id: number; workspaceId: number },
  userId: number,
  role: Role,
) {
  await addWorkspaceMember(db, tenant.workspaceId, userId, 'readonly');
  await db
    .insert(tenantMemberships)
    .values({ tenantId: tenant.id, workspaceId: tenant.workspaceId, userId, role });
}

export async function createRun(
  db: Db,
  scope: { workspaceId: number; tenantId: number | null },
  overrides: Partial<{
    type: string;
    status: RunStatus;
    outcome: RunOutcome | null;
    summary: string | null;
  }> = {},
) {
  const [run] = await db
    .insert(operationRuns)
    .values({
      workspaceId: scope.workspaceId,
      tenantId: scope.tenantId,
      type: 'sync',
      status: 'completed',
      outcome: 'succeeded',
      summary: 'Synced 12 policies',
      startedAt: new Date(Date.now() - 120_000),
      completedAt: new Date(Date.now() - 60_000),
      ...overrides,
    })
    .returning();
  return run!;
}

export async function createFinding(
  db: Db,
  tenantId: number,
  overrides: Partial<{
    title: string;
    severity: Severity;
    workflowStatus: WorkflowStatus;
    ownerUserId: number | null;
    assigneeUserId: number | null;
  }> = {},
) {
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
  return finding!;
}

export async function createApiToken(db: Db, userId: number): Promise<string> {
  const token = newSecret(API_TOKEN_PREFIX);
  await db.insert(apiTokens).values({ userId, name: 'test', tokenHash: digestSecret(token) });
  return token;
}
