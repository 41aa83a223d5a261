import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import {
  type Role,
  type TenantCapability,
  tenantCapabilitiesOf,
  type WorkspaceCapability,
  workspaceCapabilitiesOf,
} from '../core/capabilities.ts';
import { AppError, conflict, notFound } from '../core/errors.ts';
import { parseId } from '../core/ids.ts';
import type { Actor, ActorScope, ScopeOfKind, TenantScope } from '../core/scopes.ts';
import type { Db } from '../db/client.ts';
import { tokenIsOfUser, tokenIsOfWorkspaceMember } from '../features/account/queries.ts';
import { exceptionIsOfFinding, findingIsInTenant } from '../features/findings/queries.ts';
import { findRunPlacement } from '../features/operation-runs/queries.ts';
import { isWorkspaceMember } from '../features/people/queries.ts';
import { secondFactorSatisfied } from '../features/second-factor/queries.ts';
import { supportRequestIsOfTenant } from '../features/support-requests/queries.ts';
import {
  type EntitlementExtra,
  findActorWithEntitlement,
  findActorWithMembership,
  findTenantEntitlement,
  findWorkspaceMembership,
} from '../features/tenancy/access-queries.ts';
import { findUserSession } from '../features/tenancy/sessions.ts';
import { findWorkspaceTenantId } from '../features/workspace-tenants/queries.ts';
import type { AccessDeclaration, CapabilityRule, RecordKind } from '../routing.ts';
import { requireActor, requireActorWith } from './auth.ts';
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
  if (!canNameTenant(externalId)) throw notFound();
  return { externalId };
}

/** The path's workspace slug; one with a control character names none (see tenantParam). */
function workspaceParam(params: Params): { slug: string } {
  const slug = params.workspace ?? '';
  if (!canNameWorkspace(slug)) throw notFound();
  return { slug };
}

const canNameTenant = (externalId: string) => TENANT_EXTERNAL_ID.test(externalId);
const canNameWorkspace = (slug: string) => slug !== '' && !CONTROL_CHARACTER.test(slug);

function required<C extends string>(capability: C | CapabilityRule<C>, body: unknown): readonly C[] {
  return typeof capability === 'function' ? capability(body) : [capability];
}

function authorize<C extends string>(role: Role, granted: readonly C[], needed: readonly C[]): void {
  const missing = needed.find((capability) => !granted.includes(capability));
  if (missing) throw new AppError('forbidden', `Your role (${role}) does not allow ${missing}`);
}

/** A scope found for the actor, not yet judged: existence (404) comes before capability (403). */
interface Found<S> {
  scope: S;
  /** The scope's workspace requires a second factor of its members (docs/rules.md "Second factor"). */
  requiresSecondFactor: boolean;
  /** Throws 403 when the actor's role lacks what the route needs. */
  authorize(needed: readonly string[]): void;
  /** Whether the actor meets that requirement, when the scope's own statement already said so. */
  secondFactorSatisfied?: boolean;
}

type Entitlement = NonNullable<Awaited<ReturnType<typeof findTenantEntitlement>>>;

function entitled(base: ActorScope, row: Entitlement): Found<TenantScope> {
  const granted = tenantCapabilitiesOf[row.role];
  return {
    scope: {
      ...base,
      workspace: { id: row.workspaceId, slug: row.workspaceSlug, name: row.workspaceName },
      tenant: {
        id: row.tenantId,
        externalId: row.tenantExternalId,
        name: row.tenantName,
        archived: row.tenantArchivedAt !== null,
      },
      role: row.role,
      capabilities: granted,
    },
    requiresSecondFactor: row.workspaceRequiresSecondFactor,
    authorize: (needed) => authorize(row.role, granted, needed as readonly TenantCapability[]),
  };
}

/** Whether a row of left-joined columns names a tenant the caller holds a role on: an Entitlement. */
function isEntitled<R extends { [K in keyof Entitlement]: Entitlement[K] | null }>(
  row: R,
): row is R & Entitlement {
  return (
    row.role !== null &&
    row.tenantId !== null &&
    row.tenantExternalId !== null &&
    row.tenantName !== null &&
    row.workspaceId !== null &&
    row.workspaceSlug !== null &&
    row.workspaceName !== null &&
    row.workspaceRequiresSecondFactor !== null
  );
}

