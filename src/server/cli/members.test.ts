// `tenantpilot members add` and `members grant`: the people services, from the command line, with no actor.
// Run in this process through runCli (the command line's entry point, output captured): beside-server.test.ts
// runs the real bin; spawning it a dozen times more would prove nothing new.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { and, eq, isNull } from 'drizzle-orm';
import { outputLines, runCliInProcess as runCli } from '../../../test/helpers/cli-process.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { type Database, type Db, openDatabase } from '../db/client.ts';
import { auditEvents } from '../features/audit/tables.ts';
import {
  tenantMemberships,
  tenants,
  users,
  workspaceMemberships,
  workspaces,
} from '../features/tenancy/tables.ts';

/**
 * The embedded database in a directory of its own, or with TEST_DATABASE_URL a fresh PostgreSQL database
 * (the command line then works through DATABASE_URL, as beside running servers).
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-members-'));
let target: string | { url: string } = dataDir;
let postgres: (Database & { url: string | null }) | null = null;
after(async () => {
  await postgres?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  if (postgres) return work(postgres.db);
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await database.migrate();
    return await work(database.db);
  } finally {
    await database.close();
  }
}

// One hook: Node 20 starts top-level `before` hooks as they are declared, not one after the other.
before(async () => {
  if (process.env.TEST_DATABASE_URL) {
    postgres = await createTestDatabase();
    target = { url: postgres.url as string };
  }
  await withDb(async (db) => {
    const [workspace] = await db
      .insert(workspaces)
      .values({ slug: 'northwind', name: 'Northwind' })
      .returning();
    assert.ok(workspace);
    await db.insert(tenants).values({ workspaceId: workspace.id, externalId: 'fabrikam', name: 'Fabrikam' });
    await db
      .insert(tenants)
      .values({ workspaceId: workspace.id, externalId: 'archived', name: 'Old Co', archivedAt: new Date() });
    await db.insert(users).values({ email: 'ann@example.test', displayName: 'Ann' });
  });
});

test('grant before add: one line saying what to run first', async () => {
  const result = await runCli(target, [
    'members',
    'grant',
    '--tenant',
    'fabrikam',
    '--email',
    'ann@example.test',
    '--role',
    'operator',
  ]);
  assert.equal(result.code, 1);
  assert.deepEqual(outputLines(result.stderr), [
    'tenantpilot: ann@example.test is not a member of workspace northwind: add them first with `tenantpilot members add --workspace northwind --email ann@example.test --role readonly`',
  ]);
});

test('add (email in any case), add again (409), grant, change, an archived tenant refuses: audited with no actor', async () => {
  const added = await runCli(target, [
    'members',
    'add',
    '--workspace',
    'northwind',
    '--email',
    'ANN@example.test',
    '--role',
    'operator',
  ]);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stdout, 'Added ann@example.test to workspace northwind as operator.\n');

  const again = await runCli(target, [
    'members',
    'add',
    '--workspace',
    'northwind',
    '--email',
    'ann@example.test',
    '--role',
    'owner',
  ]);
  assert.equal(again.code, 1);
  assert.deepEqual(outputLines(again.stderr), [
    'tenantpilot: ann@example.test is already a member of this workspace',
  ]);

  const granted = await runCli(target, [
    'members',
    'grant',
    '--tenant',
    'fabrikam',
    '--email',
    'ann@example.test',
    '--role',
    'owner',
  ]);
  assert.equal(granted.code, 0, granted.stderr);
  assert.equal(granted.stdout, 'Granted owner on tenant fabrikam to ann@example.test.\n');
  const changed = await runCli(target, [
    'members',
    'grant',
    '--tenant',
    'fabrikam',
    '--email',
    'ann@example.test',
    '--role',
    'manager',
  ]);
  assert.equal(changed.code, 0, changed.stderr);

  const archived = await runCli(target, [
    'members',
    'grant',
    '--tenant',
    'archived',
    '--email',
    'ann@example.test',
    '--role',
    'manager',
  ]);
  assert.equal(archived.code, 1);
  assert.match(outputLines(archived.stderr)[0] ?? '', /^tenantpilot: Old Co is archived/);

  await withDb(async (db) => {
    const [ann] = await db.select().from(users).where(eq(users.email, 'ann@example.test'));
    assert.ok(ann);
    const [membership] = await db
      .select()
      .from(workspaceMemberships)
      .where(eq(workspaceMemberships.userId, ann.id));
    assert.equal(membership?.role, 'operator');
    const roles = await db.select().from(tenantMemberships).where(eq(tenantMemberships.userId, ann.id));
    assert.deepEqual(
      roles.map((r) => r.role),
      ['manager'],
    );
    const events = await db
      .select({
        action: auditEvents.action,
        workspaceId: auditEvents.workspaceId,
        address: auditEvents.clientAddress,
      })
      .from(auditEvents)
      .where(and(isNull(auditEvents.actorUserId), eq(auditEvents.subjectId, String(ann.id))))
      .orderBy(auditEvents.id);
    assert.deepEqual(
      events.map((e) => [e.action, e.workspaceId !== null, e.address]),
      [
        ['member.added', true, null],
        ['tenant_role.granted', true, null],
        ['tenant_role.changed', true, null],
      ],
    );
  });
});

test('what is not there, and a bad role: one line each', async () => {
  const cases: [string[], number, string][] = [
    [
      ['members', 'add', '--workspace', 'nowhere', '--email', 'ann@example.test', '--role', 'operator'],
      1,
      'tenantpilot: No workspace with slug "nowhere"',
    ],
    [
      ['members', 'add', '--workspace', 'northwind', '--email', 'nobody@example.test', '--role', 'operator'],
      1,
      'tenantpilot: No user with email "nobody@example.test": create one with `tenantpilot users create`, or invite them in the web UI (Administration → People)',
    ],
    [
      ['members', 'grant', '--tenant', 'nowhere', '--email', 'ann@example.test', '--role', 'operator'],
      1,
      'tenantpilot: No tenant with external id "nowhere"',
    ],
    [
      ['members', 'add', '--workspace', 'northwind', '--email', 'ann@example.test', '--role', 'admin'],
      2,
      'tenantpilot: --role must be one of owner, manager, operator, readonly, got "admin"',
    ],
  ];
  for (const [args, code, first] of cases) {
    const result = await runCli(target, args);
    assert.equal(result.code, code, result.stderr);
    assert.equal(outputLines(result.stderr)[0], first);
  }
});
