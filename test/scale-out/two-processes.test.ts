/**
 * Scale-out: two `tenantpilot serve` processes on one PostgreSQL database behind nginx (round robin, no
 * sticky sessions). What a browser or a client relies on behaves as with one process: sessions, CSRF
 * tokens, the sign-in limit, handoffs in flight. `X-Upstream` says which process answered; round robin
 * alternates them, so consecutive requests reach both. Killed processes: killed-*.test.ts beside this.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { supportRequests } from '../../src/server/features/support-requests/tables.ts';
import * as make from '../helpers/factories.ts';
import { answer } from '../helpers/fake-desk.ts';
import { answeredBy, repeat } from '../helpers/proxy-client.ts';
import {
  type ScaleOutWorld,
  SIGN_IN_LIMIT,
  skipWithoutPostgres,
  startScaleOutWorld,
} from '../helpers/scale-out-world.ts';
import { tenantSubmitUrl, validBody } from '../helpers/support-requests.ts';

describe('two server processes behind nginx on one PostgreSQL', { skip: skipWithoutPostgres }, () => {
  let w: ScaleOutWorld;
  before(async () => {
    w = await startScaleOutWorld();
  });
  after(() => w?.close());

  test('a session started through one process is signed in on both; signing out ends it on both', async () => {
    const browser = await w.signIn(w.operator.email);
    const signedIn = await repeat(6, () => w.call('GET', '/api/session', { cookie: browser.cookie }));
    assert.deepEqual(
      signedIn.map((a) => [a.status, (a.body?.user as { id?: number } | undefined)?.id]),
      Array(6).fill([200, w.operator.id]),
    );
    assert.deepEqual(answeredBy(signedIn), w.upstreams);

    const signedOut = await w.call('DELETE', '/api/session', browser);
    assert.equal(signedOut.status, 204);
    const afterwards = await repeat(4, () => w.call('GET', '/api/session', { cookie: browser.cookie }));
    assert.deepEqual(
      afterwards.map((a) => a.status),
      [401, 401, 401, 401],
    );
    assert.deepEqual(answeredBy(afterwards), w.upstreams);
  });

  test('a CSRF token issued by one process is accepted by the other; a missing or wrong one by neither', async () => {
    const browser = await w.signIn(w.operator.email);
    const submit = (csrfToken?: string) =>
      w.call('POST', tenantSubmitUrl(w.tenant.externalId), {
        cookie: browser.cookie,
        csrfToken,
        body: validBody({ summary: 'Filed from a browser session' }),
      });

    const accepted = await repeat(4, () => submit(browser.csrfToken));
    assert.deepEqual(
      accepted.map((a) => a.status),
      [200, 200, 200, 200],
    );
    assert.deepEqual(answeredBy(accepted), w.upstreams);
    assert.ok(
      accepted.some((a) => a.upstream !== browser.tokenFrom),
      'the other process accepted the token',
    );

    // Another browser's token: well formed, made by the same servers, but for another secret.
    const wrongToken = (await w.signIn(w.operator.email)).csrfToken;
    const missing = await repeat(4, () => submit());
    const wrong = await repeat(4, () => submit(wrongToken));
    for (const refused of [...missing, ...wrong]) {
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.body, {
        error: { code: 'forbidden', message: 'Missing or invalid CSRF token' },
      });
    }
    assert.deepEqual(answeredBy(missing), w.upstreams);
    assert.deepEqual(answeredBy(wrong), w.upstreams);
    const stored = await w.database.db
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(eq(supportRequests.summary, 'Filed from a browser session'));
    assert.equal(stored.length, 4, 'only the four accepted submissions were stored');
  });

  test('failed sign-ins count against one limit across both processes', async () => {
    const user = await make.createUser(w.database.db);
    const attempt = (password: string, headers?: Record<string, string>) =>
      w.call('POST', '/api/session', { body: { email: user.email, password }, headers });

    const failures = await repeat(SIGN_IN_LIMIT, () => attempt('not the password'));
    assert.deepEqual(
      failures.map((a) => a.status),
      Array(SIGN_IN_LIMIT).fill(401),
    );
    assert.deepEqual(answeredBy(failures), w.upstreams);
    // The limit is reached: the right password is refused too, by either process.
    const locked = await repeat(2, () => attempt(make.TEST_PASSWORD));
    assert.deepEqual(
      locked.map((a) => a.status),
      [429, 429],
    );
    assert.deepEqual(answeredBy(locked), w.upstreams);
    // nginx replaces X-Forwarded-For with the address it sees: a client cannot name another one to escape.
    const spoofed = await attempt(make.TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(spoofed.status, 429);
  });

  test('handoffs in flight to a slow desk are each recorded once, whichever process made them', async () => {
    w.desk.respondWith((request) => {
      const reference = String(request.headers['idempotency-key']);
      return answer.delayed(1000, answer.json(201, { reference: `DESK-${reference}`, url: null }));
    });
    const calledBefore = w.desk.requests.length;
    const submitted = await Promise.all(
      Array.from({ length: 4 }, () =>
        w.call('POST', tenantSubmitUrl(w.tenant.externalId), {
          bearer: w.bearer,
          body: validBody({ handoff_mode: 'create_external_ticket', summary: 'Slow desk' }),
        }),
      ),
    );
    assert.deepEqual(answeredBy(submitted), w.upstreams);
    const references = submitted.map((a) => {
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body?.handoff_outcome, 'external_ticket_created');
      assert.equal(a.body?.external_ticket_reference, `DESK-${a.body?.internal_reference}`);
      return String(a.body?.internal_reference);
    });
    const deskCalls = w.desk.requests.slice(calledBefore).map((r) => String(r.headers['idempotency-key']));
    assert.deepEqual(deskCalls.sort(), [...references].sort(), 'one desk call per request');
    const rows = await w.database.db
      .select({ reference: supportRequests.internalReference })
      .from(supportRequests)
      .where(eq(supportRequests.summary, 'Slow desk'));
    assert.deepEqual(rows.map((row) => row.reference).sort(), [...references].sort());
  });
});
