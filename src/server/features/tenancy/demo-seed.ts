import { count } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { ExceptionStatus, Severity, WorkflowStatus } from '../findings/tables.ts';
import type { RunOutcome } from '../operation-runs/tables.ts';
import {
  type DemoUser,
  EXCEPTION_REASONS,
  FINDING_TITLES,
  RUNNING_SUMMARIES,
  runSummary,
  TENANTS,
  USERS,
} from './demo-catalog.ts';
import type {
  Fixture,
  FixtureFinding,
  FixtureFindingException,
  FixtureOperationRun,
} from './fixture-schema.ts';
import { loadFixtures } from './fixtures.ts';
import { findUserByEmail } from './queries.ts';
import { type Role, users } from './tables.ts';

export const DEMO_PASSWORD = 'tenantpilot-demo';
const DOMAIN = 'demo.tenantpilot.test';

export interface DemoSignIn {
  email: string;
  password: string;
  role: string;
}

const emailOf = (user: DemoUser) => `${user.key}@${DOMAIN}`;

export const DEMO_SIGN_INS: DemoSignIn[] = USERS.filter((u) => u.shown).map((u) => ({
  email: emailOf(u),
  password: DEMO_PASSWORD,
  role: u.shown as string,
}));

/** mulberry32: a small seeded generator, so every demo database holds the same data. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const weighted = <T extends string>(weights: Record<T, number>): T => {
    const entries = Object.entries(weights) as [T, number][];
    let roll = next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]?.[0] as T;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };
  return { next, int, pick, weighted, shuffle };
}
type Random = ReturnType<typeof random>;

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (now: Date, msAgo: number) =>
  new Date(Math.floor((now.getTime() - msAgo) / 60_000) * 60_000).toISOString();

function buildRuns(rand: Random, now: Date): FixtureOperationRun[] {
  const types = ['sync', 'backup', 'baseline_compare'] as const;
  const slots = Array.from({ length: 30 }, (_, i) => {
    const tenant = i % 10 === 9 ? null : TENANTS[i % TENANTS.length];
    const workspace = tenant ? tenant.workspace : i === 19 ? 'contoso' : 'northwind';
    return { tenant, workspace, type: types[i % 3] as string, msAgo: rand.int(1, 30 * 24) * HOUR };
  }).sort((a, b) => b.msAgo - a.msAgo);
  // Oldest first so ids grow with time; the newest runs are still queued or running.
  return slots.map((slot, i): FixtureOperationRun => {
    const base = {
      key: `run-${String(i + 1).padStart(2, '0')}`,
      workspace: slot.workspace,
      tenant: slot.tenant?.key ?? null,
      type: slot.type,
    };
    const fromEnd = slots.length - i;
    if (fromEnd <= 2)
      return {
        ...base,
        status: 'queued',
        outcome: null,
        summary: null,
        started_at: null,
        completed_at: null,
      };
    const startedMsAgo = fromEnd <= 5 ? rand.int(1, 20) * 60_000 : slot.msAgo;
    if (fromEnd <= 5) {
      return {
        ...base,
        status: 'running',
        outcome: null,
        summary: RUNNING_SUMMARIES[slot.type] ?? null,
        started_at: iso(now, startedMsAgo),
        completed_at: null,
      };
    }
    const outcome = rand.weighted<RunOutcome>({ succeeded: 6, partially_succeeded: 2.5, failed: 1.5 });
    const tenantCount = slot.tenant ? null : TENANTS.filter((t) => t.workspace === slot.workspace).length;
    return {
      ...base,
      status: 'completed',
      outcome,
      summary: runSummary(slot.type, outcome, tenantCount, rand.pick, rand.int),
      started_at: iso(now, startedMsAgo),
      completed_at: iso(now, startedMsAgo - rand.int(1, 25) * 60_000),
    };
  });
}

/**
 * Who can hold a finding of the tenant: active members who act (not readonly), and the people of the same
 * workspace who are no active member of the tenant (inactive, or without a membership): the accountability gap.
 */
function peopleOf(tenantKey: string) {
  const isMember = (u: DemoUser) => u.active !== false && u.tenants[tenantKey] !== undefined;
  const workers = USERS.filter((u) => isMember(u) && u.tenants[tenantKey] !== 'readonly').map((u) => u.key);
  const workspace = TENANTS.find((t) => t.key === tenantKey)?.workspace;
  const outsiders = USERS.filter((u) => u.workspace === workspace && !isMember(u)).map((u) => u.key);
  return { workers, outsiders };
}

function responsibility(rand: Random, tenantKey: string): Pick<FixtureFinding, 'owner' | 'assignee'> {
  const { workers, outsiders } = peopleOf(tenantKey);
  const state = rand.weighted({ orphaned: 25, owned: 30, assigned: 45 });
  const assignee = rand.pick(workers);
  if (state === 'orphaned') return { owner: null, assignee: rand.next() < 0.3 ? assignee : null };
  const owner = outsiders.length && rand.next() < 0.15 ? rand.pick(outsiders) : rand.pick(workers);
  return { owner, assignee: state === 'assigned' ? assignee : null };
}

