import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import { must } from '../../../../test/helpers/must.ts';
import {
  directoryId,
  maesterMerged,
  maesterResult,
  resultsV1,
  scubaResults,
} from '../../../../test/helpers/result-files.ts';
import { auditEvents } from '../audit/tables.ts';
import { findingExceptions, findings } from '../findings/tables.ts';
import { operationRuns } from '../operation-runs/tables.ts';
import type { ImportResult } from './schemas.ts';

/** docs/rules.md "Imports": files in each tool's shape, through the real routes, read back from the database. */
let t: TestApp;
let workspace: make.Workspace;
let managerId: number;
let manager: Credential;

before(async () => {
  t = await startTestApp();
  workspace = await make.createWorkspace(t.db);
  const user = await make.createUser(t.db);
  managerId = user.id;
  manager = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
});

after(() => t.close());

/** A tenant with a directory id, the manager a manager of it. */
async function tenantWithDirectory(dir = directoryId()) {
  const tenant = await make.createTenant(t.db, { workspaceId: workspace.id, directoryId: dir });
  await make.addTenantMember(t.db, { tenant, userId: managerId, role: 'manager' });
  return tenant;
}

async function post(url: string, file: unknown, as: Credential = manager) {
  const payload = typeof file === 'string' || Buffer.isBuffer(file) ? file : JSON.stringify(file);
  return request(t.app, as, {
    method: 'POST',
    url,
    payload,
    headers: { 'content-type': 'application/json' },
  });
}

async function importOk(tenant: make.Tenant, file: unknown, status = 201): Promise<ImportResult> {
  const response = await post(`/admin/t/${tenant.externalId}/imports`, file);
  assert.equal(response.statusCode, status, response.body);
  return response.json();
}

const findingsOf = (tenantId: number) =>
  t.db.select().from(findings).where(eq(findings.tenantId, tenantId)).orderBy(findings.checkId);
const byCheck = async (tenantId: number) => new Map((await findingsOf(tenantId)).map((f) => [f.checkId, f]));
const runsOf = (tenantId: number) =>
  t.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenantId));

