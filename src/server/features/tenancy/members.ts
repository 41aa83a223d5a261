import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import {
  DEFAULT_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  nextCursorSchema,
  PageQuery,
  toPage,
} from '../../core/pagination.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { type App, scopeOf } from '../../routing.ts';
import { Role, TenantParams } from './schemas.ts';

const MemberQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    q: Type.Optional(
      Type.String({ maxLength: 100, pattern: '^[^\\u0000]*$', description: 'Part of a name or email' }),
    ),
  }),
]);

const MemberView = Type.Object({
  id: Type.Integer(),
  display_name: Type.String(),
  email: Type.String(),
  role: Role,
});
const MemberPage = Type.Object({ items: Type.Array(MemberView), next_cursor: nextCursorSchema });

interface MemberRow {
  id: number;
  display_name: string;
  email: string;
  role: 'owner' | 'manager' | 'operator' | 'readonly';
  name_key: string;
}

// Case-insensitive and the same on every server, whatever its default collation.
const byName = sql`lower(u.display_name) collate "C"`;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Active members of a tenant by display name, for owner / assignee / exception-owner pickers. */
export async function listTenantMembers(
  db: Db,
  tenantId: number,
  query: { limit?: number; cursor?: string; q?: string },
) {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { name: 'string', id: 'number' });
  const rows = await queryRows<MemberRow>(
    db,
    sql`select u.id, u.display_name, u.email, m.role, ${byName} as name_key
      from tenant_memberships m join users u on u.id = m.user_id
      where m.tenant_id = ${tenantId} and u.active
        ${query.q ? sql`and (u.display_name ilike ${likePattern(query.q)} or u.email ilike ${likePattern(query.q)})` : sql``}
        ${after ? sql`and (${byName}, u.id) > (${after.name} collate "C", ${after.id})` : sql``}
      order by ${byName}, u.id limit ${limit + 1}`,
  );
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