type FoundAtOnce = {
  actor: Actor;
  found: Found<TenantScope | ScopeOfKind['finding'] | ScopeOfKind['workspace']>;
};

/**
 * The actor and a tenant, finding or workspace scope from one statement (findActorWithEntitlement,
 * findActorWithMembership), in the pipeline's order: 401, then the same 404 for an unknown scope, one out
 * of reach, and a finding of another tenant. Undefined when the path cannot name the scope (the usual order
 * answers it) or the actor was already asked for (then the scope is asked alone).
 */
async function findActorAndScopeAtOnce(
  db: Db,
  request: FastifyRequest,
  access: AccessDeclaration,
): Promise<FoundAtOnce | undefined> {
  const params = request.params as Params;
  const base = (actor: Actor) => ({ db, actor, clientAddress: request.ip });
  if (access.scope === 'workspace') {
    const slug = params.workspace ?? '';
    if (!canNameWorkspace(slug)) return undefined;
    const both = await requireActorWith(db, request, (credential, now) =>
      findActorWithMembership(db, credential, { slug }, now),
    );
    if (!both) return undefined;
    const { actor, row } = both;
    if (!isMember(row)) throw notFound();
    return {
      actor,
      found: { ...member(base(actor), row), secondFactorSatisfied: row.secondFactorSatisfied },
    };
  }
  if (access.scope !== 'tenant' && access.scope !== 'finding') return undefined;
  const externalId = params.tenant ?? '';
  if (!canNameTenant(externalId)) return undefined;
  const findingId = access.scope === 'finding' ? parseId(params.finding ?? '') : null;
  if (access.scope === 'finding' && findingId === null) return undefined;
  const extra = scopeExtraFor(access, findingId);
  const both = await requireActorWith(db, request, (credential, now) =>
    findActorWithEntitlement(db, credential, { externalId }, extra, now),
  );
  if (!both) return undefined;
  const { actor, row } = both;
  if (!isEntitled(row) || row.workspaceMember === null || !row.findingFound) throw notFound();
  const found = entitled(base(actor), row);
  const scopeFields =
    findingId === null ? { listGeneration: row.listGeneration ?? undefined } : { findingId };
  return {
    actor,
    found: {
      ...found,
      scope: { ...found.scope, ...scopeFields },
      secondFactorSatisfied: row.secondFactorSatisfied,
    },
  };
}

/** What the scope's statement reads besides the tenant: the path's finding, or the list generation. */
function scopeExtraFor(access: AccessDeclaration, findingId: number | null): EntitlementExtra {
  if (findingId !== null) return { findingId };
  return access.readsListGeneration ? { listGeneration: true } : null;
}

async function findTenantScope(
  base: ActorScope,
  tenant: { externalId: string } | { id: number },
): Promise<Found<TenantScope>> {
  const row = await findTenantEntitlement(base.db, base.actor.userId, tenant);
  if (!row) throw notFound();
  return entitled(base, row);
}

type Membership = NonNullable<Awaited<ReturnType<typeof findWorkspaceMembership>>>;

function member(base: ActorScope, row: Membership): Found<ScopeOfKind['workspace']> {
  const granted = workspaceCapabilitiesOf[row.role];
  return {
    scope: {
      ...base,
      workspace: { id: row.id, slug: row.slug, name: row.name },
      workspaceRole: row.role,
      capabilities: granted,
    },
    requiresSecondFactor: row.requiresSecondFactor,
    authorize: (needed) => authorize(row.role, granted, needed as readonly WorkspaceCapability[]),
  };
}

/** Whether a row of left-joined columns names a workspace the caller is an active member of. */
function isMember<R extends { [K in keyof Membership]: Membership[K] | null }>(
  row: R,
): row is R & Membership {
  return (
    row.role !== null &&
    row.id !== null &&
    row.slug !== null &&
    row.name !== null &&
    row.requiresSecondFactor !== null
  );
}

async function findWorkspaceScope(
  base: ActorScope,
  workspace: { slug: string } | { id: number },
): Promise<Found<ScopeOfKind['workspace']>> {
  const row = await findWorkspaceMembership(base.db, base.actor.userId, workspace);
  if (!row) throw notFound();
  return member(base, row);
}

