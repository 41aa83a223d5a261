import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import { findings } from '../features/findings/tables.ts';
import { operationRuns } from '../features/operation-runs/tables.ts';
import {
  type Role,
  tenantMemberships,
  tenants,
  workspaceMemberships,
  workspaces,
} from '../features/tenancy/tables.ts';
import { type Actor, requireActor } from './auth.ts';
import { AppError, notFound } from './errors.ts';
import { assertValidRequest } from './validation.ts';

export const capabilities = [
  'tenant.view',
  'support_requests.create',
  'finding_exceptions.request',
  'findings.assign',
  'finding_exceptions.decide',
] as const;
export type Capability = (typeof capabilities)[number];

/** PRODUCT.md section 2: capabilities come only from the tenant membership role. */
export const capabilitiesOf: Record<Role, readonly Capability[]> = {
  readonly: ['tenant.view'],
  operator: ['tenant.view', 'support_requests.create', 'finding_exceptions.request'],
  manager: ['tenant.view', 'support_requests.create', 'finding_exceptions.request', 'findings.assign'],
  owner: capabilities,
};

export interface WorkspaceRef {
  id: number;
  slug: string;
  name: string;
}
export interface TenantRef {
  id: number;
  externalId: string;
  name: string;
}

export interface TenantScope {
  db: Db;
  actor: Actor;
  workspace: WorkspaceRef;
  tenant: TenantRef;
  role: Role;
  capabilities: readonly Capability[];
}

export interface RunScope {
  db: Db;
  actor: Actor;
  runId: number;
  workspace: WorkspaceRef;
  /** Null for a workspace-level run, which any member of its workspace may view and nobody may act on. */
  tenant: TenantRef | null;
  capabilities: readonly Capability[];
}

export interface FindingScope extends TenantScope {
  findingId: number;
}

const MAX_ID = 2_147_483_647;

/** Path ids that are not a positive 32-bit integer name nothing: they get the same 404 as unknown ids. */
export function parseId(raw: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= MAX_ID ? id : null;
}

const tenantColumns = {
  tenantId: tenants.id,
  tenantExternalId: tenants.externalId,
  tenantName: tenants.name,
  workspaceId: workspaces.id,
  workspaceSlug: workspaces.slug,
  workspaceName: workspaces.name,
  role: tenantMemberships.role,
};

/** The one membership query: the tenant, its workspace, and the actor's role on it, or nothing. */
async function findEntitlement(db: Db, actor: Actor, tenantWhere: ReturnType<typeof eq>) {
  const [row] = await db
    .select(tenantColumns)
    .from(tenants)
    .innerJoin(workspaces, eq(workspaces.id, tenants.workspaceId))
    .innerJoin(
      workspaceMemberships,
      and(
        eq(workspaceMemberships.workspaceId, tenants.workspaceId),
        eq(workspaceMemberships.userId, actor.userId),
      ),
    )
    .innerJoin(
      tenantMemberships,
      and(eq(tenantMemberships.tenantId, tenants.id), eq(tenantMemberships.userId, actor.userId)),
    )
    .where(tenantWhere)
    .limit(1);
  return row;
}

function authorize(role: Role, capability: Capability): readonly Capability[] {
  const granted = capabilitiesOf[role];
  if (!granted.includes(capability)) {
    throw new AppError('forbidden', `Your role (${role}) does not allow ${capability}`);
  }
  return granted;
}

type Entitlement = NonNullable<Awaited<ReturnType<typeof findEntitlement>>>;

function scopeOf(db: Db, actor: Actor, row: Entitlement, capability: Capability): TenantScope {
  const granted = authorize(row.role, capability);
  return {
    db,
    actor,
    workspace: { id: row.workspaceId, slug: row.workspaceSlug, name: row.workspaceName },
    tenant: { id: row.tenantId, externalId: row.tenantExternalId, name: row.tenantName },
    role: row.role,
    capabilities: granted,
  };
}

async function tenantScope(db: Db, actor: Actor, where: ReturnType<typeof eq>, capability: Capability) {
  const row = await findEntitlement(db, actor, where);
  if (!row) throw notFound();
  return scopeOf(db, actor, row, capability);
}

async function workspaceRunScope(
  db: Db,
  actor: Actor,
  runId: number,
  workspaceId: number,
): Promise<RunScope> {
  const [row] = await db
    .select({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name })
    .from(workspaces)
    .innerJoin(
      workspaceMemberships,
      and(eq(workspaceMemberships.workspaceId, workspaces.id), eq(workspaceMemberships.userId, actor.userId)),
    )
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  if (!row) throw notFound();
  return { db, actor, runId, workspace: row, tenant: null, capabilities: [] };
}

/**
 * PRODUCT.md section 2, the one path for every tenant-, run- and finding-scoped request:
 * 401 when nobody is signed in, then 404 for anything out of the actor's reach, then 403 for a missing
 * capability, and only then 422 for the request's schema errors (deferred by deferValidationUnderAdmin).
 * Routes never check memberships themselves.
 */
export function createAccess(db: Db) {
  return {
    /** For /admin routes scoped to the signed-in user alone (My work, the desk's availability). */
    async actor(request: FastifyRequest): Promise<Actor> {
      const actor = await requireActor(db, request);
      assertValidRequest(request);
      return actor;
    },

    async tenant(request: FastifyRequest, tenantParam: string, capability: Capability): Promise<TenantScope> {
      const actor = await requireActor(db, request);
      const scope = await tenantScope(db, actor, eq(tenants.externalId, tenantParam), capability);
      assertValidRequest(request);
      return scope;
    },

    async run(request: FastifyRequest, runParam: string, capability: Capability): Promise<RunScope> {
      const actor = await requireActor(db, request);
      const runId = parseId(runParam);
      if (runId === null) throw notFound();
      const [run] = await db
        .select({ tenantId: operationRuns.tenantId, workspaceId: operationRuns.workspaceId })
        .from(operationRuns)
        .where(eq(operationRuns.id, runId))
        .limit(1);
      if (!run) throw notFound();
      if (run.tenantId === null) {
        // A workspace-level run can be looked at, never acted on (it can't be a support request's context).
        if (capability !== 'tenant.view') throw notFound();
        const scope = await workspaceRunScope(db, actor, runId, run.workspaceId);
        assertValidRequest(request);
        return scope;
      }
      const scope = await tenantScope(db, actor, eq(tenants.id, run.tenantId), capability);
      assertValidRequest(request);
      return { ...scope, runId };
    },

    async finding(
      request: FastifyRequest,
      tenantParam: string,
      findingParam: string,
      capability: Capability,
    ): Promise<FindingScope> {
      const actor = await requireActor(db, request);
      const findingId = parseId(findingParam);
      // Membership first, then the finding: a finding of another tenant answers exactly like a missing one.
      const row =
        findingId === null
          ? undefined
          : await findEntitlement(db, actor, eq(tenants.externalId, tenantParam));
      if (!row || findingId === null) throw notFound();
      const [finding] = await db
        .select({ id: findings.id })
        .from(findings)
        .where(and(eq(findings.id, findingId), eq(findings.tenantId, row.tenantId)))
        .limit(1);
      if (!finding) throw notFound();
      const scope = scopeOf(db, actor, row, capability);
      assertValidRequest(request);
      return { ...scope, findingId };
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
