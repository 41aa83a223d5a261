import { AppError, conflict } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, toPage } from '../../core/pagination.ts';
import type { WorkspaceScope } from '../../core/scopes.ts';
import { actedIn, recordAuditEvent } from '../audit/record.ts';
import {
  countWorkspacePeople,
  countWorkspaceTenants,
  directoryIdTaken,
  externalIdTaken,
  getWorkspaceTenantRow,
  insertTenant,
  insertTenantMembership,
  listWorkspaceTenantRows,
  updateTenantRow,
  type WorkspaceTenantRow,
} from './queries.ts';
import {
  applyTenantUpdate,
  normalizedDirectoryId,
  normalizedDomain,
  refusesArchivedChange,
  type TenantFacts,
  tenantChanges,
  tenantUpdateAction,
} from './rules.ts';
import type {
  TenantCreate,
  TenantUpdate,
  WorkspaceOverview,
  WorkspaceTenant,
  WorkspaceTenantListQuery,
  WorkspaceTenantPage,
} from './schemas.ts';

const EXTERNAL_ID_TAKEN = 'Another tenant already has this external_id';
const DIRECTORY_ID_TAKEN = 'Another tenant already has this directory id';

const ids = (scope: WorkspaceScope) => ({ workspaceId: scope.workspace.id, userId: scope.actor.userId });

function toWorkspaceTenant(row: WorkspaceTenantRow): WorkspaceTenant {
  return {
    id: row.id,
    external_id: row.externalId,
    name: row.name,
    directory_id: row.directoryId,
    primary_domain: row.primaryDomain,
    desk_customer_id: row.deskCustomerId,
    archived: row.archivedAt !== null,
    archived_at: row.archivedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    my_role: row.myRole,
  };
}

function factsOf(tenant: WorkspaceTenant): TenantFacts {
  const { name, directory_id, primary_domain, desk_customer_id, archived } = tenant;
  return { name, directory_id, primary_domain, desk_customer_id, archived };
}

/** The unique index refused a value another request took between our check and our write: the same 409. */
function uniqueViolation(error: unknown): string | null {
  for (
    let e = error as { code?: string; constraint?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code === '23505') return e.constraint ?? '';
  }
  return null;
}

async function refusingTakenValues<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint?.includes('external_id')) throw takenConflict('external_id');
    if (constraint?.includes('directory_id')) throw takenConflict('directory_id');
    throw error;
  }
}

/** docs/rules.md "Administration": external_id and directory_id are unique across the installation. */
function takenConflict(field: 'external_id' | 'directory_id') {
  const message = field === 'external_id' ? EXTERNAL_ID_TAKEN : DIRECTORY_ID_TAKEN;
  return new AppError('conflict', message, { [field]: 'is already taken' });
}

export async function getWorkspaceOverview(scope: WorkspaceScope): Promise<WorkspaceOverview> {
  const [tenants, people] = await Promise.all([
    countWorkspaceTenants(scope.db, scope.workspace.id),
    countWorkspacePeople(scope.db, scope.workspace.id),
  ]);
  return {
    workspace: scope.workspace,
    workspace_role: scope.workspaceRole,
    capabilities: [...scope.capabilities],
    counts: { tenants, people },
  };
}

/** Every member sees the workspace's tenant names; tenant data still needs a tenant role. */
export async function listWorkspaceTenants(
  scope: WorkspaceScope,
  query: WorkspaceTenantListQuery,
): Promise<WorkspaceTenantPage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor, { name: 'string', id: 'number' });
  const rows = await listWorkspaceTenantRows(scope.db, ids(scope), {
    q: query.q,
    archived: query.archived ?? 'false',
    after,
    limit,
  });
  const page = toPage(rows, limit, (last) => encodeCursor({ name: last.nameKey, id: last.id }));
  return { items: page.items.map(toWorkspaceTenant), next_cursor: page.next_cursor, limit };
}

