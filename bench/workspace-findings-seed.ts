import { sql } from 'drizzle-orm';
import type { Db } from '../src/server/db/client.ts';
import { queryRows } from '../src/server/db/client.ts';
import { foldFindingCounters } from '../src/server/features/workspace-findings/queries.ts';
import { must } from '../test/helpers/must.ts';
import { seedFindings } from './findings-seed.ts';

/**
 * Set-based seeding for the workspace views benchmark: 50 tenants in one workspace, one of them with `mainCount`
 * findings (so the tenant list has a page 25,000 rows deep to compare with), the rest spread over the other 49;
 * the people of findings-seed.ts (40 members, 5 deactivated, 5 who left), every member on every tenant, "me"
 * (bench-1) its owner everywhere; runs and exceptions in every tenant.
 */
export const TENANTS = 50;
const MEMBERS = 40;
const INACTIVE = 5;
const LEFT = 5;

export interface WorkspaceSeeded {
  workspaceSlug: string;
  mainExternalId: string;
  meId: number;
  total: number;
  seedMs: number;
}

async function seedWorkspace(db: Db) {
  const statements = `
    insert into workspaces (slug, name) values ('bench', 'Bench workspace');
    insert into users (email, display_name, active)
      select 'bench-' || g || '@example.test', 'Bench user ' || g, g <= ${MEMBERS} or g > ${MEMBERS + INACTIVE}
      from generate_series(1, ${MEMBERS + INACTIVE + LEFT}) g;
    insert into tenants (workspace_id, external_id, name)
      select w.id, 'bench-' || g, 'Bench tenant ' || g from workspaces w, generate_series(0, ${TENANTS - 1}) g;
    insert into workspace_memberships (workspace_id, user_id, role)
      select w.id, u.id, case when u.email = 'bench-1@example.test' then 'owner' else 'readonly' end
      from workspaces w, users u;
    insert into tenant_memberships (tenant_id, workspace_id, user_id, role)
      select t.id, t.workspace_id, u.id, case when u.email = 'bench-1@example.test' then 'owner' else 'operator' end
      from tenants t, users u
      where split_part(split_part(u.email, '@', 1), '-', 2)::int <= ${MEMBERS + INACTIVE};
    insert into operation_runs (workspace_id, tenant_id, type, status, outcome, started_at, completed_at)
      select t.workspace_id, t.id, 'sync', 'completed', case when g % 5 = 0 then 'failed' else 'succeeded' end,
        now() - g * interval '6 hours' - interval '5 minutes', now() - g * interval '6 hours'
      from tenants t, generate_series(1, 40) g;
  `;
  // One statement per call: PGlite refuses several in one prepared statement.
  for (const statement of statements.split(';').filter((text) => text.trim() !== '')) {
    await db.execute(sql.raw(statement));
  }
  const [row] = await queryRows<{ first_tenant: number; me: number }>(
    db,
    sql`select (select min(id) from tenants) as first_tenant,
      (select id from users where email = 'bench-1@example.test') as me`,
  );
  return must(row, 'the seeded tenant and user ids');
}

/** Every 200th finding has an exception (5,000, 100 a tenant): pending (some overdue), approved, or approved and lapsed. */
async function seedExceptions(db: Db) {
  await db.execute(
    sql.raw(`
    insert into finding_exceptions (finding_id, owner_user_id, requested_by_user_id, request_reason, review_due_at,
      expires_at, status, decided_by_user_id, decided_at)
    select f.id, f.assignee_user_id, f.assignee_user_id, 'bench',
      now() + case when (f.id / 200) % 5 = 0 then interval '-2 days' else interval '30 days' end,
      case when (f.id / 200) % 4 = 1 then now() - interval '1 day' else now() + interval '60 days' end,
      (array['pending', 'approved', 'pending'])[1 + (f.id / 200) % 3],
      case when (f.id / 200) % 3 = 1 then f.assignee_user_id end,
      case when (f.id / 200) % 3 = 1 then now() end
    from findings f where f.id % 200 = 0 and f.assignee_user_id is not null;
  `),
  );
}

export async function seedWorkspaceViews(
  db: Db,
  options: { mainCount: number; totalCount: number; chunk: number; budgetMs: number },
): Promise<WorkspaceSeeded> {
  const started = Date.now();
  const ids = await seedWorkspace(db);
  const first = Number(ids.first_tenant);
  for (let from = 1; from <= options.mainCount; from += options.chunk) {
    await seedFindings(db, String(first), from, Math.min(from + options.chunk - 1, options.mainCount));
  }
  let total = options.mainCount;
  while (total < options.totalCount && Date.now() - started < options.budgetMs) {
    const to = Math.min(total + options.chunk, options.totalCount);
    await seedFindings(db, `${first} + 1 + g % ${TENANTS - 1}`, total + 1, to);
    total = to;
  }
  await seedExceptions(db);
  // The counters as the first overview after the load leaves them: its deltas folded into a row per (tenant,
  // owner). Measured before the fold's dead rows are vacuumed, the gap filter read ~18,000 of them.
  const tenantIds = await queryRows<{ id: number }>(db, sql`select id from tenants`);
  await foldFindingCounters(
    db,
    tenantIds.map((tenant) => Number(tenant.id)),
  );
  // What autovacuum does soon after a load: statistics, and the visibility map index-only scans rely on.
  await db.execute(sql`vacuum analyze`);
  return {
    workspaceSlug: 'bench',
    mainExternalId: 'bench-0',
    meId: Number(ids.me),
    total,
    seedMs: Date.now() - started,
  };
}
