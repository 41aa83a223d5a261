import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  countWrites,
  runSubmitUrl,
  tenantSubmitUrl,
  validBody,
} from '../../../../test/helpers/support-requests.ts';

/** docs/rules.md "Support requests" and "Precise rules": every bad field is 422 naming the field, and nothing is written. */
let t: TestApp;
let operator: Credential;
const urls: string[] = [];

before(async () => {
  t = await startTestApp();
  const workspace = await make.createWorkspace(t.db);
  const tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  const run = await make.createRun(t.db, { workspaceId: workspace.id, tenantId: tenant.id });
  const user = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
  operator = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  urls.push(tenantSubmitUrl(tenant.externalId), runSubmitUrl(run.id));
});

after(() => t.close());

const MISSING = Symbol('missing');
const link = { handoff_mode: 'link_existing_ticket', external_ticket_reference: 'INC-1' };
const long = (n: number) => 'x'.repeat(n);

/** [field expected in the error, description, overrides applied to a valid body (MISSING deletes)]. */
const cases: [string, string, Record<string, unknown>][] = [
  ['severity', 'missing', { severity: MISSING }],
  ['severity', 'null', { severity: null }],
  ['severity', 'wrong type', { severity: 3 }],
  ['severity', 'not in the enum', { severity: 'urgent' }],
  ['summary', 'missing', { summary: MISSING }],
  ['summary', 'null', { summary: null }],
  ['summary', 'wrong type', { summary: ['a'] }],
  ['summary', 'empty', { summary: '' }],
  ['summary', 'blank', { summary: ' \t\n ' }],
  ['summary', 'over 200 characters', { summary: long(201) }],
  ['summary', 'over 200 emoji', { summary: '🔥'.repeat(201) }],
  ['summary', 'NUL', { summary: 'a\u0000b' }],
  ['reproduction_notes', 'wrong type', { reproduction_notes: 1 }],
  ['reproduction_notes', 'over 10,000', { reproduction_notes: long(10_001) }],
  ['reproduction_notes', 'NUL', { reproduction_notes: '\u0000' }],
  ['contact_name', 'wrong type', { contact_name: { first: 'a' } }],
  ['contact_name', 'over 200', { contact_name: long(201) }],
  ['contact_name', 'NUL', { contact_name: 'Dana\u0000' }],
  ['contact_email', 'wrong type', { contact_email: true }],
  ['contact_email', 'not an address', { contact_email: 'dana at example' }],
  ['contact_email', 'no domain dot', { contact_email: 'dana@localhost' }],
  ['contact_email', 'over 254', { contact_email: `${long(64)}@${long(63)}.${long(63)}.${long(63)}.test` }],
  ['contact_email', 'NUL', { contact_email: 'dana@example.test\u0000' }],
  ['handoff_mode', 'missing', { handoff_mode: MISSING }],
  ['handoff_mode', 'null', { handoff_mode: null }],
  ['handoff_mode', 'not in the enum', { handoff_mode: 'email' }],
  ['handoff_mode', 'wrong type', { handoff_mode: 1 }],
  ['external_ticket_reference', 'missing for link', { handoff_mode: 'link_existing_ticket' }],
  ['external_ticket_reference', 'null for link', { ...link, external_ticket_reference: null }],
  ['external_ticket_reference', 'empty for link', { ...link, external_ticket_reference: '' }],
  ['external_ticket_reference', 'blank for link', { ...link, external_ticket_reference: '   ' }],
  ['external_ticket_reference', 'over 200', { ...link, external_ticket_reference: long(201) }],
  ['external_ticket_reference', 'wrong type', { ...link, external_ticket_reference: 42 }],
  ['external_ticket_reference', 'NUL', { ...link, external_ticket_reference: 'INC\u00001' }],
  ['external_ticket_reference', 'given for internal_only', { external_ticket_reference: 'INC-1' }],
  [
    'external_ticket_reference',
    'given for create_external_ticket',
    { handoff_mode: 'create_external_ticket', external_ticket_reference: 'INC-1' },
  ],
  ['external_ticket_url', 'ftp', { ...link, external_ticket_url: 'ftp://desk.example/1' }],
  ['external_ticket_url', 'javascript', { ...link, external_ticket_url: 'javascript:alert(1)' }],
  ['external_ticket_url', 'relative', { ...link, external_ticket_url: '/a/tickets/1' }],
  ['external_ticket_url', 'not a URL', { ...link, external_ticket_url: 'see the desk' }],
  [
    'external_ticket_url',
    'over 2048',
    { ...link, external_ticket_url: `https://desk.example/${long(2030)}` },
  ],
  ['external_ticket_url', 'wrong type', { ...link, external_ticket_url: ['https://desk.example'] }],
  ['external_ticket_url', 'NUL', { ...link, external_ticket_url: 'https://desk.example/\u0000' }],
  ['external_ticket_url', 'given for internal_only', { external_ticket_url: 'https://desk.example/1' }],
  [
    'external_ticket_url',
    'given for create_external_ticket',
    { handoff_mode: 'create_external_ticket', external_ticket_url: 'https://desk.example/1' },
  ],
  ['target_available', 'wrong type', { target_available: 'yes' }],
  ['priority', 'unknown field', { priority: 'p1' }],
  ['operation_run_id', 'unknown field (a stale form)', { operation_run_id: 3 }],
];

