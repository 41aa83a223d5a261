import type { FastifyInstance, RouteOptions } from 'fastify';
import { type Static, Type } from 'typebox';
import type { AccessDeclaration } from '../routing.ts';
import type { ErrorBody as ErrorBodyShape } from './errors.ts';

/**
 * The refusals a route can answer, written into its `schema.response` from what the route already
 * declares: its access (docs/rules.md "Access": 401, 404, 403, then 422), its schemas and body rules,
 * and Fastify's answers to a body it cannot take (413, 400, 415). Generated clients then know
 * every error an operation can answer, each with the one error body; nobody keeps a list by hand.
 * A route lists the refusals nothing here can derive (a 409 from its service) itself, as a description
 * only: `409: Type.Unsafe<never>({ description })` (never: a refusal is thrown, not returned); this hook
 * gives it the error body and leaves its description.
 */

const errorBodyId = 'ErrorBody';

/** The one error body (http/errors.ts), a shared schema: the document names it once and refers to it. */
const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        description: 'For programs, such as unauthenticated, not_found, forbidden, invalid or conflict',
      }),
      message: Type.String({ description: 'For people; not meant to be parsed' }),
      fields: Type.Optional(
        Type.Record(Type.String(), Type.String(), {
          description: 'On 422: one message per invalid field, named as in the request',
        }),
      ),
    }),
  },
  { $id: errorBodyId, description: 'The body of every refusal' },
);
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The schema and the body http/errors.ts sends must stay one shape: this fails to compile when they part.
const sameShape: Same<Static<typeof ErrorBody>, ErrorBodyShape> = true;
void sameShape;

const errorBodyRef = { $ref: `${errorBodyId}#` };

/** Reading is what every member may do; a capability beyond it can be missing from the role. */
const viewCapabilities: readonly string[] = ['tenant.view', 'workspace.view'];
const mutations = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const resolvedScopes = new Set(['workspace', 'tenant', 'run', 'finding']);
const tenantScopes = new Set(['tenant', 'run', 'finding']);
/** Keywords that describe a response without giving its body a shape. */
const annotations = new Set(['description', 'title']);

type Schema = Record<string, unknown>;

function isMutation(method: RouteOptions['method']): boolean {
  return (Array.isArray(method) ? method : [method]).some((m) => mutations.has(m.toUpperCase()));
}

function forbidden(access: AccessDeclaration | undefined, mutation: boolean): string | undefined {
  const capability = access && 'capability' in access ? access.capability : undefined;
  const csrf = 'a browser session sent no valid CSRF token (bearer requests need none)';
  const role =
    typeof capability === 'function'
      ? 'The role lacks a capability this request asks for'
      : capability && !viewCapabilities.includes(capability)
        ? `The role lacks ${capability}`
        : undefined;
  if (role) return mutation ? `${role}, or ${csrf}` : role;
  return mutation ? `Forbidden: ${csrf}` : undefined;
}

/** Path parameters that are plain strings cannot fail validation: an unknown or malformed id is a 404. */
function canRefuseParams(params: Schema | undefined): boolean {
  if (!params) return false;
  const parts = Array.isArray(params.allOf) ? (params.allOf as Schema[]) : [params];
  return parts.some((part) => {
    const properties = part.properties as Record<string, Schema> | undefined;
    if (!properties) return true;
    return Object.values(properties).some((property) =>
      Object.keys(property).some((key) => key !== 'type' && !annotations.has(key)),
    );
  });
}

/** Status → description of every refusal the route's declarations imply. */
function derivedRefusals(route: RouteOptions, bodyLimitBytes: number): Record<number, string> {
  const access = route.config?.access;
  const schema = (route.schema ?? {}) as Schema;
  const mutation = isMutation(route.method);
  const refusals: Record<number, string> = {};
  const scope = access?.scope ?? 'public';
  if (scope !== 'public') refusals[401] = 'Not signed in: no valid session cookie or bearer token';
  if (resolvedScopes.has(scope) || /[:*]/.test(route.url)) {
    refusals[404] =
      'Not found: it does not exist, is not yours, or its id is malformed (the same answer in every case)';
  }
  const forbid = forbidden(access, mutation);
  if (forbid) refusals[403] = forbid;
  // docs/rules.md "Second factor": a workspace that requires one refuses members who have none yet.
  if (resolvedScopes.has(scope)) {
    const enrol =
      'the workspace requires a second factor you have not set up (second_factor_enrolment_required)';
    refusals[403] = forbid ? `${forbid}; or ${enrol}` : `Forbidden: ${enrol}`;
  }
  const validated =
    schema.body ||
    schema.querystring ||
    schema.headers ||
    route.config?.bodyRules ||
    canRefuseParams(schema.params as Schema);
  if (validated) refusals[422] = 'Invalid input: error.fields names every invalid field; nothing was written';
  if (schema.body) {
    refusals[400] = 'The body is not valid JSON';
    refusals[413] = `The body is over ${bodyLimitBytes / (1024 * 1024)} MiB`;
    refusals[415] = 'The body is not application/json';
  }
  // The pipeline refuses every change to an archived tenant's data (docs/rules.md "Administration").
  if (mutation && tenantScopes.has(scope))
    refusals[409] ??= 'The tenant is archived: it can be read, not changed';
  return refusals;
}

function isClientError(status: string): boolean {
  return /^4\d\d$/.test(status);
}

/** A route's own refusal given as a description only gets the error body. */
function withErrorBody(status: string, entry: unknown): unknown {
  if (!isClientError(status) || typeof entry !== 'object' || entry === null) return entry;
  const keys = Object.keys(entry);
  if (!keys.every((key) => annotations.has(key))) return entry;
  return { ...entry, ...errorBodyRef };
}

/**
 * Registers the error body and the hook. Register before the routes: an `onRoute` hook sees only the
 * routes added after it.
 */
export function registerOpenApiRefusals(app: FastifyInstance, options: { bodyLimitBytes: number }): void {
  app.addSchema(ErrorBody);
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    // Anyone may call a public route: a generated client sends no credentials to it.
    if (route.config?.access?.scope === 'public') route.schema = { security: [], ...route.schema };
    const refusals = derivedRefusals(route, options.bodyLimitBytes);
    const own = Object.entries((route.schema?.response ?? {}) as Schema);
    if (Object.keys(refusals).length === 0 && !own.some(([status]) => isClientError(status))) return;
    // The response object may be shared between routes (and the route's schema object too): build new ones.
    const response: Schema = Object.fromEntries(
      own.map(([status, entry]) => [status, withErrorBody(status, entry)]),
    );
    for (const [status, description] of Object.entries(refusals)) {
      response[status] ??= { ...errorBodyRef, description };
    }
    route.schema = { ...route.schema, response };
  });
}
