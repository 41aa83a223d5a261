import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Role, tenantCapabilitiesOf, workspaceCapabilitiesOf } from '../src/server/core/capabilities.ts';
import { mustDeclareAccess } from '../src/server/http/access.ts';
import type { AccessDeclaration } from '../src/server/routing.ts';
import { type ActorWorld, createActorWorld, NOT_FOUND } from './helpers/actors.ts';
import { type Credential, request, startTestApp, type TestApp } from './helpers/app.ts';
import { createTestDatabase } from './helpers/db.ts';
import * as make from './helpers/factories.ts';

/**
 * Walks every route the app registers: each /admin and /api route declares its access, and for each
 * declared one a request with bad input still answers 401, 404 and 403 before any 422 (docs/rules.md
 * "Access"). A new route is covered the moment it is registered.
 */
interface RegisteredRoute {
  method: string;
  url: string;
  access: AccessDeclaration | undefined;
  hasBody: boolean;
}

let t: TestApp;
let world: ActorWorld;
const routes: RegisteredRoute[] = [];
const values: Record<string, string> = {};

before(async () => {
  t = await startTestApp(
    {},
    {
      onRoute(route) {
        for (const method of [route.method].flat()) {
          if (method === 'HEAD') continue; // Fastify's automatic twin of each GET
          routes.push({
            method,
            url: route.url,
            access: route.config?.access,
            hasBody: Boolean(route.schema?.body),
          });
        }
      },
    },
  );
  world = await createActorWorld(t);
  const run = await make.createRun(t.db, { workspaceId: world.workspace.id, tenantId: world.tenant.id });
  const finding = await make.createFinding(t.db, { tenantId: world.tenant.id });
  const exception = await make.createException(t.db, {
    findingId: finding.id,
    ownerUserId: world.userIds.owner,
  });
  // A support request of the tenant (`…/support-requests/:id`): the installation's first, so its id is `id`'s 1.
  // A failed create (no desk is configured), so that both follow-through actions reach their handlers.
  const submitted = await request(t.app, world.token('owner'), {
    method: 'POST',
    url: `/admin/t/${world.tenant.externalId}/support-requests/actions/submit`,
    payload: { severity: 'low', summary: 'Route access', handoff_mode: 'create_external_ticket' },
  });
  assert.equal(submitted.json().support_request_id, 1, submitted.body);
  Object.assign(values, {
    workspace: world.workspace.slug,
    tenant: world.tenant.externalId,
    // A person of the workspace (`/admin/w/:workspace/people/:user`): the tenant's operator.
    user: String(world.userIds.operator),
    run: String(run.id),
    finding: String(finding.id),
    exception: String(exception.id),
    id: '1',
  });
});

after(() => t.close());

/** The path parameters each scope resolves; any other parameter of a route names a record below it. */
const scopeParamsOf: Record<AccessDeclaration['scope'], string[]> = {
  public: [],
  actor: [],
  workspace: ['workspace'],
  tenant: ['tenant'],
  run: ['run'],
  finding: ['tenant', 'finding'],
};

const paramsOf = (url: string) => [...url.matchAll(/:([a-z]+)/g)].map((match) => match[1] ?? '');