describe('Maester', () => {
  test('every result: Failed and Investigate make new findings, Passed none, the rest are ignored', async () => {
    const tenant = await tenantWithDirectory();
    const file = maesterResult({
      tenantId: tenant.directoryId as string,
      tests: [
        {
          id: 'MT.1001',
          title: 'Device compliance policy exists',
          result: 'Failed',
          severity: 'High',
          description: '## Why\nDevices must comply.',
          evidence: 'No policy found',
        },
        { id: 'MT.1002', title: 'App consent is restricted', result: 'Investigate', severity: 'Info' },
        { id: 'MT.1003', title: 'Security defaults', result: 'Passed', severity: 'Critical' },
        { id: 'MT.1004', title: 'Exchange audit', result: 'Skipped' },
        { id: 'MT.1005', title: 'Not run', result: 'NotRun' },
        { id: 'MT.1006', title: 'Errored', result: 'Error' },
        {
          id: 'MT.1007',
          title: 'Severity in the detail',
          result: 'Failed',
          severity: 'Low',
          severityIn: 'detail',
        },
        { id: 'MT.1008', title: 'No severity at all', result: 'Failed', severity: null },
      ],
    });
    const answer = await importOk(tenant, file);
    assert.equal(answer.format, 'maester');
    assert.deepEqual(answer.counts, { created: 4, reopened: 0, resolved: 0, unchanged: 1, ignored: 3 });
    assert.equal(answer.run?.type, 'maester');
    assert.equal(answer.run?.status, 'completed');
    // The tool reported an Error result: partially succeeded.
    assert.equal(answer.run?.outcome, 'partially_succeeded');
    assert.match(
      answer.run?.summary ?? '',
      /Maester: 4 failed \(4 new, 0 reopened\), 1 passed \(0 resolved\), 3 not judged/,
    );
    assert.equal(answer.run?.started_at, '2026-11-20T06:00:59.074Z');
    assert.equal(answer.run?.completed_at, '2026-11-20T06:04:11.074Z');
    const rows = await byCheck(tenant.id);
    assert.deepEqual([...rows.keys()], ['MT.1001', 'MT.1002', 'MT.1007', 'MT.1008']);
    const first = rows.get('MT.1001');
    assert.equal(first?.title, 'Device compliance policy exists');
    assert.equal(first?.severity, 'high');
    assert.equal(first?.workflowStatus, 'new');
    assert.equal(first?.source, 'maester');
    assert.equal(first?.description, '## Why\nDevices must comply.');
    assert.equal(first?.evidence, 'No policy found');
    assert.equal(first?.helpUrl, 'https://maester.dev/docs/tests/MT.1001');
    assert.equal(first?.detectedAt.toISOString(), '2026-11-20T06:04:11.074Z');
    assert.equal(first?.lastSeenAt?.toISOString(), '2026-11-20T06:04:11.074Z');
    assert.equal(first?.ownerUserId, null);
    assert.equal(rows.get('MT.1002')?.severity, 'low', 'Info is low');
    assert.equal(rows.get('MT.1007')?.severity, 'low', 'ResultDetail.Severity is read');
    assert.equal(rows.get('MT.1008')?.severity, 'medium', 'no severity is medium');
  });

  test('a pre-1.1 file (no Id/Title) splits Name at its first colon; a repeated Id is told apart by its title', async () => {
    const tenant = await tenantWithDirectory();
    const tests = [
      { id: 'CIS.M365.1.1.1', title: 'Admin accounts: cloud-only: no sync', result: 'Failed' as const },
      { id: 'MT.1021', title: 'Policy A blocks legacy auth', result: 'Failed' as const },
      { id: 'MT.1021', title: 'Policy B blocks legacy auth', result: 'Passed' as const },
    ];
    await importOk(
      tenant,
      maesterResult({ tenantId: tenant.directoryId as string, tests, version: 'pre-1.1' }),
    );
    const rows = await byCheck(tenant.id);
    assert.deepEqual([...rows.keys()], ['CIS.M365.1.1.1', 'MT.1021 Policy A blocks legacy auth']);
    assert.equal(rows.get('CIS.M365.1.1.1')?.title, 'Admin accounts: cloud-only: no sync');
    // The same file in the current shape keys the same checks the same way: a second assessment updates them.
    const later = maesterResult({
      tenantId: tenant.directoryId as string,
      executedAt: '2026-11-27T17:00:00+11:00',
      tests: tests.map((test) => ({ ...test, result: 'Passed' as const })),
    });
    const answer = await importOk(tenant, later);
    assert.deepEqual(answer.counts, { created: 0, reopened: 0, resolved: 2, unchanged: 1, ignored: 0 });
    assert.equal((await findingsOf(tenant.id)).length, 2);
  });

  test('the lifecycle: a pass resolves, a later fail reopens, a risk-accepted finding stays accepted, people and exceptions untouched', async () => {
    const tenant = await tenantWithDirectory();
    const owner = await make.createUser(t.db);
    await make.addTenantMember(t.db, { tenant, userId: owner.id, role: 'owner' });
    const file = (executedAt: string, results: Record<string, 'Passed' | 'Failed'>) =>
      maesterResult({
        tenantId: tenant.directoryId as string,
        executedAt,
        tests: Object.entries(results).map(([id, result]) => ({
          id,
          title: `Check ${id}`,
          result,
          severity: 'High',
        })),
      });
    await importOk(tenant, file('2026-11-01T00:00:00Z', { A: 'Failed', B: 'Failed', C: 'Failed' }));
    const rows = await byCheck(tenant.id);
    const [a, b, c] = ['A', 'B', 'C'].map((id) => rows.get(id)) as [make.Finding, make.Finding, make.Finding];
    // People take responsibility; C's risk is accepted with an approved exception.
    await t.db
      .update(findings)
      .set({ ownerUserId: owner.id, assigneeUserId: managerId })
      .where(eq(findings.id, a.id));
    await make.createException(t.db, {
      findingId: c.id,
      ownerUserId: owner.id,
      status: 'approved',
      expiresAt: null,
    });

    const second = await importOk(
      tenant,
      file('2026-11-08T00:00:00Z', { A: 'Passed', B: 'Failed', C: 'Passed' }),
    );
    assert.deepEqual(second.counts, { created: 0, reopened: 0, resolved: 1, unchanged: 2, ignored: 0 });
    let now = await byCheck(tenant.id);
    assert.equal(now.get('A')?.workflowStatus, 'resolved');
    assert.equal(now.get('A')?.ownerUserId, owner.id, 'owner untouched');
    assert.equal(now.get('A')?.assigneeUserId, managerId, 'assignee untouched');
    assert.equal(now.get('B')?.workflowStatus, 'new');
    assert.equal(now.get('C')?.workflowStatus, 'new', 'risk accepted: a pass changes nothing');
    assert.equal(now.get('B')?.lastSeenAt?.toISOString(), '2026-11-08T00:03:12.000Z');

    const third = await importOk(
      tenant,
      file('2026-11-15T00:00:00Z', { A: 'Failed', B: 'Failed', C: 'Failed' }),
    );
    assert.deepEqual(third.counts, { created: 0, reopened: 1, resolved: 0, unchanged: 2, ignored: 0 });
    now = await byCheck(tenant.id);
    assert.equal(now.get('A')?.workflowStatus, 'reopened');
    assert.equal(now.get('A')?.ownerUserId, owner.id);
    const [exception] = await t.db
      .select()
      .from(findingExceptions)
      .where(eq(findingExceptions.findingId, c.id));
    assert.equal(exception?.status, 'approved', 'the exception is untouched');
    const detail = await request(t.app, manager, {
      method: 'GET',
      url: `/admin/t/${tenant.externalId}/findings/${c.id}`,
    });
    assert.equal(detail.json().workflow_status, 'risk_accepted', 'still risk accepted');

    // Every change is audited with its run as the cause.
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.subjectType, 'finding'),
          inArray(auditEvents.subjectId, [String(a.id), String(b.id)]),
        ),
      )
      .orderBy(auditEvents.id);
    assert.deepEqual(
      events.map((e) => [e.subjectId, e.action, (e.after as { workflow_status: string }).workflow_status]),
      [
        [String(a.id), 'finding.imported', 'new'],
        [String(b.id), 'finding.imported', 'new'],
        [String(a.id), 'finding.status_changed', 'resolved'],
        [String(a.id), 'finding.status_changed', 'reopened'],
      ],
    );
    const lastEvent = must(events.at(-1), 'the reopening event');
    assert.deepEqual((lastEvent.after as { cause: unknown }).cause, {
      type: 'import',
      run_id: third.run?.id,
      source: 'maester',
    });
    assert.equal(lastEvent.actorUserId, managerId);
    const history = await request(t.app, manager, {
      method: 'GET',
      url: `/admin/t/${tenant.externalId}/findings/${a.id}/history`,
    });
    assert.equal(history.json().items[0].after.cause.type, 'import');
  });

  test('the same assessment again changes nothing and answers the run it made', async () => {
    const tenant = await tenantWithDirectory();
    const file = maesterResult({
      tenantId: tenant.directoryId as string,
      tests: [
        { id: 'X', title: 'x', result: 'Failed' },
        { id: 'Y', title: 'y', result: 'Skipped' },
      ],
    });
    const first = await importOk(tenant, file);
    const before = await findingsOf(tenant.id);
    const eventsBefore = await t.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id));
    const again = await importOk(tenant, file, 200);
    assert.equal(again.already_imported, true);
    assert.equal(again.run?.id, first.run?.id);
    assert.deepEqual(again.counts, { created: 0, reopened: 0, resolved: 0, unchanged: 1, ignored: 1 });
    assert.deepEqual(await findingsOf(tenant.id), before);
    assert.equal((await runsOf(tenant.id)).length, 1);
    const eventsAfter = await t.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id));
    assert.equal(eventsAfter.length, eventsBefore.length);
  });

  test('a merged file: each part goes to its tenant by directory id; an unknown tenant is refused and nothing of it written', async () => {
    const one = await tenantWithDirectory();
    const two = await tenantWithDirectory();
    const unknown = directoryId();
    const failing = (tenantId: string) =>
      maesterResult({
        tenantId: tenantId.toUpperCase(),
        tests: [{ id: 'MT.1', title: 'one', result: 'Failed' }],
      });
    const merged = maesterMerged([
      failing(one.directoryId as string),
      failing(unknown),
      failing(two.directoryId as string),
    ]);
    const response = await post(`/admin/w/${workspace.slug}/imports`, merged);
    assert.equal(response.statusCode, 201, response.body);
    const answer: ImportResult = response.json();
    assert.equal(answer.imports.length, 2);
    assert.equal(answer.run, null, 'several runs: each part names its own');
    assert.deepEqual(answer.counts, { created: 2, reopened: 0, resolved: 0, unchanged: 0, ignored: 0 });
    assert.deepEqual(answer.refused, [
      {
        path: '$.Tenants[1].TenantId',
        directory_id: unknown,
        reason: `No tenant of this workspace has directory id ${unknown}`,
      },
    ]);
    assert.deepEqual(
      answer.imports.map((part) => part.run.tenant?.id),
      [one.id, two.id],
    );
    assert.equal((await findingsOf(one.id)).length, 1);
    assert.equal((await findingsOf(two.id)).length, 1);
  });

  test('a file for another tenant is refused: 422 naming where, nothing written', async () => {
    const tenant = await tenantWithDirectory();
    const other = directoryId();
    const response = await post(
      `/admin/t/${tenant.externalId}/imports`,
      maesterResult({ tenantId: other, tests: [{ id: 'A', title: 'a', result: 'Failed' }] }),
    );
    assert.equal(response.statusCode, 422);
    assert.match(
      response.json().error.fields['$.TenantId'],
      new RegExp(`for directory ${other}, not ${tenant.name}`),
    );
    assert.equal((await findingsOf(tenant.id)).length, 0);
    assert.equal((await runsOf(tenant.id)).length, 0);
    // A tenant without a directory id cannot be matched either.
    const bare = await make.createTenant(t.db, { workspaceId: workspace.id });
    await make.addTenantMember(t.db, { tenant: bare, userId: managerId, role: 'manager' });
    const refused = await post(
      `/admin/t/${bare.externalId}/imports`,
      maesterResult({ tenantId: other, tests: [] }),
    );
    assert.equal(refused.statusCode, 422);
    assert.match(refused.json().error.message, /has no directory id/);
  });
});

