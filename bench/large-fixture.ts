import { severities, workflowStatuses } from '../src/server/features/findings/tables.ts';
import type { Fixture } from '../src/server/features/tenancy/fixture-schema.ts';

const USERS = 5;
const TENANTS = 10;

/**
 * The fixture of issue 12's `fixtures load` target: `total` records, nearly all findings, over ten tenants of
 * one workspace with a few users (one with a password and a token, one inactive), owners and assignees mixed
 * as real data has them (none, a member, the inactive one).
 */
export function largeFixture(total = 110_000, label = 'bulk'): Fixture {
  const users = Array.from({ length: USERS }, (_, u) => ({
    key: `u${u}`,
    email: `${label}-user-${u}@example.test`,
    display_name: `Bulk user ${u}`,
    ...(u === 0 ? { password: 'bulk-password-0', api_token: `tp_${label}_bulk_token_0` } : {}),
    ...(u === USERS - 1 ? { active: false } : {}),
  }));
  const tenants = Array.from({ length: TENANTS }, (_, t) => ({
    key: `t${t}`,
    workspace: 'w',
    external_id: `${label}-tenant-${t}`,
    name: `Bulk tenant ${t}`,
  }));
  const workspaceMemberships = users.map((u) => ({ workspace: 'w', user: u.key, role: 'operator' as const }));
  const tenantMemberships = tenants.map((t) => ({ tenant: t.key, user: 'u0', role: 'manager' as const }));
  const fixed = 1 + users.length + workspaceMemberships.length + tenants.length + tenantMemberships.length;
  const findings = Array.from({ length: total - fixed }, (_, i) => ({
    key: `f${i}`,
    tenant: `t${i % TENANTS}`,
    title: `Drifted setting ${i}: "Block legacy authentication" is off`,
    severity: severities[i % severities.length] as (typeof severities)[number],
    workflow_status: workflowStatuses[
      (i >> 2) % workflowStatuses.length
    ] as (typeof workflowStatuses)[number],
    detected_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    owner: i % 10 === 0 ? null : `u${i % USERS}`,
    ...(i % 3 === 0 ? {} : { assignee: `u${(i >> 1) % USERS}` }),
  }));
  return {
    workspaces: [{ key: 'w', name: 'Bulk workspace', slug: `${label}-workspace` }],
    users,
    workspace_memberships: workspaceMemberships,
    tenants,
    tenant_memberships: tenantMemberships,
    findings,
  };
}

/** How many records a fixture holds, over every collection. */
export function recordCount(fixture: Fixture): number {
  return Object.values(fixture).reduce((sum, records) => sum + (records as unknown[]).length, 0);
}
