import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  describeDeskFaults,
  deskConfig,
  expectFailure,
  lastBody,
  lastRequest,
  PLANTED_SECRET,
  ticketRequest,
  timed,
} from '../../../test/helpers/desk-kit.ts';
import {
  answer,
  type DeskBehaviour,
  type FakeDesk,
  type RecordedRequest,
  startFakeDesk,
} from '../../../test/helpers/fake-desk.ts';
import { createSupportDesk } from './index.ts';
import { jiraRequestTypeFields } from './jira-service-management.ts';

/** The 201 of POST /rest/servicedeskapi/request (abridged from the Service Management REST reference). */
function createdRequest(url: string, links: Record<string, string> = {}) {
  return {
    _expands: ['participant', 'status', 'sla', 'requestType', 'serviceDesk'],
    issueId: '107001',
    issueKey: 'SUP-12',
    requestTypeId: '25',
    serviceDeskId: '10',
    createdDate: { iso8601: '2026-11-23T01:02:04+0000', epochMillis: 1795309324000 },
    reporter: { accountId: 'qm:a713c8ea', displayName: 'Agent A', active: true },
    requestFieldValues: [{ fieldId: 'summary', label: 'What do you need?', value: '[SR-…] Sync fails' }],
    currentStatus: { status: 'Waiting for support' },
    _links: {
      jiraRest: `${url}/rest/api/2/issue/107001`,
      web: `${url}/servicedesk/customer/portal/10/SUP-12`,
      agent: `${url}/browse/SUP-12`,
      self: `${url}/rest/servicedeskapi/request/107001`,
      ...links,
    },
  };
}

/** GET …/requesttype/25/field (abridged): summary and description, and the Organizations field. */
const requestTypeFields = (extra: unknown[] = []) => ({
  requestTypeFields: [
    {
      fieldId: 'summary',
      name: 'What do you need?',
      required: true,
      jiraSchema: { type: 'string', system: 'summary' },
    },
    {
      fieldId: 'description',
      name: 'Why do you need this?',
      required: false,
      jiraSchema: { type: 'string', system: 'description' },
    },
    {
      fieldId: 'customfield_10002',
      name: 'Organizations',
      required: false,
      jiraSchema: {
        type: 'array',
        items: 'sd-customerorganization',
        custom: 'com.atlassian.servicedesk:sd-customer-organizations',
        customId: 10002,
      },
    },
    ...extra,
  ],
  canRaiseOnBehalfOf: true,
  canAddRequestParticipants: true,
});

/** Answers the request type's fields as JSM does, every other call with `behaviour`. */
const jsm =
  (behaviour: DeskBehaviour, fields = requestTypeFields()) =>
  (req: RecordedRequest) =>
    req.path.endsWith('/field') ? answer.json(200, fields) : behaviour;

type JiraBody = {
  serviceDeskId: string;
  requestTypeId: string;
  requestFieldValues: { summary: string; description: string };
};

