/**
 * Scale-out: two `tenantpilot serve` processes on one PostgreSQL database behind nginx (round robin, no
 * sticky sessions). Everything a browser or a client relies on behaves as with one process: sessions,
 * CSRF tokens, the sign-in limit, a handoff in flight; and killing one process mid-traffic loses no
 * write that was acknowledged. Every request goes through nginx; `X-Upstream` says which process answered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../src/server/db/client.ts';
import { auditEvents } from '../../src/server/features/audit/tables.ts';
import { supportRequests } from '../../src/server/features/support-requests/tables.ts';
import { createTestDatabase } from '../helpers/db.ts';
import * as make from '../helpers/factories.ts';
import { answer, type FakeDesk, startFakeDesk } from '../helpers/fake-desk.ts';
import { type Nginx, startNginx } from '../helpers/nginx.ts';
import {
  freePort,
  processOwningConnection,
  type ServeProcess,
  startServeProcess,
} from '../helpers/serve-process.ts';
import { tenantSubmitUrl, validBody } from '../helpers/support-requests.ts';

const skip = process.env.TEST_DATABASE_URL
  ? false
  : 'needs a PostgreSQL server (TEST_DATABASE_URL): the embedded database belongs to one process';

const DESK_BUDGET_MS = 3000;
const SIGN_IN_LIMIT = 3;

interface Answer {
  status: number;
  /** The process that answered last (nginx lists every one it tried). */
  upstream: string;
  body: Record<string, unknown> | null;
  setCookies: string[];
}

interface Browser {
  cookie: string;
  csrfToken: string;
}

