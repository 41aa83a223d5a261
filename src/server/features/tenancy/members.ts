import { and, eq, ilike, or, sql } from 'drizzle-orm';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import { type App, scopeOf } from '../../routing.ts';
import { MemberPage, MemberQuery, TenantParams } from './schemas.ts';
import { tenantMemberships, users } from './tables.ts';

// Case-insensitive and the same on every server, whatever its default collation.
const byName = () => sql`lower(${users.displayName}) collate "C"`;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Active members of a tenant by display name, for owner / assignee / exception-owner pickers. */
export async function listTenantMembers(
  db: Db,
  tenantId: number,
  query: { limit?: number; cursor?: string; q?: string },
) {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { name: 'string', id: 'number' });
  const pattern = query.q ? likePattern(query.q) : undefined;
  const rows = await db
    .select({
      id: users.id,
      display_name: users.displayName,
      email: users.email,
      role: tenantMemberships.role,
      name_key: byName().mapWith(String),
    })
    .from(tenantMemberships)
    .innerJoin(users, eq(users.id, tenantMemberships.userId))
    .where(
      and(
        eq(tenantMemberships.tenantId, tenantId),
        eq(users.active, true),
        pattern ? or(ilike(users.displayName, pattern), ilike(users.email, pattern)) : undefined,
        after ? sql`(${byName()}, ${users.id}) > (${after.name} collate "C", ${after.id})` : undefined,
      ),
    )
    .orderBy(byName(), users.id)
    .limit(limit + 1);
  const page = toPage(rows, limit, (last) => encodeCursor({ name: last.name_key, id: last.id }));
  return { items: page.items.map(({ name_key: _, ...member }) => member), next_cursor: page.next_cursor };
}

export function registerMemberRoutes(app: App): void {
  app.get(
    '/admin/t/:tenant/members',
    {
      schema: {
        operationId: 'listTenantMembers',
        tags: ['tenancy'],
        summary: "The tenant's active members, by name (for people pickers)",
        params: TenantParams,
        querystring: MemberQuery,
        response: { 200: MemberPage },
      },
      config: { access: { scope: 'tenant', capability: 'tenant.view' } },
    },
    async (request) => {
      const scope = scopeOf(request, 'tenant');
      return listTenantMembers(scope.db, scope.tenant.id, request.query);
    },
  );
}
