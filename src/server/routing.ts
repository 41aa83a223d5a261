import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { TenantCapability, WorkspaceCapability } from './core/capabilities.ts';
import type { ScopeKind, ScopeOfKind } from './core/scopes.ts';

/**
 * What a feature's routes need from the HTTP layer, and nothing more: the typed Fastify instance, the
 * access declaration every route states, and the scope the access pipeline resolved for the handler.
 * Features import this file, never `http/` (docs/decisions/0002-declared-access.md).
 */

/** The Fastify instance every feature registers its routes on: TypeBox types flow into handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * A capability that depends on what the request asks for (a bulk change that sets owners and statuses,
 * a grant of the `owner` role): judged by this function on the body as sent, right after the 404.
 */
export type CapabilityRule<C> = (body: unknown) => readonly C[];

type Required<C> = C | CapabilityRule<C>;

/**
 * Who may call a route. `public`: anyone. `actor`: anyone signed in. The others resolve the path's
 * `:workspace`, `:tenant`, `:run` or `:tenant` + `:finding` and require the capability on it.
 */
export type AccessDeclaration = (
  | { scope: 'public' }
  | { scope: 'actor' }
  | { scope: 'workspace'; capability: Required<WorkspaceCapability> }
  | { scope: 'tenant' | 'run' | 'finding'; capability: Required<TenantCapability> }
) & {
  /**
   * A record below the scope that the path names (`:exception` of a finding): looked up inside the
   * scope, so one that is not there answers the scope's 404 before any 403 or 422. Read its id with
   * `recordIdOf`.
   */
  record?: RecordKind;
  /**
   * A tenant route whose answers a process keeps by the tenant's findings list generation
   * (features/findings/list-cache.ts): the scope's statement reads it too. Only the findings list.
   */
  readsListGeneration?: true;
};

/** The records the pipeline can look up below a scope (http/access.ts keeps how). */
export type RecordKind =
  | 'exception'
  | 'workspace_tenant'
  | 'my_token'
  | 'my_session'
  | 'workspace_token'
  | 'member'
  | 'member_tenant'
  | 'support_request';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every /admin and /api route; resolved by the access pipeline (http/access.ts). */
    access?: AccessDeclaration;
    /**
     * Body rules a schema cannot say (a field the chosen mode does not use, a NUL character), judged
     * with the schema so that one 422 names every bad field. Given the body as sent.
     */
    bodyRules?: (body: unknown) => Record<string, string>;
  }
  interface FastifyRequest {
    /** Set by the access pipeline before the handler runs; read it with `scopeOf`. */
    resolvedScope: ScopeOfKind[ScopeKind] | undefined;
    /** The id of the declared record, once found inside the scope; read it with `recordIdOf`. */
    resolvedRecordId: number | undefined;
  }
}

/** The scope the access pipeline resolved for this route's declaration, typed by the declared kind. */
export function scopeOf<K extends ScopeKind>(request: FastifyRequest, kind: K): ScopeOfKind[K] {
  const declared = request.routeOptions.config.access?.scope;
  if (declared !== kind || request.resolvedScope === undefined) {
    throw new Error(`${request.routeOptions.url} declares scope ${declared}, its handler reads ${kind}`);
  }
  return request.resolvedScope as ScopeOfKind[K];
}

/** The id of the record the route declares (`access.record`), found inside the scope by the pipeline. */
export function recordIdOf(request: FastifyRequest): number {
  if (request.resolvedRecordId === undefined) {
    throw new Error(`${request.routeOptions.url} declares no record, its handler reads one`);
  }
  return request.resolvedRecordId;
}
