import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import {
  type Role,
  type TenantCapability,
  tenantCapabilitiesOf,
  type WorkspaceCapability,
  workspaceCapabilitiesOf,
} from '../core/capabilities.ts';
import { AppError, notFound } from '../core/errors.ts';
import { parseId } from '../core/ids.ts';
import type { Actor, ScopeKind, ScopeOfKind, TenantScope } from '../core/scopes.ts';
import type { Db } from '../db/client.ts';
import { findingIsInTenant } from '../features/findings/queries.ts';
import { findRunPlacement } from '../features/operation-runs/queries.ts';
import { findTenantEntitlement, findWorkspaceMembership } from '../features/tenancy/access-queries.ts';
import type { AccessDeclaration, CapabilityRule } from '../routing.ts';
import { requireActor } from './auth.ts';
import { assertValidRequest } from './validation.ts';

/** Routes under these prefixes must declare their access; a route that forgets is refused at start-up. */
export const declaredPrefixes = ['/admin', '/api'] as const;

export function mustDeclareAccess(url: string): boolean {
  return declaredPrefixes.some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
}

type Params = Record<string, string | undefined>;

/** What `tenants_external_id_check` lets a tenant be called: any other `:tenant` names none. */
const TENANT_EXTERNAL_ID = /^[a-z0-9-]{1,63}$/;
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * The path's tenant, or the 404 of an unknown one without asking the database: a NUL, a control
 * character or 300 characters can name no tenant (and a NUL cannot even be sent to PostgreSQL).
 */
function tenantParam(params: Params): { externalId: string } {
  const externalId = params.tenant ?? '';
  if (!TENANT_EXTERNAL_ID.test(externalId)) throw notFound();
  return { externalId };
}

/** The path's workspace slug; one with a control character names none (see tenantParam). */
function workspaceParam(params: Params): { slug: string } {
  const slug = params.workspace ?? '';
  if (slug === '' || CONTROL_CHARACTER.test(slug)) throw notFound();
  return { slug };
}

function required<C extends string>(capability: C | CapabilityRule<C>, body: unknown): readonly C[] {
  return typeof capability === 'function' ? capability(body) : [capability];
}

function authorize<C extends string>(role: Role, granted: readonly C[], needed: readonly C[]): void {
  const missing = needed.find((capability) => !granted.includes(capability));
  if (missing) throw new AppError('forbidden', `Your role (${role}) does not allow ${missing}`);
}

type Entitlement = NonNullable<Awaited<ReturnType<typeof findTenantEntitlement>>>;

async function tenantScope(
  db: Db,
  actor: Actor,
  tenant: { externalId: string } | { id: number },
  needed: readonly TenantCapability[],
): Promise<TenantScope> {
  const row = await findTenantEntitlement(db, actor.userId, tenant);
  if (!row) throw notFound();
  return entitledScope(db, actor, row, needed);
}

function entitledScope(db: Db, actor: Actor, row: Entitlement, needed: readonly TenantCapability[]) {
  const granted = tenantCapabilitiesOf[row.role];
  authorize(row.role, granted, needed);
  const scope: TenantScope = {
    db,
    actor,
    workspace: { id: row.workspaceId, slug: row.workspaceSlug, name: row.workspaceName },
    tenant: { id: row.tenantId, externalId: row.tenantExternalId, name: row.tenantName },
    role: row.role,
    capabilities: granted,
  };
  return scope;
}

async function workspaceScope(
  db: Db,
  actor: Actor,
  workspace: { slug: string } | { id: number },
  needed: readonly WorkspaceCapability[],
): Promise<ScopeOfKind['workspace']> {
  const row = await findWorkspaceMembership(db, actor.userId, workspace);
  if (!row) throw notFound();
  const granted = workspaceCapabilitiesOf[row.role];
  authorize(row.role, granted, needed);
  return {
    db,
    actor,
    workspace: { id: row.id, slug: row.slug, name: row.name },
    workspaceRole: row.role,
    capabilities: granted,
  };
}

async function runScope(
  db: Db,
  actor: Actor,
  runParam: string | undefined,
  needed: readonly TenantCapability[],
): Promise<ScopeOfKind['run']> {
  const runId = parseId(runParam ?? '');
  const run = runId === null ? undefined : await findRunPlacement(db, runId);
  if (!run || runId === null) throw notFound();
  if (run.tenantId !== null)
    return { ...(await tenantScope(db, actor, { id: run.tenantId }, needed)), runId };
  // A workspace-level run can be looked at by any member of its workspace, never acted on.
  if (needed.some((capability) => capability !== 'tenant.view')) throw notFound();
  const { workspace } = await workspaceScope(db, actor, { id: run.workspaceId }, []);
  return { db, actor, runId, workspace, tenant: null, capabilities: [] };
}

async function findingScope(
  db: Db,
  actor: Actor,
  params: Params,
  needed: readonly TenantCapability[],
): Promise<ScopeOfKind['finding']> {
  const findingId = parseId(params.finding ?? '');
  if (findingId === null) throw notFound();
  // Membership first, then the finding: a finding of another tenant answers exactly like a missing one.
  const row = await findTenantEntitlement(db, actor.userId, tenantParam(params));
  if (!row || !(await findingIsInTenant(db, row.tenantId, findingId))) throw notFound();
  return { ...entitledScope(db, actor, row, needed), findingId };
}

/**
 * docs/rules.md "Access", the one path for every declared route: 401 when nobody is signed in, 404 for
 * anything out of the actor's reach, 403 for a missing capability, and only then 422 for the request's
 * schema errors (deferred: see deferValidation). Handlers never check memberships themselves.
 */
async function resolveScope(
  db: Db,
  request: FastifyRequest,
  access: AccessDeclaration,
): Promise<ScopeOfKind[ScopeKind]> {
  if (access.scope === 'public') return null;
  const actor = await requireActor(db, request);
  const params = request.params as Params;
  switch (access.scope) {
    case 'actor':
      return { db, actor };
    case 'workspace':
      return workspaceScope(db, actor, workspaceParam(params), required(access.capability, request.body));
    case 'tenant':
      return tenantScope(db, actor, tenantParam(params), required(access.capability, request.body));
    case 'run':
      return runScope(db, actor, params.run, required(access.capability, request.body));
    case 'finding':
      return findingScope(db, actor, params, required(access.capability, request.body));
  }
}

/**
 * Attaches the pipeline to every route as it is registered: routes that must declare access and do not
 * stop the app from starting; declared ones keep their schema errors until access is resolved.
 * Register before the routes.
 */
export function registerAccessPipeline(app: FastifyInstance, db: Db): void {
  app.decorateRequest('resolvedScope', undefined);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) {
      if (mustDeclareAccess(route.url)) {
        throw new Error(`${route.method} ${route.url} declares no access (config.access)`);
      }
      return;
    }
    if (access.scope !== 'public') route.attachValidation = true;
    const resolve: preHandlerAsyncHookHandler = async (request) => {
      request.resolvedScope = await resolveScope(db, request, access);
      assertValidRequest(request);
    };
    const existing = route.preHandler;
    route.preHandler = existing ? [...(Array.isArray(existing) ? existing : [existing]), resolve] : resolve;
  });
}
