import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify';
import { findings } from '../../src/server/features/findings/tables.ts';
import { operationRuns } from '../../src/server/features/operation-runs/tables.ts';
import { users, workspaceMemberships } from '../../src/server/features/tenancy/tables.ts';
import type { App } from '../../src/server/routing.ts';
import { type ActorWorld, createActorWorld } from './actors.ts';
import { type Credential, request, signIn, startTestApp } from './app.ts';

/**
 * The world both hostile-input test files sweep (docs/rules.md "Interfaces" and "Precise rules"): the app
 * on a database of its own, every route it has (walked from the app itself), a tenant's actors, and valid
 * and unknown values for every path parameter. Split in two files so each stays well inside the test
 * runner's per-file time on a loaded machine.
 */
export interface Route {
  method: HTTPMethods;
  url: string;
}

/** The app's own route list: `printRoutes` draws a tree, one node a line, four characters a level. */
export function walkRoutes(app: App): Route[] {
  const routes: Route[] = [];
  const paths: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = (node[1] ?? '').length / 4;
    const path = (paths[depth - 1] ?? '') + (node[2] ?? '');
    paths[depth] = path;
    for (const method of node[3]?.split(', ') ?? [])
      routes.push({ method: method as HTTPMethods, url: path });
  }
  return routes;
}

export const paramsOf = (url: string) => [...url.matchAll(/:(\w+)/g)].map((match) => match[1] as string);

export const ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'second_factor_required',
  'forbidden',
  'second_factor_enrolment_required',
  'not_found',
  'conflict',
  'gone',
  'payload_too_large',
  'unsupported_media_type',
  'invalid',
  'rate_limited',
];

/** `{"error":{"code","message","fields"?}}` and nothing else, with one of the codes the app uses. */
export function assertErrorBody(text: string, label: string) {
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body), ['error'], `${label}: ${text}`);
  const error = body.error;
  assert.ok(ERROR_CODES.includes(error.code), `${label}: code ${error.code}`);
  assert.equal(typeof error.message, 'string', label);
  for (const key of Object.keys(error)) assert.ok(['code', 'message', 'fields'].includes(key), label);
  if ('fields' in error) {
    assert.ok(Object.keys(error.fields).length > 0, label);
    for (const message of Object.values(error.fields)) assert.equal(typeof message, 'string', label);
  }
}

/** Never 5xx; a refusal is JSON in the standard error body. */
export function assertStandard(response: LightMyRequestResponse, label: string) {
  const status = response.statusCode;
  assert.ok(status < 500, `${label}: ${status} ${response.body.slice(0, 300)}`);
  if (status < 400) return;
  assert.match(String(response.headers['content-type']), /^application\/json/, label);
  if (response.body !== '') assertErrorBody(response.body, label); // HEAD has none
}

// The routes are walked before the tests are declared: one test per route.
// Hundreds of hostile invitation links from one address would otherwise fill the attempt limit (a 429 is
// not what this file is about; the limit has its own tests).
export const t = await startTestApp({ TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '1000000' });
export const routes = walkRoutes(t.app);
export let world: ActorWorld;
export let spec: { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
export const valid: Record<string, string> = {};
/** Well-formed values that name nothing: the answer every hostile value must equal. */
export const unknown: Record<string, string> = {
  tenant: 'no-such-tenant',
  workspace: 'no-such-workspace',
  user: '2147483647',
  token: 'no-such-link',
  finding: '2147483647',
  run: '2147483647',
  exception: '2147483647',
  id: '2147483647',
};
export const actors: [string, () => Credential][] = [
  ['anonymous', () => null],
  ['outsider', () => world.token('other workspace')],
  ['owner (token)', () => world.token('owner')],
  ['owner (session)', () => world.credentialsOf('owner')[1]?.[1] ?? null],
];

/**
 * Signs the owner in again, in place: a sweep that reaches a route ending sessions (the owner's token on
 * …/sessions/actions/end-others has no current session to spare) signs the owner's browser out.
 */
export async function renewOwnerSession(): Promise<void> {
  const credential = world.credentialsOf('owner')[1]?.[1];
  if (!credential || !('session' in credential)) return;
  const [owner] = await t.db.select().from(users).where(eq(users.id, world.userIds.owner));
  assert.ok(owner, 'the owner');
  credential.session = await signIn(t.app, owner.email);
}

before(async () => {
  spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  world = await createActorWorld(t);
  // Rows written here rather than by the factories, whose signatures are being reworked.
  const tenantId = world.tenant.id;
  const [finding] = await t.db
    .insert(findings)
    .values({ tenantId, title: 'Hostile input', severity: 'high', workflowStatus: 'new' })
    .returning();
  const [run] = await t.db
    .insert(operationRuns)
    .values({
      workspaceId: world.workspace.id,
      tenantId,
      type: 'sync',
      status: 'completed',
      outcome: 'succeeded',
    })
    .returning();
  assert.ok(finding && run);
  Object.assign(valid, {
    tenant: world.tenant.externalId,
    workspace: world.workspace.slug,
    // A person of the workspace who is none of the actors: the owner's requests may change them.
    user: String(world.userIds['member of a sibling tenant only']),
    finding: String(finding.id),
    run: String(run.id),
  });
  // The tenant's owner also owns its workspace here, so that /admin/w/{workspace}/… reaches every handler.
  await t.db
    .update(workspaceMemberships)
    .set({ role: 'owner' })
    .where(
      and(
        eq(workspaceMemberships.workspaceId, world.workspace.id),
        eq(workspaceMemberships.userId, world.userIds.owner),
      ),
    );
  // A real request and exception, so that the owner's hostile queries and bodies reach every handler.
  const owner = world.token('owner');
  const submitted = await send(owner, {
    method: 'POST',
    url: fill('/admin/t/:tenant/support-requests/actions/submit'),
    payload: { severity: 'low', summary: 'Hostile input', handoff_mode: 'internal_only' },
  });
  const requested = await send(owner, {
    method: 'POST',
    url: fill('/admin/t/:tenant/findings/:finding/exception-request'),
    payload: {
      owner_user_id: world.userIds.owner,
      request_reason: 'Hostile input',
      review_due_at: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  valid.id = String(submitted.json().support_request_id);
  valid.exception = String(requested.json().exception.id);
});
after(() => t.close());

export const fill = (url: string, values: Record<string, string> = {}) =>
  url.replace(/:(\w+)/g, (_, name: string) => values[name] ?? valid[name] ?? name);

/** A POST without a payload sends `{}`: the body is not what these requests are about. */
export function send(credential: Credential, options: InjectOptions) {
  const withBody = options.method === 'POST' && !('payload' in options) ? { payload: {} } : {};
  return request(t.app, credential, { ...withBody, ...options });
}

export const json = { 'content-type': 'application/json' };
export const tenantUrl = (tenant: string, rest = '/findings') => `/admin/t/${tenant}${rest}`;
