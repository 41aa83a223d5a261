import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import * as make from '../../../../test/helpers/factories.ts';
import {
  answer,
  type FakeDesk,
  type RecordedRequest,
  startFakeDesk,
} from '../../../../test/helpers/fake-desk.ts';
import { auditEventsOf, tenantSubmitUrl, validBody } from '../../../../test/helpers/support-requests.ts';
import { auditEvents } from '../audit/tables.ts';
import { storeHandoffOutcomes } from './queries.ts';
import { supportRequestAttempts, supportRequests } from './tables.ts';

/**
 * Desk answers that come back together are stored together (db/write-group.ts): fewer statements than
 * answers, and each request, attempt and audit event exactly as if it had been written alone.
 */
const TOGETHER = 24;

let desk: FakeDesk;
let t: TestApp;
let operator: Credential;
let tenant: make.Tenant;
/** The outcome statements the app sent: the ones that read the answers as a recordset. */
let outcomeStatements = 0;

/** Holds every desk request until `count` have arrived, then answers them all at once, each by its own reference. */
function answerTogether(count: number) {
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived = 0;
  return async (received: RecordedRequest) => {
    arrived += 1;
    if (arrived === count) release();
    await all;
    const reference = `T-${(received.json() as { internal_reference: string }).internal_reference}`;
    return answer.json(201, { reference, url: `https://desk.example/${reference}` });
  };
}

before(async () => {
  desk = await startFakeDesk();
  await (await fetch(desk.url)).arrayBuffer();
  t = await startTestApp({
    SUPPORT_DESK_PROVIDER: 'webhook',
    SUPPORT_DESK_URL: desk.url,
    SUPPORT_DESK_SECRET: 'outcome-group-secret',
  });
  const workspace = await make.createWorkspace(t.db);
  tenant = await make.createTenant(t.db, { workspaceId: workspace.id });
  const user = await make.createUser(t.db);
  await make.addTenantMember(t.db, { tenant, userId: user.id, role: 'operator' });
  operator = { bearer: await make.createApiToken(t.db, { userId: user.id }) };
  // Counts at the driver, on either database: the client's query is what Drizzle calls for every statement.
  const client = (t.db as unknown as { $client: { query: (...args: unknown[]) => unknown } }).$client;
  const query = client.query.bind(client);
  client.query = (...args: unknown[]) => {
    const first = args[0] as string | { text: string };
    const text = typeof first === 'string' ? first : first.text;
    if (text.includes('jsonb_to_recordset') && text.includes('"support_requests"')) outcomeStatements += 1;
    return query(...args);
  };
});

after(async () => {
  await t.close();
  await desk.close();
});

const submitCreate = (summary: string) =>
  request(t.app, operator, {
    method: 'POST',
    url: tenantSubmitUrl(tenant.externalId),
    payload: validBody({ handoff_mode: 'create_external_ticket', summary }),
  });

describe('desk answers that come back together', () => {
  test(`${TOGETHER} answers at once: fewer statements than answers, each request stored as its own answer`, async () => {
    desk.respondWith(answerTogether(TOGETHER));
    outcomeStatements = 0;
    const responses = await Promise.all(
      Array.from({ length: TOGETHER }, (_, index) => submitCreate(`Together ${index}`)),
    );
    const results = responses.map((response) => {
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    });
    assert.ok(outcomeStatements >= 1 && outcomeStatements < TOGETHER / 2, `${outcomeStatements} statements`);

    const ids = results.map((result) => result.support_request_id as number);
    const stored = await t.db.select().from(supportRequests).where(inArray(supportRequests.id, ids));
    const attempts = await t.db
      .select()
      .from(supportRequestAttempts)
      .where(inArray(supportRequestAttempts.supportRequestId, ids));
    for (const result of results) {
      const reference = `T-${result.internal_reference}`;
      assert.equal(result.handoff_outcome, 'external_ticket_created', result.failure_summary);
      assert.equal(result.external_ticket_reference, reference);
      assert.equal(result.external_ticket_url, `https://desk.example/${reference}`);
      const row = stored.find((candidate) => candidate.id === result.support_request_id);
      assert.equal(row?.handoffOutcome, 'external_ticket_created');
      assert.equal(row?.externalTicketReference, reference);
      assert.equal(row?.failureSummary, null);
      const attempt = attempts.filter(
        (candidate) => candidate.supportRequestId === result.support_request_id,
      );
      assert.equal(attempt.length, 1);
      assert.equal(attempt[0]?.outcome, 'created');
      assert.equal(attempt[0]?.externalTicketReference, reference);
      assert.ok(attempt[0]?.finishedAt instanceof Date);
      const events = await auditEventsOf(t.db, result.support_request_id);
      assert.deepEqual(
        events.map((event) => event.action),
        ['support_request.submitted', 'support_request.handoff_completed'],
      );
      const completed = events[1];
      assert.equal(completed?.subjectId, String(result.support_request_id));
      assert.equal(completed?.tenantId, tenant.id);
      assert.deepEqual(completed?.after, {
        handoffOutcome: 'external_ticket_created',
        externalTicketReference: reference,
        externalTicketUrl: `https://desk.example/${reference}`,
        failureSummary: null,
      });
    }
  });

  test('a request no longer waiting in a group is left as it is; the others are stored', async () => {
    desk.respondWith(answer.json(201, { reference: 'FIRST', url: null }));
    const first = (await submitCreate('Answered first')).json();
    const second = (await submitCreate('Answered second')).json();
    await t.db
      .update(supportRequests)
      .set({ handoffOutcome: null })
      .where(eq(supportRequests.id, second.support_request_id));
    const [firstAttempt] = await t.db
      .select()
      .from(supportRequestAttempts)
      .where(eq(supportRequestAttempts.supportRequestId, first.support_request_id));
    const auditsBefore = await t.db.$count(auditEvents);

    const answerOf = (id: number, reference: string) => ({
      target: { tenantId: tenant.id, id, attemptId: null },
      fields: {
        handoffOutcome: 'external_ticket_created' as const,
        externalTicketReference: reference,
        externalTicketUrl: null,
        failureSummary: null,
      },
      attemptEnd: {
        end: {
          outcome: 'created' as const,
          externalTicketReference: reference,
          externalTicketUrl: null,
          summary: null,
        },
        at: new Date(),
      },
      audit: {
        actorUserId: null,
        tenantId: tenant.id,
        action: 'support_request.handoff_completed',
        subjectType: 'support_request',
        subjectId: id,
        after: { reference },
      },
    });
    const [again, waiting] = await storeHandoffOutcomes(t.db, [
      {
        ...answerOf(first.support_request_id, 'AGAIN'),
        target: { tenantId: tenant.id, id: first.support_request_id, attemptId: firstAttempt?.id ?? null },
      },
      answerOf(second.support_request_id, 'SECOND'),
    ]);
    assert.equal(again, undefined, 'already answered: not stored again');
    assert.equal(waiting?.externalTicketReference, 'SECOND');
    const [firstRow] = await t.db
      .select()
      .from(supportRequests)
      .where(eq(supportRequests.id, first.support_request_id));
    assert.equal(firstRow?.externalTicketReference, 'FIRST');
    const [attemptAfter] = await t.db
      .select()
      .from(supportRequestAttempts)
      .where(eq(supportRequestAttempts.id, firstAttempt?.id ?? 0));
    assert.deepEqual(attemptAfter, firstAttempt, 'its ended attempt is untouched');
    assert.equal(await t.db.$count(auditEvents), auditsBefore + 1, 'one audit event: the stored answer only');
  });
});
