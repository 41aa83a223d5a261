import { tenantCapabilitiesOf, workspaceCapabilitiesOf } from '../../core/capabilities.ts';
import type { Actor } from '../../core/scopes.ts';
import type { Db } from '../../db/client.ts';
import { hasSecondFactor, secondFactorSatisfied } from '../second-factor/queries.ts';
import { listMemberships } from './queries.ts';
import type { SessionView } from './schemas.ts';

/**
 * Who is signed in, their workspaces with what their workspace role allows, and the tenants they hold a
 * role on. A suspended workspace membership answers nothing anywhere, so it and its tenants are left out.
 */
export async function describeSession(db: Db, actor: Actor): Promise<Omit<SessionView, 'csrf_token'>> {
  const { workspaceRows, tenantRows } = await listMemberships(db, actor.userId);
  return {
    user: { id: actor.userId, email: actor.email, display_name: actor.displayName },
    workspaces: workspaceRows.map((workspace) => ({
      id: workspace.id,
      slug: workspace.slug,
      name: workspace.name,
      role: workspace.role,
      capabilities: [...workspaceCapabilitiesOf[workspace.role]],
      require_second_factor: workspace.requireSecondFactor,
      tenants: tenantRows
        .filter((tenant) => tenant.workspaceId === workspace.id)
        .map((tenant) => ({
          id: tenant.id,
          external_id: tenant.externalId,
          name: tenant.name,
          role: tenant.role,
          capabilities: [...tenantCapabilitiesOf[tenant.role]],
          archived: tenant.archivedAt !== null,
        })),
    })),
    second_factor_enrolled: await hasSecondFactor(db, actor.userId),
    second_factor_satisfied: await secondFactorSatisfied(db, actor),
  };
}