function urlFor(route: RegisteredRoute): string {
  return route.url.replace(/:([a-z]+)/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

function badInput(route: RegisteredRoute) {
  const url = `${urlFor(route)}?limit=0&cursor=${'x'.repeat(600)}`;
  return route.hasBody
    ? { method: route.method as 'POST', url, payload: { not_a_field: 1 } }
    : { method: route.method as 'GET', url };
}

function requiredOf(access: AccessDeclaration, body: unknown): readonly string[] {
  if (access.scope === 'public' || access.scope === 'actor') return [];
  return typeof access.capability === 'function' ? access.capability(body) : [access.capability];
}

function allows(access: AccessDeclaration, role: Role, body: unknown): boolean {
  const granted: readonly string[] =
    access.scope === 'workspace' ? workspaceCapabilitiesOf[role] : tenantCapabilitiesOf[role];
  return requiredOf(access, body).every((capability) => granted.includes(capability));
}

describe('every route declares its access', () => {
  test('the walk found the routes of every feature', () => {
    const urls = routes.map((route) => route.url);
    for (const expected of [
      '/api/session',
      '/admin/t/:tenant',
      '/admin/t/:tenant/findings',
      '/admin/t/:tenant/findings/:finding/responsibility',
      '/admin/operations/:run/support-requests/actions/submit',
      '/admin/my-work',
    ]) {
      assert.ok(urls.includes(expected), `${expected} was not walked`);
    }
    assert.ok(routes.length >= 20, `only ${routes.length} routes walked`);
  });

  test('every /admin and /api route has a declaration', () => {
    const undeclared = routes.filter((route) => mustDeclareAccess(route.url) && !route.access);
    assert.deepEqual(
      undeclared.map((route) => `${route.method} ${route.url}`),
      [],
    );
  });

  test('an /admin route without a declaration stops the app from starting', async () => {
    const database = await createTestDatabase();
    try {
      await assert.rejects(
        startTestApp(
          {},
          {
            database,
            beforeReady(app) {
              app.get('/admin/forgotten', async () => ({ leaked: true }));
            },
          },
        ),
        /GET \/admin\/forgotten declares no access/,
      );
    } finally {
      await database.close();
    }
  });
});

describe('records below a scope', () => {
  test("an unknown record answers the scope's 404 before the 403 and the 422", async () => {
    const withRecord = routes.filter((route) => route.access?.record);
    assert.ok(withRecord.length > 0, 'no route declares a record');
    for (const route of withRecord) {
      // The record's path parameters are those its scope does not name (`:tenant` under `/admin/w/:workspace`).
      const scopeParams = scopeParamsOf[route.access?.scope ?? 'public'];
      const recordParams = paramsOf(route.url).filter((name) => !scopeParams.includes(name));
      assert.ok(recordParams.length > 0, `${route.method} ${route.url} names no record`);
      for (const kind of ['owner', 'readonly'] as const) {
        for (const unknown of ['999999', 'abc']) {
          const path = recordParams.reduce((url, name) => url.replace(`:${name}`, unknown), route.url);
          const url = urlFor({ ...route, url: path });
          const response = await request(t.app, world.token(kind), {
            method: route.method as 'POST',
            url,
            payload: { not_a_field: 1 },
          });
          assert.equal(response.statusCode, 404, `${kind} ${route.method} ${url}: ${response.body}`);
          assert.deepEqual(response.json(), NOT_FOUND);
        }
      }
    }
  });
});

describe('bad input never answers before access is decided', () => {
  const as = (kind: Parameters<ActorWorld['token']>[0]): Credential => world.token(kind);

  test('anonymous: 401 on every declared route that is not public', async () => {
    for (const route of routes.filter((r) => r.access && r.access.scope !== 'public')) {
      const response = await request(t.app, null, badInput(route));
      assert.equal(response.statusCode, 401, `${route.method} ${route.url}: ${response.body}`);
    }
  });

  test('a member of another workspace: the standard 404 on every scoped route', async () => {
    const scoped = routes.filter((r) => r.access && !['public', 'actor'].includes(r.access.scope));
    assert.ok(scoped.length > 10);
    for (const route of scoped) {
      const response = await request(t.app, as('other workspace'), badInput(route));
      assert.equal(response.statusCode, 404, `${route.method} ${route.url}: ${response.body}`);
      assert.deepEqual(response.json(), NOT_FOUND);
    }
  });

  test('readonly: 403 wherever the declared capability is missing, else never 401/403', async () => {
    for (const route of routes.filter((r) => r.access && !['public', 'actor'].includes(r.access.scope))) {
      const access = route.access as AccessDeclaration;
      const input = badInput(route);
      const response = await request(t.app, as('readonly'), input);
      const where = `${route.method} ${route.url}: ${response.body}`;
      // docs/rules.md "Imports": importing at workspace level needs findings.import on a tenant of the workspace,
      // which the service judges from the tenant roles (the declared workspace.view only opens the door).
      const allowed =
        route.url === '/admin/w/:workspace/imports'
          ? tenantCapabilitiesOf.readonly.includes('findings.import')
          : allows(access, 'readonly', 'payload' in input ? input.payload : undefined);
      if (allowed) {
        assert.ok(![401, 403].includes(response.statusCode), where);
        assert.ok(response.statusCode < 500, where);
      } else {
        assert.equal(response.statusCode, 403, where);
      }
    }
  });
});
