/**
 * The performance bench's fixture file (the format of src/server/features/tenancy/fixture.schema.json):
 * one workspace, a few users, and findings — `measured` of them in the tenant the request figures read,
 * the rest in a second tenant, so that the file holds `rows` records in all and the measured tenant's
 * pages sit in a realistically large table.
 */
import fs from 'node:fs';

export const BENCH_TENANT = 'bench-main';
export const BENCH_EMAIL = 'bench-manager@example.test';
export const DETAIL_FINDING_KEY = 'm-1';

const USERS = 8;
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const STATUSES = ['new', 'triaged', 'in_progress', 'reopened', 'resolved', 'closed'];

function finding(key: string, tenant: string, n: number) {
  // Owners: none for 1 in 10; assignees: none for 1 in 3 (every responsibility state occurs).
  const owner = n % 10 === 0 ? null : `user-${1 + (n % USERS)}`;
  const assignee = n % 3 === 0 ? null : `user-${1 + ((n * 7) % USERS)}`;
  return {
    key,
    tenant,
    title: `Bench finding ${n}: configuration drift on policy ${n % 997}`,
    severity: SEVERITIES[n % SEVERITIES.length],
    workflow_status: STATUSES[(n * 5) % STATUSES.length],
    detected_at: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    owner,
    assignee,
  };
}

/** Writes the fixture to `file`; answers how many records it holds. */
export function writeBenchFixture(file: string, options: { rows: number; measured: number }): number {
  const users = Array.from({ length: USERS }, (_, i) => ({
    key: `user-${i + 1}`,
    email: i === 0 ? BENCH_EMAIL : `bench-user-${i + 1}@example.test`,
    display_name: `Bench user ${i + 1}`,
  }));
  const tenants = [
    { key: 'main', workspace: 'bench', external_id: BENCH_TENANT, name: 'Bench tenant' },
    { key: 'bulk', workspace: 'bench', external_id: 'bench-bulk', name: 'Bench bulk tenant' },
  ];
  const fixture = {
    workspaces: [{ key: 'bench', name: 'Bench workspace', slug: 'bench' }],
    users,
    workspace_memberships: users.map((user) => ({ workspace: 'bench', user: user.key, role: 'operator' })),
    tenants,
    tenant_memberships: tenants.flatMap((tenant) =>
      users.map((user, i) => ({
        tenant: tenant.key,
        user: user.key,
        role: i === 0 ? 'manager' : 'operator',
      })),
    ),
    findings: [] as ReturnType<typeof finding>[],
  };
  const others = 1 + users.length * 2 + tenants.length + fixture.tenant_memberships.length;
  const bulk = Math.max(0, options.rows - others - options.measured);
  for (let n = 1; n <= options.measured; n++) fixture.findings.push(finding(`m-${n}`, 'main', n));
  for (let n = 1; n <= bulk; n++) fixture.findings.push(finding(`b-${n}`, 'bulk', n));
  fs.writeFileSync(file, JSON.stringify(fixture));
  return others + fixture.findings.length;
}