async function findRunScope(base: ActorScope, params: Params): Promise<Found<ScopeOfKind['run']>> {
  const runId = parseId(params.run ?? '');
  const run = runId === null ? undefined : await findRunPlacement(base.db, runId);
  if (!run || runId === null) throw notFound();
  if (run.tenantId !== null) {
    const found = await findTenantScope(base, { id: run.tenantId });
    return { ...found, scope: { ...found.scope, runId } };
  }
  // A workspace-level run can be looked at by any member of its workspace, never acted on.
  const { scope, requiresSecondFactor } = await findWorkspaceScope(base, { id: run.workspaceId });
  return {
    scope: { ...base, runId, workspace: scope.workspace, tenant: null, capabilities: [] },
    requiresSecondFactor,
    authorize: (needed) => {
      if (needed.some((capability) => capability !== 'tenant.view')) throw notFound();
    },
  };
}

async function findFindingScope(base: ActorScope, params: Params): Promise<Found<ScopeOfKind['finding']>> {
  const findingId = parseId(params.finding ?? '');
  if (findingId === null) throw notFound();
  // Membership first, then the finding: a finding of another tenant answers exactly like a missing one.
  const row = await findTenantEntitlement(base.db, base.actor.userId, tenantParam(params));
  if (!row || !(await findingIsInTenant(base.db, row.tenantId, findingId))) throw notFound();
  const found = entitled(base, row);
  return { ...found, scope: { ...found.scope, findingId } };
}

/**
 * Records below a scope, looked up inside it: one of another tenant (or an unknown or malformed id)
 * answers the same 404 as a missing scope, before any 403 or 422.
 */
const records: Record<
  RecordKind,
  { param: string; find(scope: unknown, raw: string, params: Params): Promise<number | undefined> }
> = {
  exception: {
    param: 'exception',
    async find(scope, raw) {
      const id = parseId(raw);
      const { db, findingId } = scope as ScopeOfKind['finding'];
      return id !== null && (await exceptionIsOfFinding(db, findingId, id)) ? id : undefined;
    },
  },
  // A `:tenant` under /admin/w/:workspace is a tenant of that workspace by external_id, archived or not.
  workspace_tenant: {
    param: 'tenant',
    async find(scope, raw) {
      if (!TENANT_EXTERNAL_ID.test(raw)) return undefined;
      const { db, workspace } = scope as ScopeOfKind['workspace'];
      return findWorkspaceTenantId(db, workspace.id, raw);
    },
  },
  // An API token of the actor (`/admin/me/tokens/:id`): anyone else's is not there.
  my_token: {
    param: 'id',
    async find(scope, raw) {
      const id = parseId(raw);
      const { db, actor } = scope as ScopeOfKind['actor'];
      return id !== null && (await tokenIsOfUser(db, actor.userId, id)) ? id : undefined;
    },
  },
  // One of the actor's unexpired browser sessions (`/admin/me/sessions/:id`, its public id).
  my_session: {
    param: 'id',
    async find(scope, raw) {
      const id = parseId(raw);
      const { db, actor } = scope as ScopeOfKind['actor'];
      return id !== null && (await findUserSession(db, actor.userId, id)) ? id : undefined;
    },
  },
  // An API token of a member of the workspace (suspended members included), for its owners.
  workspace_token: {
    param: 'id',
    async find(scope, raw) {
      const id = parseId(raw);
      const { db, workspace } = scope as ScopeOfKind['workspace'];
      return id !== null && (await tokenIsOfWorkspaceMember(db, workspace.id, id)) ? id : undefined;
    },
  },
  // A person of the workspace (`:user`, a user id): a member, active or suspended; anyone else is not there.
  member: {
    param: 'user',
    async find(scope, raw) {
      const id = parseId(raw);
      const { db, workspace } = scope as ScopeOfKind['workspace'];
      return id !== null && (await isWorkspaceMember(db, workspace.id, id)) ? id : undefined;
    },
  },
  // A person of the workspace and a tenant of the same workspace (`:user` … `/tenants/:tenant`): the user id.
  member_tenant: {
    param: 'user',
    async find(scope, raw, params) {
      const id = parseId(raw);
      const tenant = params.tenant ?? '';
      if (id === null || !TENANT_EXTERNAL_ID.test(tenant)) return undefined;
      const { db, workspace } = scope as ScopeOfKind['workspace'];
      const found =
        (await isWorkspaceMember(db, workspace.id, id)) &&
        (await findWorkspaceTenantId(db, workspace.id, tenant)) !== undefined;
      return found ? id : undefined;
    },
  },
  // A support request of the path's tenant (`:id`): one of another tenant is not there.
  support_request: {
    param: 'id',
    async find(scope, raw) {
      const id = parseId(raw);
      const { db, tenant } = scope as ScopeOfKind['tenant'];
      return id !== null && (await supportRequestIsOfTenant(db, tenant.id, id)) ? id : undefined;
    },
  },
};

