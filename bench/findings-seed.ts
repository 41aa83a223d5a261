import { sql } from 'drizzle-orm';
import type { Db } from '../src/server/db/client.ts';
import { must } from '../test/helpers/must.ts';

/**
 * Set-based seeding for the findings benchmark: one tenant with `mainCount` findings, the rest spread over
 * 99 other tenants, people with every responsibility situation (no owner, inactive owner, owner who left).
 */
export interface Seeded {
  workspaceId: number;
  mainTenantId: number;
  mainExternalId: string;
  meId: number;
  total: number;
}

const MEMBERS = 40; // active members of the main tenant, user 1 is "me"
const INACTIVE = 5; // members of the main tenant who were deactivated
const LEFT = 5; // owners with no membership any more
const OTHER_TENANTS = 99;

export async function seedPeople(db: Db): Promise<Omit<Seeded, 'total'>> {
  await db.execute(sql`insert into workspaces (slug, name) values ('bench', 'Bench workspace')`);
  const people = MEMBERS + INACTIVE + LEFT;
  // "me" (bench-1) manages the main tenant and works in ten other tenants too (My work spans them).
  // One statement per call: PGlite refuses several in one prepared statement.
  const statements = `
    insert into users (email, display_name, active)
      select 'bench-' || g || '@example.test', 'Bench user ' || g, g <= ${MEMBERS} or g > ${MEMBERS + INACTIVE}
      from generate_series(1, ${people}) g;
    insert into tenants (workspace_id, external_id, name)
      select w.id, 'bench-' || g, 'Bench tenant ' || g from workspaces w, generate_series(0, ${OTHER_TENANTS}) g
      where w.slug = 'bench';
    insert into workspace_memberships (workspace_id, user_id, role)
      select w.id, u.id, 'readonly' from workspaces w, users u where w.slug = 'bench' and u.email like 'bench-%';
    insert into tenant_memberships (tenant_id, workspace_id, user_id, role)
      select t.id, t.workspace_id, u.id, case when u.email = 'bench-1@example.test' then 'manager' else 'operator' end
      from tenants t, users u
      where t.external_id = 'bench-0' and u.email like 'bench-%'
        and split_part(split_part(u.email, '@', 1), '-', 2)::int <= ${MEMBERS + INACTIVE};
    insert into tenant_memberships (tenant_id, workspace_id, user_id, role)
      select t.id, t.workspace_id, u.id, 'operator' from tenants t, users u
      where u.email = 'bench-1@example.test' and t.external_id in (${Array.from({ length: 10 }, (_, i) => `'bench-${i + 1}'`).join(',')});
  `;
  for (const statement of statements.split(';').filter((text) => text.trim() !== '')) {
    await db.execute(sql.raw(statement));
  }
  const rows = (await db.execute(sql`select
      (select id from workspaces where slug = 'bench') as workspace_id,
      (select id from tenants where external_id = 'bench-0') as tenant_id,
      (select id from users where email = 'bench-1@example.test') as me_id`)) as unknown as {
    rows: { workspace_id: number; tenant_id: number; me_id: number }[];
  };
  const row = must(rows.rows[0], 'the seeded workspace, tenant and user ids');
  return {
    workspaceId: row.workspace_id,
    mainTenantId: row.tenant_id,
    mainExternalId: 'bench-0',
    meId: row.me_id,
  };
}

/**
 * Findings g in [from, to]: tenant `tenantSql` (an SQL expression of g), owner none for 1 in 10, a deactivated
 * or departed owner for 1 in 10, else one of the 40 members (each owning runs of 8: "me" about 2%); assignee none for 1 in 3; 20 findings share each
 * detected_at, so the sorts meet ties.
 */
export async function seedFindings(db: Db, tenantSql: string, from: number, to: number): Promise<void> {
  await db.execute(
    sql.raw(`
    -- hashint4 spreads severity, status and assignee independently of the owner pattern: a synthetic correlation
    -- (say, no orphaned finding ever critical) would make the planner's guesses look worse than real data does.
    with u as (select array_agg(id order by id) as ids from users where email like 'bench-%')
    insert into findings (tenant_id, title, severity, workflow_status, detected_at, owner_user_id, assignee_user_id)
    select ${tenantSql}, 'Bench finding ' || g,
      (array['low','medium','high','critical'])[1 + abs(hashint4(g)) % 4],
      (array['new','triaged','in_progress','reopened','resolved','closed'])[1 + abs(hashint4(g * 3)) % 6],
      timestamptz '2026-01-01' + ((g / 20) * interval '1 minute'),
      case when g % 10 = 0 then null
           when g % 10 = 1 then u.ids[${MEMBERS} + 1 + g % ${INACTIVE + LEFT}]
           else u.ids[1 + ((g / 10) * 3) % ${MEMBERS}] end,
      case when abs(hashint4(g * 5)) % 3 = 0 then null else u.ids[1 + abs(hashint4(g * 11)) % ${MEMBERS}] end
    from u, generate_series(${from}, ${to}) g;
  `),
  );
}

/** One exception on every 50th finding of the main tenant: pending, approved (some expired), rejected. */
export async function seedExceptions(db: Db, tenantId: number): Promise<void> {
  await db.execute(
    sql.raw(`
    insert into finding_exceptions (finding_id, owner_user_id, requested_by_user_id, request_reason, review_due_at,
      expires_at, status, decided_by_user_id, decided_at)
    select f.id, f.assignee_user_id, f.assignee_user_id, 'bench', now() + interval '30 days',
      case when (f.id / 50) % 4 = 1 then now() - interval '1 day' else now() + interval '60 days' end,
      (array['pending','approved','rejected'])[1 + (f.id / 50) % 3],
      case when (f.id / 50) % 3 = 0 then null else f.assignee_user_id end,
      case when (f.id / 50) % 3 = 0 then null else now() end
    from findings f where f.tenant_id = ${tenantId} and f.id % 50 = 0 and f.assignee_user_id is not null;
  `),
  );
}

export async function seedAll(
  db: Db,
  options: { mainCount: number; totalCount: number; chunk: number; budgetMs: number },
): Promise<Seeded & { seedMs: number }> {
  const started = Date.now();
  const people = await seedPeople(db);
  for (let from = 1; from <= options.mainCount; from += options.chunk) {
    await seedFindings(
      db,
      String(people.mainTenantId),
      from,
      Math.min(from + options.chunk - 1, options.mainCount),
    );
  }
  let total = options.mainCount;
  // Other tenants' findings, chunk by chunk, until the total or the time budget is reached.
  while (total < options.totalCount && Date.now() - started < options.budgetMs) {
    const to = Math.min(total + options.chunk, options.totalCount);
    await seedFindings(db, `${people.mainTenantId} + 1 + g % ${OTHER_TENANTS}`, total + 1, to);
    total = to;
  }
  await seedExceptions(db, people.mainTenantId);
  await db.execute(sql`analyze`);
  return { ...people, total, seedMs: Date.now() - started };
}
