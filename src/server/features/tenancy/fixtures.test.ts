import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { createTestDatabase } from '../../../../test/helpers/db.ts';
import type { Database } from '../../db/client.ts';
import { findingExceptions, findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { digestSecret, verifyPassword } from './credentials.ts';
import type { FixtureFindingException } from './fixture-schema.ts';
import { type Fixture, FixtureError, loadFixtures, readFixtureFile } from './fixtures.ts';
import { apiTokens, tenantMemberships, tenants, users, workspaceMemberships, workspaces } from './tables.ts';

const base: Fixture = {
  workspaces: [
    { key: 'acme', name: 'Acme MSP' },
    { key: 'globex', name: 'Globex IT', slug: 'globex-it' },
  ],
  users: [
    { key: 'alice', email: 'Alice@Example.test', display_name: 'Alice', password: 'alice-password-1' },
    { key: 'bob', email: 'bob@example.test', display_name: 'Bob', active: false },
    {
      key: 'carol',
      email: 'carol@example.test',
      display_name: 'Carol',
      api_token: 'tp_fixture_token_for_carol_123',
    },
  ],
  workspace_memberships: [
    { workspace: 'acme', user: 'alice', role: 'owner' },
    { workspace: 'acme', user: 'bob', role: 'operator' },
    { workspace: 'globex', user: 'carol', role: 'manager' },
  ],
  tenants: [
    { key: 't1', workspace: 'acme', external_id: 'acme-contoso', name: 'Contoso' },
    { key: 't2', workspace: 'globex', external_id: 'globex-fabrikam', name: 'Fabrikam' },
  ],
  tenant_memberships: [
    { tenant: 't1', user: 'alice', role: 'owner' },
    { tenant: 't2', user: 'carol', role: 'readonly' },
  ],
  operation_runs: [
    {
      key: 'r1',
      workspace: 'acme',
      tenant: 't1',
      type: 'sync',
      status: 'completed',
      outcome: 'failed',
      summary: 'Graph answered 429',
      started_at: '2026-01-05T10:00:00Z',
      completed_at: '2026-01-05T10:02:00Z',
    },
    { key: 'r2', workspace: 'acme', tenant: null, type: 'backup', status: 'queued' },
  ],
  findings: [
    // Bob is inactive and no member of t1; carol is no member of t1: accepted, the gap shows it.
    {
      key: 'f1',
      tenant: 't1',
      title: 'BitLocker off',
      severity: 'high',
      workflow_status: 'new',
      owner: 'bob',
    },
    {
      key: 'f2',
      tenant: 't1',
      title: 'Legacy auth allowed',
      severity: 'critical',
      workflow_status: 'triaged',
      detected_at: '2026-01-04T08:00:00Z',
      owner: 'alice',
      assignee: 'carol',
    },
  ],
  finding_exceptions: [
    {
      key: 'e1',
      finding: 'f2',
      owner: 'alice',
      requested_by: 'alice',
      request_reason: 'Vendor app needs it until March',
      review_due_at: '2026-03-01T00:00:00Z',
      expires_at: '2026-04-01T00:00:00Z',
      status: 'pending',
    },
  ],
};

const fixture = (): Fixture => structuredClone(base);

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

const tables = [
  workspaces,
  users,
  workspaceMemberships,
  tenants,
  tenantMemberships,
  apiTokens,
  operationRuns,
  findings,
  findingExceptions,
];

async function rowCounts(): Promise<(number | undefined)[]> {
  return Promise.all(
    tables.map(async (table) => (await database.db.select({ n: count() }).from(table))[0]?.n),
  );
}

/** Loading `data` fails with a message containing `expected`, and not one row is written. */
async function assertRefused(data: unknown, expected: string): Promise<FixtureError> {
  const before = await rowCounts();
  const error = await loadFixtures(database.db, data).then(
    () => assert.fail('the fixture was accepted'),
    (error: unknown) => error,
  );
  assert.ok(error instanceof FixtureError, `expected a FixtureError, got ${error}`);
  assert.ok(error.message.includes(expected), `"${error.message}" does not mention "${expected}"`);
  assert.deepEqual(await rowCounts(), before);
  return error;
}

describe('loadFixtures', () => {
  test('a good file: every key gets an id, and the rows are there', async () => {
    const ids = await loadFixtures(database.db, fixture());
    assert.deepEqual(Object.keys(ids), [
      'workspaces',
      'users',
      'tenants',
      'operation_runs',
      'findings',
      'finding_exceptions',
    ]);
    assert.deepEqual(Object.keys(ids.users ?? {}), ['alice', 'bob', 'carol']);
    const { db } = database;

    const [acme] = await db
      .select()
      .from(workspaces)
      .where(eq(workspaces.id, ids.workspaces?.acme as number));
    assert.equal(acme?.slug, 'acme', 'the slug defaults to the key');
    const [alice] = await db
      .select()
      .from(users)
      .where(eq(users.id, ids.users?.alice as number));
    assert.equal(alice?.email, 'Alice@Example.test');
    assert.ok(await verifyPassword(alice?.passwordHash ?? null, 'alice-password-1'));
    const [bob] = await db
      .select()
      .from(users)
      .where(eq(users.id, ids.users?.bob as number));
    assert.equal(bob?.active, false);
    assert.equal(bob?.passwordHash, null);

    const tokens = await db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.userId, ids.users?.carol as number));
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0]?.tokenHash, digestSecret('tp_fixture_token_for_carol_123'));
    assert.equal(tokens[0]?.name, 'fixture');

    const [entitlement] = await db
      .select()
      .from(tenantMemberships)
      .where(eq(tenantMemberships.tenantId, ids.tenants?.t2 as number));
    assert.equal(entitlement?.workspaceId, ids.workspaces?.globex);

    const [run] = await db
      .select()
      .from(operationRuns)
      .where(eq(operationRuns.id, ids.operation_runs?.r2 as number));
    assert.equal(run?.tenantId, null);
    assert.equal(run?.type, 'backup');

    const [f1] = await db
      .select()
      .from(findings)
      .where(eq(findings.id, ids.findings?.f1 as number));
    assert.equal(f1?.ownerUserId, ids.users?.bob);
    const [f2] = await db
      .select()
      .from(findings)
      .where(eq(findings.id, ids.findings?.f2 as number));
    assert.equal(f2?.detectedAt.toISOString(), '2026-01-04T08:00:00.000Z');
    assert.equal(f2?.assigneeUserId, ids.users?.carol);

    const [exception] = await db
      .select()
      .from(findingExceptions)
      .where(eq(findingExceptions.id, ids.finding_exceptions?.e1 as number));
    assert.equal(exception?.findingId, ids.findings?.f2);
    assert.equal(exception?.status, 'pending');
  });

  test('only the collections in the file appear in the result', async () => {
    const ids = await loadFixtures(database.db, {
      workspaces: [{ key: 'solo', name: 'Solo' }],
      findings: [],
    });
    assert.deepEqual(Object.keys(ids), ['workspaces', 'findings']);
    assert.deepEqual(ids.findings, {});
  });

  test('conflicts with what the database holds are refused, emails case-insensitively', async () => {
    const data = fixture();
    data.users = [{ key: 'a2', email: 'ALICE@example.TEST', display_name: 'Alice again' }];
    data.workspaces = [{ key: 'other', name: 'Other', slug: 'globex-it' }];
    data.tenants = [{ key: 't9', workspace: 'other', external_id: 'acme-contoso', name: 'Dup' }];
    data.workspace_memberships = [];
    data.tenant_memberships = [];
    data.operation_runs = [];
    data.findings = [];
    data.finding_exceptions = [];
    const error = await assertRefused(
      data,
      'users[0] (key "a2") email: email "ALICE@example.TEST" already exists in the database',
    );
    assert.match(error.message, /workspaces\[0\] \(key "other"\) slug: slug "globex-it" already exists/);
    assert.match(
      error.message,
      /tenants\[0\] \(key "t9"\) external_id: external_id "acme-contoso" already exists/,
    );
  });

  test('a reused api_token is refused without repeating the token', async () => {
    const error = await assertRefused(
      {
        users: [
          {
            key: 'x',
            email: 'x@example.test',
            display_name: 'X',
            api_token: 'tp_fixture_token_for_carol_123',
          },
        ],
      },
      'users[0] (key "x") api_token: this token already exists in the database',
    );
    assert.ok(!error.message.includes('tp_fixture_token_for_carol_123'));
  });
});