// The runner's 120 s bounds a suite as a whole, before() included: this one measured 38–51 s alone on a
// loaded 2-core machine (two servers start, one is killed twice and started again). Each test keeps 120 s.
describe('two server processes behind nginx on one PostgreSQL', { skip, timeout: 300_000 }, () => {
  let database: Database & { url: string | null };
  let desk: FakeDesk;
  let ports: number[];
  let servers: ServeProcess[];
  let proxy: Nginx;
  let tenant: make.Tenant;
  let operator: make.User;
  let bearer: string;

  const serverEnv = () => ({
    TENANTPILOT_TRUST_PROXY: 'true',
    TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: String(SIGN_IN_LIMIT),
    SUPPORT_DESK_PROVIDER: 'webhook',
    SUPPORT_DESK_URL: desk.url,
    SUPPORT_DESK_TIMEOUT_MS: String(DESK_BUDGET_MS),
  });
  const startServer = (port: number) => startServeProcess(database.url as string, port, serverEnv());
  const upstreams = () => ports.map((port) => `127.0.0.1:${port}`).sort();

  async function call(
    method: string,
    path: string,
    options: {
      cookie?: string;
      csrfToken?: string;
      bearer?: string;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrfToken) headers['x-csrf-token'] = options.csrfToken;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${proxy.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('application/json');
    return {
      status: response.status,
      upstream: (response.headers.get('x-upstream') ?? '').split(', ').at(-1) ?? '',
      body: isJson && text ? (JSON.parse(text) as Record<string, unknown>) : null,
      setCookies: response.headers.getSetCookie(),
    };
  }

  function withCookies(previous: string, setCookies: string[]): string {
    const jar = new Map(
      previous ? previous.split('; ').map((pair) => pair.split('=') as [string, string]) : [],
    );
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Signs in as the SPA does (then reads its CSRF token); says which process issued the token. */
  async function signIn(email: string): Promise<Browser & { tokenFrom: string }> {
    const signedIn = await call('POST', '/api/session', { body: { email, password: make.TEST_PASSWORD } });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    const cookie = withCookies('', signedIn.setCookies);
    const session = await call('GET', '/api/session', { cookie });
    assert.equal(session.status, 200);
    return {
      cookie: withCookies(cookie, session.setCookies),
      csrfToken: String(session.body?.csrf_token),
      tokenFrom: session.upstream,
    };
  }

  async function repeat(times: number, send: () => Promise<Answer>): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let i = 0; i < times; i++) answers.push(await send());
    return answers;
  }

  const answeredBy = (answers: Answer[]) => [...new Set(answers.map((a) => a.upstream))].sort();

  before(async () => {
    database = await createTestDatabase();
    desk = await startFakeDesk();
    const workspace = await make.createWorkspace(database.db);
    tenant = await make.createTenant(database.db, { workspaceId: workspace.id });
    operator = await make.createUser(database.db);
    await make.addTenantMember(database.db, { tenant, userId: operator.id, role: 'operator' });
    bearer = await make.createApiToken(database.db, { userId: operator.id });
    ports = [await freePort(), await freePort()];
    servers = await Promise.all(ports.map(startServer));
    proxy = await startNginx(ports);
  });

  after(async () => {
    await proxy?.close();
    await Promise.all((servers ?? []).map((server) => server.stop()));
    await desk?.close();
    await database?.close();
  });

  test('a session started through one process is signed in on both; signing out ends it on both', async () => {
    const browser = await signIn(operator.email);
    const signedIn = await repeat(6, () => call('GET', '/api/session', { cookie: browser.cookie }));
    assert.deepEqual(
      signedIn.map((a) => [a.status, (a.body?.user as { id?: number } | undefined)?.id]),
      Array(6).fill([200, operator.id]),
    );
    assert.deepEqual(answeredBy(signedIn), upstreams());

    const signedOut = await call('DELETE', '/api/session', browser);
    assert.equal(signedOut.status, 204);
    const afterwards = await repeat(4, () => call('GET', '/api/session', { cookie: browser.cookie }));
    assert.deepEqual(
      afterwards.map((a) => a.status),
      [401, 401, 401, 401],
    );
    assert.deepEqual(answeredBy(afterwards), upstreams());
  });

  test('a CSRF token issued by one process is accepted by the other; a missing or wrong one by neither', async () => {
    const browser = await signIn(operator.email);
    const submit = (csrfToken?: string) =>
      call('POST', tenantSubmitUrl(tenant.externalId), {
        cookie: browser.cookie,
        csrfToken,
        body: validBody({ summary: 'Filed from a browser session' }),
      });

    const accepted = await repeat(4, () => submit(browser.csrfToken));
    assert.deepEqual(
      accepted.map((a) => a.status),
      [200, 200, 200, 200],
    );
    assert.deepEqual(answeredBy(accepted), upstreams());
    assert.ok(
      accepted.some((a) => a.upstream !== browser.tokenFrom),
      'the other process accepted the token',
    );

    const wrongToken = `${browser.csrfToken.slice(0, -4)}AAAA`;
    const refused = [...(await repeat(4, () => submit())), ...(await repeat(4, () => submit(wrongToken)))];
    for (const answer of refused) {
      assert.equal(answer.status, 403);
      assert.deepEqual(answer.body, {
        error: { code: 'forbidden', message: 'Missing or invalid CSRF token' },
      });
    }
    assert.deepEqual(answeredBy(refused.slice(0, 4)), upstreams());
    assert.deepEqual(answeredBy(refused.slice(4)), upstreams());
    const stored = await database.db
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(eq(supportRequests.summary, 'Filed from a browser session'));
    assert.equal(stored.length, 4, 'only the four accepted submissions were stored');
  });

  test('failed sign-ins count against one limit across both processes', async () => {
    const user = await make.createUser(database.db);
    const attempt = (password: string, headers?: Record<string, string>) =>
      call('POST', '/api/session', { body: { email: user.email, password }, headers });

    const failures = await repeat(SIGN_IN_LIMIT, () => attempt('not the password'));
    assert.deepEqual(
      failures.map((a) => a.status),
      Array(SIGN_IN_LIMIT).fill(401),
    );
    assert.deepEqual(answeredBy(failures), upstreams());
    // The limit is reached: the right password is refused too, by either process.
    const locked = await repeat(2, () => attempt(make.TEST_PASSWORD));
    assert.deepEqual(
      locked.map((a) => a.status),
      [429, 429],
    );
    assert.deepEqual(answeredBy(locked), upstreams());
    // nginx replaces X-Forwarded-For with the address it sees: a client cannot name another one to escape.
    const spoofed = await attempt(make.TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(spoofed.status, 429);
  });

  test('handoffs in flight to a slow desk are each recorded once, whichever process made them', async () => {
    desk.respondWith((request) => {
      const reference = String(request.headers['idempotency-key']);
      return answer.delayed(1000, answer.json(201, { reference: `DESK-${reference}`, url: null }));
    });
    const calledBefore = desk.requests.length;
    const submitted = await Promise.all(
      Array.from({ length: 4 }, () =>
        call('POST', tenantSubmitUrl(tenant.externalId), {
          bearer,
          body: validBody({ handoff_mode: 'create_external_ticket', summary: 'Slow desk' }),
        }),
      ),
    );
    assert.deepEqual(answeredBy(submitted), upstreams());
    const references = submitted.map((a) => {
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body?.handoff_outcome, 'external_ticket_created');
      assert.equal(a.body?.external_ticket_reference, `DESK-${a.body?.internal_reference}`);
      return String(a.body?.internal_reference);
    });
    const deskCalls = desk.requests.slice(calledBefore).map((r) => String(r.headers['idempotency-key']));
    assert.deepEqual(deskCalls.sort(), [...references].sort(), 'one desk call per request');
    const rows = await database.db
      .select({ reference: supportRequests.internalReference })
      .from(supportRequests)
      .where(eq(supportRequests.summary, 'Slow desk'));
    assert.deepEqual(rows.map((row) => row.reference).sort(), [...references].sort());
  });

  test('a process killed during a handoff: the request is stored once, never replayed, and reads back as interrupted', async () => {
    desk.respondWith(answer.hang());
    const calledBefore = desk.requests.length;
    const pending = call('POST', tenantSubmitUrl(tenant.externalId), {
      bearer,
      body: validBody({ handoff_mode: 'create_external_ticket', summary: 'Desk hangs, server dies' }),
    });
    await waitFor(() => desk.requests.length > calledBefore, 'the desk to be called');
    const deskCall = desk.requests[calledBefore] as (typeof desk.requests)[number];
    const victimPid = processOwningConnection(
      deskCall.remotePort,
      servers.map((server) => server.pid),
    );
    const victim = servers.findIndex((server) => server.pid === victimPid);
    assert.ok(victim >= 0, 'found the process calling the desk');
    await servers[victim]?.kill();

    const answered = await pending;
    assert.equal(answered.status, 502, 'nginx does not pass a POST that was sent on to the other process');
    const reference = String(deskCall.headers['idempotency-key']);
    const rows = await database.db
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(eq(supportRequests.internalReference, reference));
    assert.equal(rows.length, 1, 'the request was committed before the desk call, once');

    // Once the budget has passed, the surviving process reads it back as a failed, interrupted handoff.
    const readBack = `/admin/t/${tenant.externalId}/support-requests/${rows[0]?.id}`;
    let view: Answer | undefined;
    await waitFor(async () => {
      view = await call('GET', readBack, { bearer });
      return view.body?.handoff_outcome === 'external_handoff_failed';
    }, 'the handoff to read back as failed');
    assert.notEqual(view?.upstream, `127.0.0.1:${ports[victim]}`, 'read back by the surviving process');
    assert.match(String(view?.body?.failure_summary), /interrupted/);
    assert.equal(desk.requests.length, calledBefore + 1, 'the desk was called once: nothing replayed it');

    // Started again on its port: the next test kills a process too.
    servers[victim] = await startServer(ports[victim] as number);
  });

  test('killing one process mid-traffic loses no acknowledged write; the other serves what follows', async (t) => {
    const victim = servers[0] as ServeProcess;
    const survivor = `127.0.0.1:${servers[1]?.port}`;
    type Sent = Answer & { startedAt: number };
    const sent: Sent[] = [];
    let killedAt = Number.POSITIVE_INFINITY;
    const acknowledged = (since: number) =>
      sent.filter((s) => s.startedAt >= since && s.status === 200).length;

    async function writer(worker: number) {
      for (let n = 0; acknowledged(killedAt) < 48 && sent.length < 3000; n++) {
        const startedAt = performance.now();
        const result = await call('POST', tenantSubmitUrl(tenant.externalId), {
          bearer,
          body: validBody({ summary: `Burst ${worker}-${n}` }),
        }).catch((): Answer => ({ status: 0, upstream: '', body: null, setCookies: [] }));
        sent.push({ ...result, startedAt });
      }
    }
    async function killMidTraffic() {
      await waitFor(() => acknowledged(0) >= 48, '48 acknowledged writes before the kill');
      await victim.kill();
      killedAt = performance.now();
    }
    await Promise.all([...Array.from({ length: 16 }, (_, worker) => writer(worker)), killMidTraffic()]);

    const beforeKill = sent.filter((s) => s.startedAt < killedAt);
    const afterKill = sent.filter((s) => s.startedAt >= killedAt);
    assert.ok(
      beforeKill.some((s) => s.status === 200 && s.upstream === `127.0.0.1:${victim.port}`),
      'the killed process had acknowledged writes',
    );
    // In flight at the kill: answered by the survivor, or 502 (sent to the dead process, not replayed).
    for (const s of beforeKill)
      assert.ok([200, 502].includes(s.status), `status ${s.status} before the kill`);
    for (const s of afterKill) {
      assert.equal(s.status, 200, 'a request after the kill');
      assert.equal(s.upstream, survivor, 'served by the survivor');
    }

    const ids = sent.filter((s) => s.status === 200).map((s) => Number(s.body?.support_request_id));
    const stored = await database.db
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(inArray(supportRequests.id, ids));
    assert.equal(stored.length, ids.length, 'every acknowledged request is stored');
    const audited = await database.db
      .selectDistinct({ subjectId: auditEvents.subjectId })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.subjectType, 'support_request'),
          inArray(
            auditEvents.subjectId,
            ids.map((id) => String(id)),
          ),
        ),
      );
    assert.equal(audited.length, ids.length, 'every acknowledged request has its audit event');
    const count = (list: Sent[], status: number) => list.filter((s) => s.status === status).length;
    t.diagnostic(
      `before the kill: ${count(beforeKill, 200)} acknowledged, ${count(beforeKill, 502)} answered 502; ` +
        `after: ${count(afterKill, 200)} acknowledged`,
    );
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