function buildFindings(rand: Random, now: Date): FixtureFinding[] {
  const perTenant = [38, 38, 38, 38, 24, 24];
  const all = TENANTS.flatMap((tenant, t) =>
    rand
      .shuffle(FINDING_TITLES)
      .slice(0, perTenant[t])
      .map((title) => ({
        tenant: tenant.key,
        title,
        severity: rand.weighted<Severity>({ low: 25, medium: 35, high: 28, critical: 12 }),
        workflow_status: rand.weighted<WorkflowStatus>({
          new: 20,
          triaged: 15,
          in_progress: 20,
          reopened: 5,
          resolved: 15,
          closed: 15,
          risk_accepted: 10,
        }),
        msAgo: rand.int(1, 120 * 24) * HOUR,
        ...responsibility(rand, tenant.key),
      })),
  );
  // Oldest first so ids grow with detection time.
  return all
    .sort((a, b) => b.msAgo - a.msAgo)
    .map(({ msAgo, ...finding }, i) => ({
      key: `finding-${String(i + 1).padStart(3, '0')}`,
      ...finding,
      detected_at: iso(now, msAgo),
    }));
}

function buildExceptions(rand: Random, now: Date, findings: FixtureFinding[]): FixtureFindingException[] {
  // tenant, status, exception owner, requested by, review due and expiry in days ago (negative: ahead).
  const plans: [string, ExceptionStatus, string, string, number, number | null][] = [
    ['fabrikam-retail', 'pending', 'owner', 'operator', -14, -90],
    ['adatum-health', 'pending', 'manager', 'operator', -7, null],
    ['fabrikam-retail', 'approved', 'manager', 'engineer', 10, -60],
    ['woodgrove-bank', 'approved', 'owner', 'engineer', 3, null],
    ['tailspin-toys', 'expired', 'owner', 'operator', 90, 7],
    ['adatum-health', 'rejected', 'owner', 'operator', 30, null],
    ['litware-legal', 'revoked', 'contoso', 'contoso-operator', 20, -40],
  ];
  const used = new Set<string>();
  return plans.map(([tenant, status, owner, requestedBy, reviewDaysAgo, expiresDaysAgo], i) => {
    const wanted = status === 'approved' || status === 'expired' ? 'risk_accepted' : 'triaged';
    const candidates = findings.filter((f) => f.tenant === tenant && !used.has(f.key));
    const finding = candidates.find((f) => f.workflow_status === wanted) ?? (candidates[0] as FixtureFinding);
    used.add(finding.key);
    return {
      key: `exception-${i + 1}`,
      finding: finding.key,
      owner,
      requested_by: requestedBy,
      request_reason: rand.pick(EXCEPTION_REASONS),
      review_due_at: iso(now, reviewDaysAgo * DAY),
      expires_at: expiresDaysAgo === null ? null : iso(now, expiresDaysAgo * DAY),
      status,
    };
  });
}

/** The demo installation as a fixture: same input, same data, apart from times relative to `now`. */
export function buildDemoFixture(now: Date = new Date()): Fixture {
  const rand = random(20_260_101);
  const findings = buildFindings(rand, now);
  return {
    workspaces: [
      { key: 'northwind', name: 'Northwind MSP', slug: 'northwind-msp' },
      { key: 'contoso', name: 'Contoso Managed Services', slug: 'contoso-managed-services' },
    ],
    users: USERS.map((u) => ({
      key: u.key,
      email: emailOf(u),
      display_name: u.name,
      password: DEMO_PASSWORD,
      active: u.active ?? true,
    })),
    workspace_memberships: USERS.map((u) => ({ workspace: u.workspace, user: u.key, role: u.workspaceRole })),
    tenants: TENANTS.map((t) => ({ key: t.key, workspace: t.workspace, external_id: t.key, name: t.name })),
    tenant_memberships: USERS.flatMap((u) =>
      Object.entries(u.tenants).map(([tenant, role]) => ({ tenant, user: u.key, role: role as Role })),
    ),
    operation_runs: buildRuns(rand, now),
    findings,
    finding_exceptions: buildExceptions(rand, now, findings),
  };
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

/** Whether this database holds the demo users, so their sign-ins are worth printing. */
export async function hasDemoData(db: Db): Promise<boolean> {
  return (await findUserByEmail(db, `owner@${DOMAIN}`)) !== undefined;
}

/** Loads the demo installation through the fixture loader, so the demo and fixtures share one path. */
export async function seedDemo(db: Db, now: Date = new Date()): Promise<DemoSignIn[]> {
  await loadFixtures(db, buildDemoFixture(now));
  return DEMO_SIGN_INS;
}

/** The sign-ins as printed by `serve --demo` and `seed --demo`: one line each, aligned. */
export function formatDemoSignIns(signIns: DemoSignIn[]): string {
  const width = Math.max(...signIns.map((s) => s.email.length));
  const lines = signIns.map((s) => `  ${s.email.padEnd(width)}  ${s.password}  ${s.role}`);
  return ['Demo sign-ins (email, password, role):', ...lines].join('\n');
}
