import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RouteOptions } from 'fastify';
import { startTestApp, type TestApp } from './helpers/app.ts';

interface Response {
  description: string;
  content?: Record<string, { schema: { $ref?: string } }>;
}
interface Operation {
  operationId?: string;
  summary?: string;
  responses: Record<string, Response>;
  security?: unknown[];
}
interface Document {
  servers?: { url: string; description?: string }[];
  info: { description?: string; license?: { name: string } };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const root = path.resolve(import.meta.dirname, '..');
const errorBodyRef = '#/components/schemas/ErrorBody';
/** GET /healthz has no client error: the one operation without a 4xx (scripts/lint-openapi.ts accepts it). */
const without4xx = new Set(['getHealth']);

let t: TestApp;
let spec: Document;
const routes: RouteOptions[] = [];

before(async () => {
  t = await startTestApp({}, { onRoute: (route) => routes.push(route) });
  spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
after(() => t.close());

function operations(): { method: string; path: string; operation: Operation }[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

/** The route an operation documents: `/admin/t/{tenant}` is `/admin/t/:tenant`. */
function routeOf(method: string, documentPath: string): RouteOptions {
  const url = documentPath.replace(/\{(\w+)\}/g, ':$1');
  const route = routes.find((r) => r.url === url && [r.method].flat().includes(method));
  assert.ok(route, `${method} ${documentPath} is a registered route`);
  return route;
}

const clientErrors = (operation: Operation) =>
  Object.keys(operation.responses).filter((s) => /^4\d\d$/.test(s));

describe('the OpenAPI document', () => {
  test('names its server, describes itself, its licence and every tag it uses', () => {
    assert.deepEqual(
      spec.servers?.map((server) => server.url),
      ['/'],
    );
    assert.ok(spec.info.description && spec.info.license?.name);
    const described = new Set(spec.tags?.filter((tag) => tag.description).map((tag) => tag.name));
    for (const { operation } of operations()) {
      for (const tag of (operation as { tags?: string[] }).tags ?? []) assert.ok(described.has(tag), tag);
    }
  });

  test('names TENANTPILOT_PUBLIC_URL as the server when it is set', async () => {
    const other = await startTestApp(
      { TENANTPILOT_PUBLIC_URL: 'https://pilot.msp.test/' },
      { database: t.database },
    );
    try {
      const document: Document = (await other.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.deepEqual(
        document.servers?.map((server) => server.url),
        ['https://pilot.msp.test'],
      );
    } finally {
      await other.close();
    }
  });

  test('every operation has a unique camelCase operationId, a summary and a 4xx', () => {
    const all = operations();
    assert.ok(all.length >= 20, `${all.length} operations`);
    const ids = all.map(({ operation }) => operation.operationId ?? '');
    for (const id of ids) assert.match(id, /^[a-z]+[A-Z][A-Za-z]*$/);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const { method, path, operation } of all) {
      assert.ok(operation.summary, `${method} ${path} has a summary`);
      if (without4xx.has(operation.operationId ?? '')) continue;
      assert.ok(clientErrors(operation).length > 0, `${method} ${path} documents a 4xx`);
    }
  });

  test('every signed-in operation documents 401, every public one asks for no credentials', () => {
    for (const { method, path, operation } of operations()) {
      const scope = routeOf(method, path).config?.access?.scope;
      if (scope === 'public') {
        assert.deepEqual(operation.security, [], `${method} ${path} is public`);
      } else {
        assert.ok(operation.responses['401'], `${method} ${path} documents 401 (${scope})`);
      }
    }
  });

  test('every operation with path parameters documents 404', () => {
    const withParams = operations().filter(({ path }) => path.includes('{'));
    assert.ok(withParams.length > 10);
    for (const { method, path, operation } of withParams) {
      assert.ok(operation.responses['404'], `${method} ${path} documents 404`);
    }
  });

  test('403 where a role can lack the capability or CSRF applies; 413, 400 and 415 where a body is read', () => {
    const responses = (method: string, path: string) => spec.paths[path]?.[method]?.responses ?? {};
    assert.ok(responses('post', '/admin/t/{tenant}/findings/{finding}/responsibility')['403']);
    assert.ok(responses('delete', '/api/session')['403'], 'CSRF on a cookie-authenticated sign-out');
    // tenant.view only: no role lacks it, so the one 403 is a workspace's second-factor requirement.
    assert.match(
      responses('get', '/admin/t/{tenant}/findings')['403']?.description ?? '',
      /^Forbidden: the workspace requires a second factor .*second_factor_enrolment_required/,
    );
    assert.equal(responses('get', '/admin/me')['403'], undefined, 'your own account has no 403');
    for (const status of ['400', '413', '415', '422']) {
      assert.ok(responses('post', '/admin/t/{tenant}/support-requests/actions/submit')[status], status);
      assert.equal(responses('get', '/admin/t/{tenant}')[status], undefined, status);
    }
    assert.ok(responses('post', '/api/session')['429'], 'sign-in is rate limited');
  });

  test("409 where the route says so, and on every change to a tenant's data (an archived tenant)", () => {
    const conflicts = operations()
      .filter(({ operation }) => operation.responses['409'])
      .map(({ operation }) => operation.operationId)
      .sort();
    assert.deepEqual(conflicts, [
      'approveFindingException',
      'bulkChangeFindings',
      'changeFindingStatus',
      'confirmSecondFactorEnrolment',
      'createWorkspaceTenant',
      'disableSecondFactor',
      'handOffSupportRequestAgain',
      'importTenantResults',
      'invitePerson',
      'linkSupportRequestTicket',
      'regenerateRecoveryCodes',
      'reinvitePerson',
      'rejectFindingException',
      'removePerson',
      'requestFindingException',
      'revokeFindingException',
      'revokePersonTenantRole',
      'setPersonTenantRole',
      'setPersonTenantRoles',
      'startSecondFactorEnrolment',
      'submitRunSupportRequest',
      'submitTenantSupportRequest',
      'updateFindingResponsibility',
      'updatePerson',
      'updateWorkspaceSecurity',
      'updateWorkspaceTenant',
    ]);
  });

  test('every 4xx is described and refers to the one ErrorBody component', () => {
    assert.ok(spec.components.schemas.ErrorBody);
    for (const { method, path, operation } of operations()) {
      for (const status of clientErrors(operation)) {
        const response = operation.responses[status];
        assert.ok(response && response.description !== 'Default Response', `${method} ${path} ${status}`);
        assert.equal(response.content?.['application/json']?.schema.$ref, errorBodyRef, `${path} ${status}`);
      }
    }
  });

  test("refusals still serialize whole through the routes' response schemas", async () => {
    const unauthenticated = await t.app.inject({ method: 'GET', url: '/admin/my-work' });
    assert.equal(unauthenticated.statusCode, 401);
    assert.deepEqual(Object.keys(unauthenticated.json().error).sort(), ['code', 'message']);
    const invalid = await t.app.inject({ method: 'POST', url: '/api/session', payload: { email: 1 } });
    assert.equal(invalid.statusCode, 422);
    assert.equal(invalid.json().error.code, 'invalid');
    assert.ok(invalid.json().error.fields.email, 'fields survive serialization');
  });
});

describe('scripts/lint-openapi.ts', () => {
  test("Redocly's recommended rules find no error and no warning", () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/lint-openapi.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /: 0 errors, 0 warnings,/);
  });
});