function bodyWith(overrides: Record<string, unknown>): Record<string, unknown> {
  const body = validBody();
  for (const [key, value] of Object.entries(overrides)) {
    if (value === MISSING) delete body[key];
    else body[key] = value;
  }
  return body;
}

async function expectRefused(url: string, payload: unknown, field: string, label: string) {
  const before = await countWrites(t.db);
  const response = await request(t.app, operator, { method: 'POST', url, payload: payload as object });
  assert.equal(response.statusCode, 422, `${label}: ${response.body}`);
  const { error } = response.json();
  assert.equal(error.code, 'invalid', label);
  assert.equal(typeof error.fields?.[field], 'string', `${label}: ${response.body}`);
  assert.deepEqual(await countWrites(t.db), before, `${label}: nothing written`);
}

describe('the bad-input sweep, on both submit paths', () => {
  for (const [field, description, overrides] of cases) {
    test(`${field}: ${description}`, async () => {
      for (const url of urls) await expectRefused(url, bodyWith(overrides), field, url);
    });
  }

  test('several bad fields are all named at once', async () => {
    const payload = bodyWith({
      severity: 'urgent',
      summary: '  ',
      contact_email: 'x',
      external_ticket_url: 'https://a.b',
      extra: 1,
    });
    const response = await request(t.app, operator, { method: 'POST', url: urls[0] ?? '', payload });
    assert.equal(response.statusCode, 422);
    assert.deepEqual(Object.keys(response.json().error.fields).sort(), [
      'contact_email',
      'external_ticket_url',
      'extra',
      'severity',
      'summary',
    ]);
    assert.equal(response.json().error.fields.extra, 'is not a known field');
  });

  test('a body that is not an object is refused', async () => {
    for (const url of urls) {
      for (const payload of [[validBody()], 'text', 42]) {
        const before = await countWrites(t.db);
        const response = await request(t.app, operator, {
          method: 'POST',
          url,
          payload: JSON.stringify(payload),
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(response.statusCode, 422, response.body);
        assert.deepEqual(await countWrites(t.db), before);
      }
    }
  });

  test('values at the limits are accepted', async () => {
    const response = await request(t.app, operator, {
      method: 'POST',
      url: urls[0] ?? '',
      payload: bodyWith({
        summary: long(200),
        reproduction_notes: long(10_000),
        contact_name: long(200),
        contact_email: null,
        ...link,
        external_ticket_reference: long(200),
        external_ticket_url: `https://desk.example/${long(2048 - 'https://desk.example/'.length)}`,
      }),
    });
    assert.equal(response.statusCode, 200, response.body);
  });
});

describe('bodies the server cannot take', () => {
  test('over 1 MiB is 413 and writes nothing; malformed JSON is 400', async () => {
    for (const url of urls) {
      const before = await countWrites(t.db);
      const huge = await request(t.app, operator, {
        method: 'POST',
        url,
        payload: bodyWith({ reproduction_notes: long(1024 * 1024 + 1) }),
      });
      assert.equal(huge.statusCode, 413);
      assert.equal(huge.json().error.code, 'payload_too_large');
      const broken = await request(t.app, operator, {
        method: 'POST',
        url,
        payload: '{"severity": "low",',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(broken.statusCode, 400);
      assert.deepEqual(await countWrites(t.db), before);
    }
  });
});