describe('ScubaGear', () => {
  test('every result; Shall is high, Should medium; HTML stripped from titles; Raw never a finding', async () => {
    const tenant = await tenantWithDirectory();
    const file = scubaResults({
      tenantId: tenant.directoryId as string,
      products: {
        AAD: [
          {
            id: 'MS.AAD.1.1v1',
            requirement:
              'Legacy authentication <b>SHALL</b> be blocked.<br/>See <a href="https://x">note</a> &amp; more',
            result: 'Fail',
            criticality: 'Shall',
            details: '0 conditional access policy(s) found that <span>meet</span> all conditions',
          },
          {
            id: 'MS.AAD.2.1v1',
            requirement: 'Users detected as high risk SHOULD be blocked.',
            result: 'Warning',
            criticality: 'Should',
          },
          {
            id: 'MS.AAD.3.1v1',
            requirement: 'Phishing-resistant MFA SHALL be enforced.',
            result: 'Pass',
            criticality: 'Shall',
          },
          { id: 'MS.AAD.3.2v1', requirement: 'Third party', result: 'N/A', criticality: 'Should/3rd Party' },
          { id: 'MS.AAD.3.3v1', requirement: 'Errored', result: 'Error', criticality: 'Shall' },
          { id: 'MS.AAD.3.4v1', requirement: 'Omitted', result: 'Omitted', criticality: 'Shall' },
        ],
        EXO: [
          {
            id: 'MS.EXO.1.1v1',
            requirement: 'Automatic forwarding SHALL be disabled.',
            result: 'Fail',
            criticality: 'Shall/Not-Implemented',
          },
        ],
      },
      rawPadding: 10_000,
    });
    const answer = await importOk(tenant, file);
    assert.equal(answer.format, 'scubagear');
    assert.deepEqual(answer.counts, { created: 3, reopened: 0, resolved: 0, unchanged: 1, ignored: 3 });
    assert.equal(answer.run?.type, 'scubagear');
    assert.equal(answer.run?.outcome, 'partially_succeeded');
    const rows = await byCheck(tenant.id);
    const fail = rows.get('MS.AAD.1.1v1');
    assert.equal(fail?.title, 'Legacy authentication SHALL be blocked. See note & more');
    assert.equal(fail?.severity, 'high');
    assert.equal(fail?.source, 'scubagear');
    assert.equal(fail?.evidence, '0 conditional access policy(s) found that meet all conditions');
    assert.match(fail?.helpUrl ?? '', /^https:\/\/github\.com\/cisagov\/ScubaGear\//);
    assert.equal(rows.get('MS.AAD.2.1v1')?.severity, 'medium');
    assert.equal(rows.get('MS.EXO.1.1v1')?.severity, 'high');
    assert.equal(rows.get('MS.AAD.1.1v1')?.detectedAt.toISOString(), '2026-11-21T08:15:02.113Z');
  });

  test('names are compared case-insensitively; the same ReportUUID again changes nothing; a pass resolves', async () => {
    const tenant = await tenantWithDirectory();
    const text = JSON.stringify(
      scubaResults({
        tenantId: tenant.directoryId as string,
        uuid: 'AAAA0000-1111-2222-3333-444455556666',
        products: { AAD: [{ id: 'MS.AAD.1.1v1', requirement: 'r', result: 'Fail', criticality: 'Shall' }] },
      }),
    )
      .replace('"MetaData"', '"metadata"')
      .replace('"Control ID"', '"control id"')
      .replace('"Result":"Fail"', '"result":"FAIL"');
    const first = await importOk(tenant, text);
    assert.equal(first.counts.created, 1);
    assert.equal((await importOk(tenant, text.replace('AAAA0000', 'aaaa0000'), 200)).already_imported, true);
    const passed = scubaResults({
      tenantId: tenant.directoryId as string,
      uuid: 'bbbb0000-1111-2222-3333-444455556666',
      products: { AAD: [{ id: 'MS.AAD.1.1v1', requirement: 'r', result: 'Pass', criticality: 'Shall' }] },
    });
    assert.equal((await importOk(tenant, passed)).counts.resolved, 1);
    assert.equal((await findingsOf(tenant.id))[0]?.workflowStatus, 'resolved');
    assert.equal((await runsOf(tenant.id)).length, 2);
  });
});

describe('tenantpilot.results.v1', () => {
  test('failed, passed and skipped; the run type and key are the file’s; severity as given', async () => {
    const tenant = await tenantWithDirectory();
    const file = resultsV1({
      results: [
        {
          key: 'ss-1',
          title: 'Enable MFA for admins',
          severity: 'critical',
          status: 'failed',
          description: 'Use **MFA**',
          evidence: '3 admins without',
          help_url: 'https://example.com/mfa',
        },
        { key: 'ss-2', title: 'Block legacy auth', severity: 'low', status: 'passed' },
        { key: 'ss-3', title: 'Not assessed', severity: 'medium', status: 'skipped' },
      ],
    });
    const answer = await importOk(tenant, file);
    assert.equal(answer.format, 'tenantpilot.results.v1');
    assert.equal(answer.run?.type, 'secure_score_review');
    assert.equal(answer.run?.outcome, 'succeeded');
    assert.equal(answer.run?.started_at, '2026-11-22T09:00:00.000Z');
    assert.equal(answer.run?.completed_at, '2026-11-22T09:05:00.000Z');
    assert.deepEqual(answer.counts, { created: 1, reopened: 0, resolved: 0, unchanged: 1, ignored: 1 });
    const [row] = await findingsOf(tenant.id);
    assert.equal(row?.source, 'secure-score');
    assert.equal(row?.severity, 'critical');
    assert.equal(row?.helpUrl, 'https://example.com/mfa');
    assert.equal((await importOk(tenant, file, 200)).already_imported, true);
  });

  test('read strictly: unknown fields, wrong types and values are refused with their paths, nothing written', async () => {
    const tenant = await tenantWithDirectory();
    const file = {
      ...resultsV1({
        results: [
          { key: 'k', title: 't', severity: 'severe', status: 'failed' },
          { key: 'k', title: '', severity: 'low', status: 'passed' },
        ],
      }),
      extra: 1,
    };
    (file.run as Record<string, unknown>).started_at = 'yesterday';
    const response = await post(`/admin/t/${tenant.externalId}/imports`, file);
    assert.equal(response.statusCode, 422);
    const fields = response.json().error.fields;
    assert.equal(fields['$.extra'], 'is not a known field');
    assert.equal(fields['$.results[0].severity'], 'must be one of low, medium, high, critical');
    assert.equal(fields['$.results[1].title'], 'must not be blank');
    assert.match(fields['$.run.started_at'], /must be a date and time/);
    assert.equal((await findingsOf(tenant.id)).length, 0);
    assert.equal((await runsOf(tenant.id)).length, 0);
  });

  test('at workspace level a v1 file names its tenant by directory_id', async () => {
    const tenant = await tenantWithDirectory();
    const results = [{ key: 'k', title: 'title', severity: 'high', status: 'failed' }];
    const without = await post(`/admin/w/${workspace.slug}/imports`, resultsV1({ results }));
    assert.equal(without.statusCode, 422);
    assert.match(without.json().error.fields['$.directory_id'], /Name the tenant with directory_id/);
    const named = await post(
      `/admin/w/${workspace.slug}/imports`,
      resultsV1({ results, directoryId: tenant.directoryId as string }),
    );
    assert.equal(named.statusCode, 201, named.body);
    assert.equal((await findingsOf(tenant.id)).length, 1);
  });
});

describe('malformed files', () => {
  test('a syntax error, a non-object, an unknown shape and a bad field each answer 422 saying where; nothing written', async () => {
    const tenant = await tenantWithDirectory();
    const url = `/admin/t/${tenant.externalId}/imports`;
    const cases: [string, string, string][] = [
      ['{"TenantId": "x", "Tests": [{"Id": "A", "Result": }]}', '$.Tests[0].Result', 'expected a value'],
      ['[1, 2]', '$', 'must be a JSON object'],
      ['{"Hello": "world"}', '$', 'must have Tests or Tenants'],
      [
        JSON.stringify(maesterResult({ tenantId: tenant.directoryId as string, tests: [] })).replace(
          '"Tests":[]',
          '"Tests":[{"Id":"A","Result":7}]',
        ),
        '$.Tests[0].Result',
        'must be a non-empty string',
      ],
      [
        JSON.stringify(maesterResult({ tenantId: tenant.directoryId as string, tests: [] })).replace(
          /"ExecutedAt":"[^"]*"/,
          '"ExecutedAt":"soon"',
        ),
        '$.ExecutedAt',
        'must be a date and time',
      ],
      ['{"format": "tenantpilot.results.v2"}', '$.format', 'must be tenantpilot.results.v1'],
      ['', '$', 'must be a JSON object'],
    ];
    for (const [body, path, message] of cases) {
      const response = await post(url, body);
      assert.equal(response.statusCode, 422, `${body.slice(0, 60)}: ${response.body}`);
      const fields = response.json().error.fields ?? {};
      assert.ok(fields[path]?.includes(message), `${path} in ${JSON.stringify(fields)}`);
    }
    assert.equal((await findingsOf(tenant.id)).length, 0);
    assert.equal((await runsOf(tenant.id)).length, 0);
  });

  test('a merged file with one malformed part writes nothing for any tenant', async () => {
    const one = await tenantWithDirectory();
    const two = await tenantWithDirectory();
    const good = maesterResult({
      tenantId: one.directoryId as string,
      tests: [{ id: 'A', title: 'a', result: 'Failed' }],
    });
    const bad = maesterResult({
      tenantId: two.directoryId as string,
      tests: [{ id: 'A', title: 'a', result: 'Failed' }],
    });
    (bad.Tests[0] as Record<string, unknown>).Result = ['Failed'];
    const response = await post(`/admin/w/${workspace.slug}/imports`, maesterMerged([good, bad]));
    assert.equal(response.statusCode, 422);
    assert.ok(response.json().error.fields['$.Tenants[1].Tests[0].Result']);
    assert.equal((await findingsOf(one.id)).length, 0);
    assert.equal((await findingsOf(two.id)).length, 0);
  });

  test('a UTF-8 byte-order mark is allowed', async () => {
    const tenant = await tenantWithDirectory();
    const file = maesterResult({
      tenantId: tenant.directoryId as string,
      tests: [{ id: 'B', title: 'Ünïcode ✓', result: 'Failed' }],
    });
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(file))]);
    await importOk(tenant, body);
    assert.equal((await findingsOf(tenant.id))[0]?.title, 'Ünïcode ✓');
  });
});

