import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import {
  type ActorKind,
  type ActorWorld,
  actorKinds,
  createActorWorld,
  expectedStatus,
  NOT_FOUND,
} from '../../../../test/helpers/actors.ts';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { directoryId, resultsV1 } from '../../../../test/helpers/result-files.ts';
import { findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import { tenants } from '../tenancy/tables.ts';

/** docs/rules.md "Access" and "Imports": who may import, in the one order; every body field refused alike. */
let t: TestApp;
let world: ActorWorld;
let serial = 0;

before(async () => {
  t = await startTestApp();
  world = await createActorWorld(t);
  await t.db.update(tenants).set({ directoryId: directoryId() }).where(eq(tenants.id, world.tenant.id));
});

after(() => t.close());

const directoryOf = async () =>
  (await t.db.select().from(tenants).where(eq(tenants.id, world.tenant.id)))[0]?.directoryId as string;

function file(overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    ...resultsV1({
      key: `run-${serial}`,
      results: [
        { key: `check-${serial}`, title: 'Stale guest accounts', severity: 'medium', status: 'failed' },
      ],
    }),
    ...overrides,
  };
}

const post = (credential: Credential, url: string, body: unknown) =>
  request(t.app, credential, {
    method: 'POST',
    url,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

const written = async () => ({
  runs: (await t.db.select().from(operationRuns).where(eq(operationRuns.tenantId, world.tenant.id))).length,
  findings: (await t.db.select().from(findings).where(eq(findings.tenantId, world.tenant.id))).length,
});

describe('POST /admin/t/{tenant}/imports', () => {
  for (const kind of actorKinds) {
    test(`${kind}: ${expectedStatus(kind, ['manager', 'owner'], 201)}`, async () => {
      for (const [label, credential] of world.credentialsOf(kind)) {
        const before = await written();
        const response = await post(credential, `/admin/t/${world.tenant.externalId}/imports`, file());
        const status = expectedStatus(kind, ['manager', 'owner'], 201);
        assert.equal(response.statusCode, status, `${label}: ${response.body}`);
        if (status === 404) assert.deepEqual(response.json(), NOT_FOUND);
        const after = await written();
        if (status === 201) assert.deepEqual(after, { runs: before.runs + 1, findings: before.findings + 1 });
        else assert.deepEqual(after, before, `${label} wrote nothing`);
      }
    });
  }

  test('a tenant of another workspace, or none, is the same 404 whatever the body', async () => {
    const owner = world.token('owner');
    for (const url of [
      `/admin/t/${world.otherTenant.externalId}/imports`,
      '/admin/t/no-such-tenant/imports',
    ]) {
      for (const body of [file(), '{"broken":', '']) {
        const response = await post(owner, url, body);
        assert.equal(response.statusCode, 404, url);
        assert.deepEqual(response.json(), NOT_FOUND);
      }
    }
  });

  test('a body refused for its type is 415; one over 50 MB is 413, before any of it is read', async () => {
    const owner = world.token('owner');
    const url = `/admin/t/${world.tenant.externalId}/imports`;
    const xml = await request(t.app, owner, {
      method: 'POST',
      url,
      payload: '<a/>',
      headers: { 'content-type': 'application/xml' },
    });
    assert.equal(xml.statusCode, 415);
    const declared = await request(t.app, owner, {
      method: 'POST',
      url,
      payload: '{}',
      headers: { 'content-type': 'application/json', 'content-length': String(51 * 1024 * 1024) },
    }).catch((error: Error) => error);
    // light-my-request sends what it has; the declared length alone is refused.
    if (!(declared instanceof Error)) assert.equal(declared.statusCode, 413);
  });
});

describe('POST /admin/w/{workspace}/imports', () => {
  const expected: Record<ActorKind, number> = {
    anonymous: 401,
    'inactive user': 401,
    'other workspace': 404,
    // A member who may import somewhere in the workspace, but not into this file's tenant: that part refused.
    'member of a sibling tenant only': 422,
    // A workspace owner without a tenant role may import into no tenant.
    'workspace owner without tenant membership': 403,
    readonly: 403,
    operator: 403,
    manager: 201,
    owner: 201,
  };
  for (const kind of actorKinds) {
    test(`${kind}: ${expected[kind]}`, async () => {
      for (const [label, credential] of world.credentialsOf(kind)) {
        const before = await written();
        const body = file({ directory_id: await directoryOf() });
        const response = await post(credential, `/admin/w/${world.workspace.slug}/imports`, body);
        assert.equal(response.statusCode, expected[kind], `${label}: ${response.body}`);
        if (expected[kind] === 404) assert.deepEqual(response.json(), NOT_FOUND);
        if (expected[kind] === 422)
          assert.match(response.json().error.message, /does not allow findings.import/);
        const after = await written();
        if (expected[kind] === 201) assert.equal(after.runs, before.runs + 1);
        else assert.deepEqual(after, before, `${label} wrote nothing`);
      }
    });
  }
});

describe('bad input: every field of a tenantpilot.results.v1 file, wrong type, oversize or unknown → 422 naming it', () => {
  const long = (n: number) => 'x'.repeat(n + 1);
  const base = () => file();
  const withRun = (run: Record<string, unknown>) => ({ ...base(), run: { ...base().run, ...run } });
  const withResult = (result: Record<string, unknown>) => {
    const body = base();
    return { ...body, results: [{ ...body.results[0], ...result }] };
  };
  const cases: [string, unknown, string][] = [
    ['format of the wrong type', { ...base(), format: 1 }, '$.format'],
    ['tool of the wrong type', { ...base(), tool: 7 }, '$.tool'],
    ['tool too long', { ...base(), tool: long(63) }, '$.tool'],
    ['directory_id of the wrong type', { ...base(), directory_id: true }, '$.directory_id'],
    ['directory_id too long', { ...base(), directory_id: long(36) }, '$.directory_id'],
    ['run of the wrong type', { ...base(), run: 'yesterday' }, '$.run'],
    ['run.type of the wrong type', withRun({ type: [] }), '$.run.type'],
    ['run.type too long', withRun({ type: long(100) }), '$.run.type'],
    ['run.key too long', withRun({ key: long(200) }), '$.run.key'],
    ['run.started_at of the wrong type', withRun({ started_at: 5 }), '$.run.started_at'],
    ['run.completed_at not a date', withRun({ completed_at: 'later' }), '$.run.completed_at'],
    ['an unknown field in run', withRun({ operator: 'me' }), '$.run.operator'],
    ['results of the wrong type', { ...base(), results: {} }, '$.results'],
    ['a result of the wrong type', { ...base(), results: ['failed'] }, '$.results[0]'],
    ['key of the wrong type', withResult({ key: 1 }), '$.results[0].key'],
    ['key too long', withResult({ key: long(200) }), '$.results[0].key'],
    ['title of the wrong type', withResult({ title: {} }), '$.results[0].title'],
    ['title too long', withResult({ title: long(500) }), '$.results[0].title'],
    ['severity unknown', withResult({ severity: 'urgent' }), '$.results[0].severity'],
    ['status unknown', withResult({ status: 'error' }), '$.results[0].status'],
    ['description of the wrong type', withResult({ description: 3 }), '$.results[0].description'],
    ['description too long', withResult({ description: long(100_000) }), '$.results[0].description'],
    ['evidence too long', withResult({ evidence: long(100_000) }), '$.results[0].evidence'],
    ['help_url not a URL', withResult({ help_url: 'javascript:alert(1)' }), '$.results[0].help_url'],
    ['help_url too long', withResult({ help_url: `https://x.test/${long(2048)}` }), '$.results[0].help_url'],
    ['a NUL in a title', withResult({ title: 'a\u0000b' }), '$.results[0].title'],
    ['an unknown field in a result', withResult({ owner: 1 }), '$.results[0].owner'],
    ['an unknown field at the top', { ...base(), tenant: 'x' }, '$.tenant'],
  ];
  for (const [name, body, field] of cases) {
    test(name, async () => {
      const before = await written();
      const response = await post(world.token('owner'), `/admin/t/${world.tenant.externalId}/imports`, body);
      assert.equal(response.statusCode, 422, response.body);
      assert.ok(response.json().error.fields?.[field], `${field} in ${response.body}`);
      assert.deepEqual(await written(), before);
    });
  }
});