describe('loadFixtures refuses a bad file and writes nothing', () => {
  // Fresh keys and unique values, so only the mutation under test can be wrong.
  function fresh(): Fixture {
    const data = fixture();
    data.workspaces = [{ key: 'w', name: 'W', slug: 'fresh-w' }];
    data.users = [
      { key: 'u', email: 'u@fresh.test', display_name: 'U', password: 'long-enough' },
      { key: 'v', email: 'v@fresh.test', display_name: 'V' },
    ];
    data.workspace_memberships = [{ workspace: 'w', user: 'u', role: 'owner' }];
    data.tenants = [
      { key: 't', workspace: 'w', external_id: 'fresh-t', name: 'T' },
      { key: 't2', workspace: 'w', external_id: 'fresh-t2', name: 'T2' },
    ];
    data.tenant_memberships = [{ tenant: 't', user: 'u', role: 'manager' }];
    data.operation_runs = [{ key: 'r', workspace: 'w', tenant: 't', type: 'sync', status: 'running' }];
    data.findings = [
      { key: 'f-1', tenant: 't', title: 'A', severity: 'low', workflow_status: 'new' },
      { key: 'f-2', tenant: 't', title: 'B', severity: 'low', workflow_status: 'new' },
      { key: 'f-3', tenant: 't', title: 'C', severity: 'low', workflow_status: 'new', owner: 'u' },
    ];
    data.finding_exceptions = [];
    return data;
  }

  function exception(key: string, finding: string): FixtureFindingException {
    const review = '2026-03-01T00:00:00Z';
    return {
      key,
      finding,
      owner: 'u',
      requested_by: 'u',
      request_reason: 'why',
      review_due_at: review,
      status: 'pending',
    };
  }

  test('the fresh file itself loads (so each case below fails for its own reason)', async () => {
    const db2 = await createTestDatabase();
    try {
      await loadFixtures(db2.db, fresh());
    } finally {
      await db2.close();
    }
  });

  /** The record at `index` of `collection`, to change in place. */
  function record(data: Fixture, collection: keyof Fixture, index: number): Record<string, unknown> {
    const found = data[collection]?.[index];
    assert.ok(found, `${collection}[${index}] is missing from the test fixture`);
    return found as unknown as Record<string, unknown>;
  }

  // Each case changes the fresh file in place, or returns something to load instead.
  const cases: [string, (data: Fixture) => unknown, string][] = [
    ['schema: not an object', () => [1, 2], 'the file: must be object'],
    [
      'schema: an unknown collection',
      (d) => Object.assign(d, { teams: [] }),
      'teams: is not a known collection',
    ],
    [
      'schema: workspaces, a missing name',
      (d) => Object.assign(d, { workspaces: [{ key: 'w', slug: 'fresh-w' }] }),
      'workspaces[0] (key "w") name: is required',
    ],
    [
      'schema: workspaces, a bad slug',
      (d) => Object.assign(record(d, 'workspaces', 0), { slug: 'Not A Slug' }),
      'workspaces[0] (key "w") slug: must match pattern',
    ],
    [
      'schema: users, a bad email',
      (d) => Object.assign(record(d, 'users', 1), { email: 'not-an-email' }),
      'users[1] (key "v") email: must match format "email"',
    ],
    [
      'schema: users, a short password',
      (d) => Object.assign(record(d, 'users', 0), { password: 'short' }),
      'users[0] (key "u") password: must NOT have fewer than 8 characters',
    ],
    [
      'schema: users, an unknown field',
      (d) => Object.assign(record(d, 'users', 0), { admin: true }),
      'users[0] (key "u") admin: is not a known field',
    ],
    [
      'schema: users, a bad key',
      (d) => Object.assign(record(d, 'users', 0), { key: 'has space' }),
      'users[0] (key "has space") key: must match pattern',
    ],
    [
      'schema: workspace_memberships, a bad role',
      (d) => Object.assign(record(d, 'workspace_memberships', 0), { role: 'admin' }),
      'workspace_memberships[0] role: must be one of "owner", "manager", "operator", "readonly"',
    ],
    [
      'schema: tenants, a bad external_id',
      (d) => Object.assign(record(d, 'tenants', 0), { external_id: 'UPPER' }),
      'tenants[0] (key "t") external_id: must match pattern',
    ],
    [
      'schema: tenant_memberships, a missing user',
      (d) => Object.assign(d, { tenant_memberships: [{ tenant: 't', role: 'owner' }] }),
      'tenant_memberships[0] user: is required',
    ],
    [
      'schema: operation_runs, a bad status',
      (d) => Object.assign(record(d, 'operation_runs', 0), { status: 'done' }),
      'operation_runs[0] (key "r") status: must be one of "queued", "running", "completed"',
    ],
    [
      'schema: operation_runs, a bad time',
      (d) => Object.assign(record(d, 'operation_runs', 0), { started_at: 'yesterday' }),
      'operation_runs[0] (key "r") started_at: must match format "date-time" or must be null',
    ],
    [
      'schema: findings, a bad severity',
      (d) => Object.assign(record(d, 'findings', 2), { severity: 'urgent' }),
      'findings[2] (key "f-3") severity: must be one of "low", "medium", "high", "critical"',
    ],
    [
      'schema: findings, an owner that is no key',
      (d) => Object.assign(record(d, 'findings', 2), { owner: 7 }),
      'findings[2] (key "f-3") owner: must be string or must be null',
    ],
    [
      'schema: finding_exceptions, a missing reason',
      (d) => d.finding_exceptions?.push({ ...exception('e', 'f-1'), request_reason: undefined as never }),
      'finding_exceptions[0] (key "e") request_reason: is required',
    ],
    [
      'rule: a duplicate key',
      (d) => Object.assign(record(d, 'findings', 1), { key: 'f-1' }),
      'findings[1] (key "f-1") key: duplicate key "f-1"',
    ],
    [
      'rule: an unknown owner',
      (d) => Object.assign(record(d, 'findings', 2), { owner: 'bob' }),
      'findings[2] (key "f-3") owner: unknown user key "bob"',
    ],
    [
      'rule: an unknown tenant',
      (d) => Object.assign(record(d, 'findings', 0), { tenant: 'nowhere' }),
      'findings[0] (key "f-1") tenant: unknown tenant key "nowhere"',
    ],
    [
      'rule: an unknown workspace',
      (d) => Object.assign(record(d, 'tenants', 1), { workspace: 'nowhere' }),
      'tenants[1] (key "t2") workspace: unknown workspace key "nowhere"',
    ],
    [
      'rule: a tenant membership without a workspace membership',
      (d) => d.tenant_memberships?.push({ tenant: 't', user: 'v', role: 'readonly' }),
      `tenant_memberships[1] user: user "v" has no workspace membership of the tenant's workspace "w"`,
    ],
    [
      'rule: a duplicate workspace membership',
      (d) => d.workspace_memberships?.push({ workspace: 'w', user: 'u', role: 'readonly' }),
      'workspace_memberships[1] user: is already a member of this workspace',
    ],
    [
      'rule: a duplicate email in another case',
      (d) => Object.assign(record(d, 'users', 1), { email: 'U@FRESH.test' }),
      'users[1] (key "v") email: email "U@FRESH.test" is already used by users[0]',
    ],
    [
      'rule: a token given twice, not repeated in the message',
      (d) => {
        Object.assign(record(d, 'users', 0), { api_token: 'tp_the_same_token_twice_0123' });
        Object.assign(record(d, 'users', 1), { api_token: 'tp_the_same_token_twice_0123' });
      },
      'users[1] (key "v") api_token: this token is already used by users[0]',
    ],
    [
      'rule: a duplicate external_id',
      (d) => Object.assign(record(d, 'tenants', 1), { external_id: 'fresh-t' }),
      'tenants[1] (key "t2") external_id: external_id "fresh-t" is already used by tenants[0]',
    ],
    [
      "rule: a run's tenant from another workspace",
      (d) => {
        d.workspaces?.push({ key: 'w2', name: 'W2', slug: 'fresh-w2' });
        Object.assign(record(d, 'operation_runs', 0), { workspace: 'w2' });
      },
      'operation_runs[0] (key "r") tenant: tenant "t" belongs to workspace "w", not "w2"',
    ],
    [
      'rule: an outcome on a running run',
      (d) => Object.assign(record(d, 'operation_runs', 0), { outcome: 'failed' }),
      'operation_runs[0] (key "r") outcome: must be null while the status is "running"',
    ],
    [
      'rule: an exception expiring before its review',
      (d) => d.finding_exceptions?.push({ ...exception('e', 'f-1'), expires_at: '2026-03-01T00:00:00Z' }),
      'finding_exceptions[0] (key "e") expires_at: must be after review_due_at',
    ],
    [
      'rule: an exception with an unknown requester',
      (d) => d.finding_exceptions?.push({ ...exception('e', 'f-1'), requested_by: 'zed' }),
      'finding_exceptions[0] (key "e") requested_by: unknown user key "zed"',
    ],
    [
      'rule: two pending exceptions for one finding',
      (d) => d.finding_exceptions?.push(exception('e1', 'f-1'), exception('e2', 'f-1')),
      'finding_exceptions[1] (key "e2") status: finding "f-1" already has a pending exception',
    ],
  ];
  for (const [name, change, expected] of cases) {
    test(name, async () => {
      const data = fresh();
      const replaced = change(data);
      await assertRefused(Array.isArray(replaced) ? replaced : data, expected);
    });
  }

  test('every problem is collected; the message shows the first five', async () => {
    const data = fresh();
    for (const finding of data.findings ?? []) finding.owner = 'ghost';
    data.operation_runs = [{ key: 'r', workspace: 'ghost', type: 'sync', status: 'queued' }];
    Object.assign(record(data, 'users', 1), { email: 'u@fresh.test' });
    Object.assign(record(data, 'tenants', 1), { workspace: 'ghost' });
    const error = await assertRefused(data, 'and 1 more problem');
    assert.equal(error.problems.length, 6);
  });
});

describe('readFixtureFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-fixture-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('invalid JSON names the file', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{ "users": [ }');
    await assert.rejects(readFixtureFile(file), (error: Error) => {
      assert.ok(error instanceof FixtureError);
      assert.match(error.message, new RegExp(`^${file.replaceAll('.', '\\.')} is not valid JSON: `));
      return true;
    });
  });

  test('a missing file names the path', async () => {
    const file = path.join(dir, 'missing.json');
    await assert.rejects(readFixtureFile(file), { message: `cannot read ${file}: no such file` });
  });
});
