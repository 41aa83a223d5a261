import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { tenantMemberships, users } from '../tenancy/tables.ts';
import { findings } from './tables.ts';

/** Counts of a tenant's findings per responsibility state (PRODUCT.md section 4), in one pass. */
export async function countFindingsByResponsibility(db: Db, tenantId: number) {
  const f = findings;
  const [row] = await db
    .select({
      orphaned_accountability: sql<number>`count(*) filter (where ${f.ownerUserId} is null)`.mapWith(Number),
      owned_unassigned:
        sql<number>`count(*) filter (where ${f.ownerUserId} is not null and ${f.assigneeUserId} is null)`.mapWith(
          Number,
        ),
      assigned:
        sql<number>`count(*) filter (where ${f.ownerUserId} is not null and ${f.assigneeUserId} is not null)`.mapWith(
          Number,
        ),
      accountability_gap: sql<number>`count(*) filter (where ${f.ownerUserId} is null or not exists (
        select 1 from ${tenantMemberships} join ${users} on ${users.id} = ${tenantMemberships.userId}
        where ${tenantMemberships.tenantId} = ${f.tenantId} and ${tenantMemberships.userId} = ${f.ownerUserId}
          and ${users.active}))`.mapWith(Number),
      total: sql<number>`count(*)`.mapWith(Number),
    })
    .from(f)
    .where(sql`${f.tenantId} = ${tenantId}`);
  return (
    row ?? { orphaned_accountability: 0, owned_unassigned: 0, assigned: 0, accountability_gap: 0, total: 0 }
  );
}
