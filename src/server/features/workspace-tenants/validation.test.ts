import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import type { Db } from '../../db/client.ts';
import { auditEvents } from '../audit/tables.ts';
import { tenantMemberships, tenants } from '../tenancy/tables.ts';

/**
 * docs/rules.md "Administration" and "Precise rules": every bad field of the create and update bodies is
 * a 422 naming the field, and nothing is written.
 */
let t: TestApp;
let owner: Credential;
let workspace: make.Workspace;
let tenant: make.Tenant;
let serial = 0;

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  const user = await make.createUser(t.db);
  await make.addWorkspaceMember(t.db, { workspaceId: workspace.id, userId: user.id, role: 'owner' });
  owner = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
});

after(() => t.close());

const MISSING = Symbol('missing');
const long = (n: number) => 'x'.repeat(n);
const GUID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

async function snapshot(db: Db) {
  return {
    tenants: await db.select().from(tenants).orderBy(tenants.id),
    memberships: (await db.select().from(tenantMemberships)).length,
    audits: (await db.select().from(auditEvents)).length,
  };
}

type Case = [field: string, description: string, overrides: Record<string, unknown>];

/** The text fields both bodies share; the create body's own cases follow. */
const shared: Case[] = [
  ['name', 'null', { name: null }],
  ['name', 'wrong type', { name: 5 }],
  ['name', 'an array', { name: ['a'] }],
  ['name', 'empty', { name: '' }],
  ['name', 'blank', { name: ' \t\n ' }],
  ['name', 'over 200 characters', { name: long(201) }],
  ['name', 'over 200 emoji', { name: '🏢'.repeat(201) }],
  ['name', 'NUL', { name: 'Con\u0000toso' }],
  ['directory_id', 'wrong type', { directory_id: 7 }],
  ['directory_id', 'an object', { directory_id: { id: GUID } }],
  ['directory_id', 'not a GUID', { directory_id: 'contoso.onmicrosoft.com' }],
  ['directory_id', 'braces', { directory_id: `{${GUID}}` }],
  ['directory_id', 'no hyphens', { directory_id: GUID.replaceAll('-', '') }],
  ['directory_id', 'over 36', { directory_id: `${GUID}0` }],
  ['directory_id', 'empty', { directory_id: '' }],
  ['directory_id', 'NUL', { directory_id: `${GUID.slice(0, 35)}\u0000` }],
  ['primary_domain', 'wrong type', { primary_domain: true }],
  ['primary_domain', 'a URL', { primary_domain: 'https://contoso.com' }],
  ['primary_domain', 'one label', { primary_domain: 'contoso' }],
  ['primary_domain', 'a space', { primary_domain: 'con toso.com' }],
  ['primary_domain', 'empty', { primary_domain: '' }],
  ['primary_domain', 'over 253', { primary_domain: `${'a.'.repeat(126)}com` }],
  ['primary_domain', 'NUL', { primary_domain: 'contoso.com\u0000' }],
  ['desk_customer_id', 'wrong type', { desk_customer_id: 42 }],
  ['desk_customer_id', 'empty', { desk_customer_id: '' }],
  ['desk_customer_id', 'blank', { desk_customer_id: '   ' }],
  ['desk_customer_id', 'over 200', { desk_customer_id: long(201) }],
  ['desk_customer_id', 'NUL', { desk_customer_id: 'ORG\u0000' }],
  ['nope', 'unknown field', { nope: 1 }],
  ['workspace_id', 'unknown field (another workspace)', { workspace_id: 1 }],
  ['__proto__', 'a prototype key', JSON.parse('{"__proto__": {"admin": true}}')],
];

const createCases: Case[] = [
  ...shared,
  ['name', 'missing', { name: MISSING }],
  ['external_id', 'missing', { external_id: MISSING }],
  ['external_id', 'null', { external_id: null }],
  ['external_id', 'wrong type', { external_id: 12 }],
  ['external_id', 'empty', { external_id: '' }],
  ['external_id', 'upper case', { external_id: 'Contoso' }],
  ['external_id', 'a dot', { external_id: 'contoso.com' }],
  ['external_id', 'a space', { external_id: 'con toso' }],
  ['external_id', 'over 63', { external_id: 'a'.repeat(64) }],
  ['external_id', 'NUL', { external_id: 'contoso\u0000' }],
  ['archived', 'not on create', { archived: false }],
];

