import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { workspaceMemberships } from '../tenancy/tables.ts';

/** Whether the user is an active owner of at least one workspace: who may see and test the desk. */
export async function isOwnerSomewhere(db: Db, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ workspaceId: workspaceMemberships.workspaceId })
    .from(workspaceMemberships)
    .where(
      and(
        eq(workspaceMemberships.userId, userId),
        eq(workspaceMemberships.role, 'owner'),
        eq(workspaceMemberships.active, true),
      ),
    )
    .limit(1);
  return row !== undefined;
}