async function readTenant(scope: WorkspaceScope, tenantId: number): Promise<WorkspaceTenant> {
  const row = await getWorkspaceTenantRow(scope.db, ids(scope), tenantId);
  if (!row) throw new Error(`tenant ${tenantId} vanished inside its own transaction`);
  return toWorkspaceTenant(row);
}

/**
 * docs/rules.md "Administration": a new tenant of the workspace. The creating owner gets the tenant
 * `owner` role on it, so it is theirs to open at once; both are audited with the tenant.
 */
export async function createWorkspaceTenant(scope: WorkspaceScope, input: TenantCreate) {
  const directoryId = normalizedDirectoryId(input.directory_id) ?? null;
  return refusingTakenValues(() =>
    scope.db.transaction(async (tx) => {
      if (await externalIdTaken(tx, input.external_id)) throw takenConflict('external_id');
      if (directoryId && (await directoryIdTaken(tx, directoryId))) throw takenConflict('directory_id');
      const tenantId = await insertTenant(tx, {
        workspaceId: scope.workspace.id,
        externalId: input.external_id,
        name: input.name,
        directoryId,
        primaryDomain: normalizedDomain(input.primary_domain) ?? null,
        deskCustomerId: input.desk_customer_id ?? null,
      });
      await insertTenantMembership(tx, { tenantId, ...ids(scope), role: 'owner' });
      const tenant = await readTenant({ ...scope, db: tx }, tenantId);
      const event = { ...actedIn(scope), tenantId };
      await recordAuditEvent(tx, {
        ...event,
        action: 'tenant.created',
        subjectType: 'tenant',
        subjectId: tenantId,
        after: { external_id: tenant.external_id, ...factsOf(tenant) },
      });
      await recordAuditEvent(tx, {
        ...event,
        action: 'tenant_role.granted',
        subjectType: 'tenant_role',
        subjectId: scope.actor.userId,
        after: { tenant: tenant.external_id, role: 'owner' },
      });
      return tenant;
    }),
  );
}

/**
 * docs/rules.md "Administration": absent fields stay, null clears, `external_id` never changes (422 by
 * the route's rules). An archived tenant refuses every change but being restored (409); nothing changed
 * answers the tenant as it is, with no audit event.
 */
export async function updateWorkspaceTenant(scope: WorkspaceScope, tenantId: number, input: TenantUpdate) {
  return refusingTakenValues(() =>
    scope.db.transaction(async (tx) => {
      const row = await getWorkspaceTenantRow(tx, ids(scope), tenantId, { lock: true });
      if (!row) throw new Error(`tenant ${tenantId} was found by the access pipeline, then vanished`);
      const current = toWorkspaceTenant(row);
      const before = factsOf(current);
      const after = applyTenantUpdate(before, input);
      if (refusesArchivedChange(before, after)) {
        throw conflict(`${current.name} is archived: restore it (archived: false) before changing it`);
      }
      const changes = tenantChanges(before, after);
      if (!changes) return current;
      if (after.directory_id && after.directory_id !== before.directory_id) {
        if (await directoryIdTaken(tx, after.directory_id, tenantId)) throw takenConflict('directory_id');
      }
      await updateTenantRow(tx, scope.workspace.id, tenantId, {
        name: after.name,
        directoryId: after.directory_id,
        primaryDomain: after.primary_domain,
        deskCustomerId: after.desk_customer_id,
        // Archived since the first archiving: a tenant that stays archived keeps its moment.
        archivedAt: after.archived ? (row.archivedAt ?? new Date()) : null,
      });
      await recordAuditEvent(tx, {
        ...actedIn(scope),
        tenantId,
        action: tenantUpdateAction(before, after),
        subjectType: 'tenant',
        subjectId: tenantId,
        ...changes,
      });
      return readTenant({ ...scope, db: tx }, tenantId);
    }),
  );
}