const updateCases: Case[] = [
  ...shared,
  ['external_id', 'immutable', { external_id: 'renamed' }],
  ['external_id', 'immutable even when the same', { external_id: 'SAME' }],
  ['archived', 'wrong type', { archived: 'true' }],
  ['archived', 'null', { archived: null }],
];

function bodyWith(base: Record<string, unknown>, overrides: Record<string, unknown>) {
  const body = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === MISSING) delete body[key];
    else Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
  }
  return body;
}

async function expectRefused(method: 'POST' | 'PATCH', url: string, payload: unknown, field: string) {
  const before = await snapshot(t.db);
  const response = await request(t.app, owner, {
    method,
    url,
    payload: JSON.stringify(payload),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(response.statusCode, 422, response.body);
  const { error } = response.json();
  assert.equal(error.code, 'invalid');
  assert.equal(typeof error.fields?.[field], 'string', response.body);
  assert.deepEqual(await snapshot(t.db), before, 'nothing written');
}

describe('POST /admin/w/{workspace}/tenants: the bad-input sweep', () => {
  for (const [field, description, overrides] of createCases) {
    test(`${field}: ${description}`, async () => {
      const body = bodyWith({ external_id: `valid-${++serial}`, name: 'Valid' }, overrides);
      await expectRefused('POST', `/admin/w/${workspace.slug}/tenants`, body, field);
    });
  }

  test('a body that is not an object is refused, nothing written', async () => {
    for (const payload of [[], 'text', 5, null]) {
      const before = await snapshot(t.db);
      const response = await request(t.app, owner, {
        method: 'POST',
        url: `/admin/w/${workspace.slug}/tenants`,
        payload: JSON.stringify(payload),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(response.statusCode, 422, `${JSON.stringify(payload)}: ${response.body}`);
      assert.deepEqual(await snapshot(t.db), before);
    }
  });

  test('every bad field is named at once', async () => {
    const response = await request(t.app, owner, {
      method: 'POST',
      url: `/admin/w/${workspace.slug}/tenants`,
      payload: { external_id: 'Bad Id', name: ' ', directory_id: 'x', primary_domain: 'y', extra: 1 },
    });
    assert.equal(response.statusCode, 422);
    assert.deepEqual(Object.keys(response.json().error.fields).sort(), [
      'directory_id',
      'external_id',
      'extra',
      'name',
      'primary_domain',
    ]);
  });

  test('values at the limits are accepted and returned exactly', async () => {
    const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    const response = await request(t.app, owner, {
      method: 'POST',
      url: `/admin/w/${workspace.slug}/tenants`,
      payload: {
        external_id: 'z'.repeat(63),
        name: '🏢'.repeat(200),
        primary_domain: longest,
        desk_customer_id: '🎫'.repeat(200),
        directory_id: GUID,
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().name, '🏢'.repeat(200));
    assert.equal(response.json().primary_domain, longest);
    assert.equal(response.json().desk_customer_id, '🎫'.repeat(200));
    const one = await request(t.app, owner, {
      method: 'POST',
      url: `/admin/w/${workspace.slug}/tenants`,
      payload: { external_id: '0', name: 'x' },
    });
    assert.equal(one.statusCode, 201, one.body);
  });
});

describe('PATCH /admin/w/{workspace}/tenants/{tenant}: the bad-input sweep', () => {
  for (const [field, description, overrides] of updateCases) {
    test(`${field}: ${description}`, async () => {
      const body = bodyWith({ name: 'Valid rename' }, overrides);
      if (body.external_id === 'SAME') body.external_id = tenant.externalId;
      await expectRefused('PATCH', `/admin/w/${workspace.slug}/tenants/${tenant.externalId}`, body, field);
    });
  }
});