async function findScope(
  access: AccessDeclaration,
  base: ActorScope,
  params: Params,
): Promise<Found<ActorScope | TenantScope | ScopeOfKind['workspace'] | ScopeOfKind['run']>> {
  switch (access.scope) {
    case 'actor':
      return { scope: base, requiresSecondFactor: false, authorize: () => {} };
    case 'workspace':
      return findWorkspaceScope(base, workspaceParam(params));
    case 'tenant':
      return findTenantScope(base, tenantParam(params));
    case 'run':
      return findRunScope(base, params);
    case 'finding':
      return findFindingScope(base, params);
    case 'public':
      throw new Error('a public route has no scope to find');
  }
}

const READS = new Set(['GET', 'HEAD']);

/**
 * docs/rules.md "Access", the one path for every declared route: 401 when nobody is signed in, 404 for
 * anything out of the actor's reach (the scope, then the record below it), 403 for a workspace that requires
 * a second factor the person has not set up (docs/rules.md "Second factor"), 403 for a missing capability, then 422 for the request's deferred schema errors and body rules, and 409 for a change
 * to an archived tenant. Handlers never check memberships themselves.
 */
async function resolve(db: Db, request: FastifyRequest, access: AccessDeclaration): Promise<void> {
  if (access.scope === 'public') {
    request.resolvedScope = null;
    return;
  }
  const params = request.params as Params;
  const atOnce = await findActorAndScopeAtOnce(db, request, access);
  const actor = atOnce?.actor ?? (await requireActor(db, request));
  const found = atOnce?.found ?? (await findScope(access, { db, actor, clientAddress: request.ip }, params));
  if (access.record) {
    const record = records[access.record];
    const id = await record.find(found.scope, params[record.param] ?? '', params);
    if (id === undefined) throw notFound();
    request.resolvedRecordId = id;
  }
  if (
    found.requiresSecondFactor &&
    !(found.secondFactorSatisfied ?? (await secondFactorSatisfied(db, actor)))
  ) {
    const workspace = 'workspace' in found.scope ? found.scope.workspace.name : 'This workspace';
    throw new AppError(
      'second_factor_enrolment_required',
      `${workspace} requires a second factor: set up an authenticator app on your account page`,
    );
  }
  if (access.scope !== 'actor') found.authorize(required(access.capability, request.body));
  assertValidRequest(request);
  const tenant = 'tenant' in found.scope ? found.scope.tenant : null;
  if (tenant?.archived && !READS.has(request.method)) {
    throw conflict(`${tenant.name} is archived: it can be read, not changed, until an owner restores it`);
  }
  request.resolvedScope = found.scope;
}

/**
 * Attaches the pipeline to every route as it is registered: routes that must declare access and do not
 * stop the app from starting; declared ones keep their schema errors until access is resolved.
 * Register before the routes.
 */
export function registerAccessPipeline(app: FastifyInstance, db: Db): void {
  app.decorateRequest('resolvedScope', undefined);
  app.decorateRequest('resolvedRecordId', undefined);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) {
      if (mustDeclareAccess(route.url)) {
        throw new Error(`${route.method} ${route.url} declares no access (config.access)`);
      }
      return;
    }
    if (access.scope !== 'public') route.attachValidation = true;
    const pipeline: preHandlerAsyncHookHandler = (request) => resolve(db, request, access);
    const existing = route.preHandler;
    route.preHandler = existing ? [...(Array.isArray(existing) ? existing : [existing]), pipeline] : pipeline;
  });
}