describe('findings read back', () => {
  test('list items and the detail carry the tool, check, texts and last seen; the list filters by source', async () => {
    const tenant = await tenantWithDirectory();
    await importOk(
      tenant,
      maesterResult({
        tenantId: tenant.directoryId as string,
        tests: [{ id: 'MT.1001', title: 'M', result: 'Failed', description: '**Why**', evidence: 'found 3' }],
      }),
    );
    await importOk(
      tenant,
      resultsV1({ results: [{ key: 'k1', title: 'V', severity: 'low', status: 'failed' }] }),
    );
    await make.createFinding(t.db, { tenantId: tenant.id, title: 'Made here' });
    const list = async (query: string) =>
      (
        await request(t.app, manager, {
          method: 'GET',
          url: `/admin/t/${tenant.externalId}/findings?${query}`,
        })
      ).json();
    const maester = await list('source=maester&workflow_status=any');
    assert.deepEqual(
      maester.items.map((item: Record<string, unknown>) => [
        item.title,
        item.source,
        item.check_id,
        item.help_url,
      ]),
      [['M', 'maester', 'MT.1001', 'https://maester.dev/docs/tests/MT.1001']],
    );
    assert.equal(maester.items[0].last_seen_at, '2026-11-20T06:04:11.074Z');
    assert.deepEqual(
      (await list('source=secure-score')).items.map((i: { title: string }) => i.title),
      ['V'],
    );
    assert.equal((await list('source=nothing')).items.length, 0);
    const all = await list('workflow_status=any');
    assert.equal(all.items.length, 3);
    const made = all.items.find((item: { title: string }) => item.title === 'Made here');
    assert.deepEqual(
      [made.source, made.check_id, made.description, made.evidence, made.help_url, made.last_seen_at],
      [null, null, null, null, null, null],
    );
    const detail = await request(t.app, manager, {
      method: 'GET',
      url: `/admin/t/${tenant.externalId}/findings/${maester.items[0].finding_id}`,
    });
    assert.equal(detail.json().description, '**Why**');
    assert.equal(detail.json().evidence, 'found 3');
    const tooLong = await request(t.app, manager, {
      method: 'GET',
      url: `/admin/t/${tenant.externalId}/findings?source=${'x'.repeat(64)}`,
    });
    assert.equal(tooLong.statusCode, 422);
  });
});