describe('jira service management desk', () => {
  let fake: FakeDesk;
  before(async () => {
    fake = await startFakeDesk();
  });
  after(() => fake.close());

  test('POST /rest/servicedeskapi/request: Basic {email}:{token}, ids, summary and description', async () => {
    fake.respondWith(jsm(answer.json(201, createdRequest(fake.url))));
    const result = await createSupportDesk(deskConfig('jira_service_management', fake.url)).createTicket(
      ticketRequest({ severity: 'blocking' }),
    );
    assert.deepEqual(result, { kind: 'created', reference: 'SUP-12', url: `${fake.url}/browse/SUP-12` });

    const sent = lastRequest(fake);
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/rest/servicedeskapi/request');
    const basic = Buffer.from(`agent@example.com:${PLANTED_SECRET}`).toString('base64');
    assert.equal(sent.headers.authorization, `Basic ${basic}`);
    const body = lastBody<JiraBody>(fake);
    assert.deepEqual(Object.keys(body).sort(), ['requestFieldValues', 'requestTypeId', 'serviceDeskId']);
    assert.equal(body.serviceDeskId, '10');
    assert.equal(body.requestTypeId, '25');
    assert.deepEqual(Object.keys(body.requestFieldValues).sort(), [
      'customfield_10002',
      'description',
      'summary',
    ]);
    assert.deepEqual(
      (body.requestFieldValues as unknown as Record<string, unknown>).customfield_10002,
      [314],
      "the tenant's desk customer is the JSM organization",
    );
    assert.equal(
      body.requestFieldValues.summary,
      '[SR-20261123-ABC123] Sync fails with <b>"quotes"</b> & emoji 🚀',
    );
    for (const expected of [
      'TenantPilot support request SR-20261123-ABC123',
      'Severity: blocking',
      'Tenant: Contoso (external id contoso-prod, id 11)',
      'Operation run: #42 inventory_sync — status completed, outcome failed',
      'Run summary: 3 of 10 devices failed',
      'Contact: Dana Contact <dana@example.com>',
      'Open in TenantPilot: https://tenantpilot.example.com/admin/t/11/support-requests/99',
    ]) {
      assert.ok(body.requestFieldValues.description.includes(expected), `description lacks ${expected}`);
    }
  });

  test('no _links.agent: created with a null URL', async () => {
    const created = createdRequest(fake.url) as { _links: Record<string, string> };
    delete created._links.agent;
    fake.respondWith(jsm(answer.json(201, created)));
    const result = await createSupportDesk(deskConfig('jira_service_management', fake.url)).createTicket(
      ticketRequest(),
    );
    assert.deepEqual(result, { kind: 'created', reference: 'SUP-12', url: null });
  });

  test('a base URL with a path (Jira Server under /jira) keeps it', async () => {
    fake.respondWith(jsm(answer.json(201, createdRequest(fake.url))));
    await createSupportDesk(deskConfig('jira_service_management', `${fake.url}/jira/`)).createTicket(
      ticketRequest(),
    );
    assert.equal(lastRequest(fake).path, '/jira/rest/servicedeskapi/request');
  });

  test('missing service desk or request type id: a clear configuration summary, no call', async () => {
    const before = fake.requests.length;
    const desk = createSupportDesk(
      deskConfig('jira_service_management', fake.url, { serviceDeskId: null, requestTypeId: null }),
    );
    assert.equal(
      await expectFailure(desk),
      'Jira Service Management needs SUPPORT_DESK_SERVICE_DESK_ID, SUPPORT_DESK_REQUEST_TYPE_ID, which are not set.',
    );
    assert.match(String((await desk.check()).ok), /false/);
    assert.equal(fake.requests.length, before);
  });

  test("a 400 carries Jira's errorMessage", async () => {
    fake.respondWith(
      jsm(
        answer.json(400, {
          errorMessage:
            'Your request could not be created. Please check the fields have been correctly filled in. Summary is required',
          i18nErrorMessage: { i18nKey: 'sd.validation.request.create.fields.invalid', parameters: [] },
        }),
      ),
    );
    const summary = await expectFailure(createSupportDesk(deskConfig('jira_service_management', fake.url)));
    assert.match(
      summary,
      /^Jira Service Management refused the ticket as invalid \(HTTP 400\): Your request could not be created/,
    );
  });

  test('404 names the ids to check', async () => {
    fake.respondWith(jsm(answer.json(404, { errorMessage: 'Service Desk does not exist' })));
    const summary = await expectFailure(createSupportDesk(deskConfig('jira_service_management', fake.url)));
    assert.match(summary, /SUPPORT_DESK_SERVICE_DESK_ID and SUPPORT_DESK_REQUEST_TYPE_ID/);
  });

  const answerCheck =
    (serviceDesk: number, requestType: number, fields = requestTypeFields()) =>
    (req: RecordedRequest) =>
      req.path.endsWith('/field')
        ? answer.json(200, fields)
        : req.path.includes('/requesttype/')
          ? answer.json(
              requestType,
              requestType === 200
                ? { id: '25', name: 'Get IT help', serviceDeskId: '10' }
                : { errorMessage: 'Request type does not exist' },
            )
          : answer.json(
              serviceDesk,
              serviceDesk === 200
                ? { id: '10', projectId: '11000', projectName: 'IT Help Desk', projectKey: 'SUP' }
                : { errorMessage: 'Service Desk does not exist' },
            );

  test('check: reads the service desk, then its request type', async () => {
    fake.respondWith(answerCheck(200, 200));
    const before = fake.requests.length;
    const result = await createSupportDesk(deskConfig('jira_service_management', fake.url)).check();
    assert.deepEqual(result, {
      ok: true,
      detail:
        'credentials accepted (service desk "IT Help Desk", request type "Get IT help"; tenants\' organizations go in its Organizations field)',
    });
    assert.deepEqual(
      fake.requests.slice(before).map((r) => `${r.method} ${r.path}`),
      [
        'GET /rest/servicedeskapi/servicedesk/10',
        'GET /rest/servicedeskapi/servicedesk/10/requesttype/25',
        'GET /rest/servicedeskapi/servicedesk/10/requesttype/25/field',
      ],
    );
  });

  test('check: a request type that requires more than summary and description is reported as such', async () => {
    fake.respondWith(
      answerCheck(
        200,
        200,
        requestTypeFields([
          {
            fieldId: 'priority',
            name: 'Priority',
            required: true,
            jiraSchema: { type: 'priority', system: 'priority' },
          },
          {
            fieldId: 'customfield_10044',
            name: 'Affected services',
            required: true,
            jiraSchema: { type: 'array' },
          },
          { fieldId: 'components', name: 'Components', required: false, jiraSchema: { type: 'array' } },
        ]),
      ),
    );
    const result = await createSupportDesk(deskConfig('jira_service_management', fake.url)).check();
    assert.deepEqual(result, {
      ok: false,
      summary:
        'Jira Service Management: request type "Get IT help" requires fields TenantPilot does not fill: Priority (priority), Affected services (customfield_10044) — every ticket would be refused; make them optional or choose a request type that needs only a summary and a description.',
    });
  });

  test('no desk customer: no organization, and no field read', async () => {
    fake.respondWith(answer.json(201, createdRequest(fake.url)));
    const before = fake.requests.length;
    const result = await createSupportDesk(deskConfig('jira_service_management', fake.url)).createTicket(
      ticketRequest({ deskCustomerId: null }),
    );
    assert.equal(result.kind, 'created');
    assert.deepEqual(
      fake.requests.slice(before).map((r) => r.path),
      ['/rest/servicedeskapi/request'],
    );
    assert.deepEqual(Object.keys(lastBody<JiraBody>(fake).requestFieldValues).sort(), [
      'description',
      'summary',
    ]);
  });

  test('a desk customer but no Organizations field on the request type: refused before the create, said why', async () => {
    jiraRequestTypeFields.clear();
    fake.respondWith(
      jsm(answer.json(201, createdRequest(fake.url)), {
        ...requestTypeFields(),
        requestTypeFields: requestTypeFields().requestTypeFields.slice(0, 2),
      }),
    );
    const before = fake.requests.length;
    const summary = await expectFailure(createSupportDesk(deskConfig('jira_service_management', fake.url)));
    assert.match(summary, /has no Organizations field.*add the Organizations field to the request type/);
    assert.ok(!fake.requests.slice(before).some((r) => r.method === 'POST'), 'the request was sent');
    jiraRequestTypeFields.clear();
  });

  test('check: an unknown request type names SUPPORT_DESK_REQUEST_TYPE_ID', async () => {
    fake.respondWith(answerCheck(200, 404));
    const result = await createSupportDesk(deskConfig('jira_service_management', fake.url)).check();
    assert.deepEqual(result, {
      ok: false,
      summary: 'Jira Service Management answered 404 Not Found — check SUPPORT_DESK_REQUEST_TYPE_ID.',
    });
  });

  test('check: both reads share one budget', async () => {
    // Separate budgets would end at 800 + 1000 ms; one shared budget ends at 1000 ms.
    const budgetMs = 1000;
    fake.respondWith((req) =>
      req.path.includes('/requesttype/')
        ? answer.hang()
        : answer.delayed(800, answer.json(200, { id: '10', projectName: 'IT' })),
    );
    const config = deskConfig('jira_service_management', fake.url, { timeoutMs: budgetMs });
    const { value, ms } = await timed(() => createSupportDesk(config).check());
    assert.deepEqual(value, { ok: false, summary: 'Jira Service Management did not answer within 1 s.' });
    assert.ok(ms >= budgetMs - 20 && ms < budgetMs + 500, `took ${ms} ms`);
  });
});

describeDeskFaults({
  provider: 'jira_service_management',
  name: 'Jira Service Management',
  errorBody: (_status, text) => ({
    errorMessage: text,
    i18nErrorMessage: { i18nKey: 'sd.error', parameters: [] },
  }),
  passThrough: (request) => (request.path.endsWith('/field') ? answer.json(200, requestTypeFields()) : null),
});
