// What re-checking provider sessions costs every request (docs/rules.md "Sign-in through the identity
// provider"): GET /api/session with a session cookie, against the real app over HTTP, in one run —
// without a provider (the baseline), with a provider for a password session, with a provider for a
// provider session that is not due, and the re-check itself (a refresh token grant at a real local
// provider). Run: npm run bench -- oidc. On the embedded database, and on PostgreSQL when
// BENCH_DATABASE_URL or TEST_DATABASE_URL names a server.
import { eq } from 'drizzle-orm';
import { claimDueRecheck } from '../src/server/features/oidc/queries.ts';
import { oidcSessions } from '../src/server/features/oidc/tables.ts';
import { digestSecret } from '../src/server/features/tenancy/credentials.ts';
import { findActorByCredential } from '../src/server/http/auth.ts';
import { startTestApp, type TestApp } from '../test/helpers/app.ts';
import { createTestDatabase } from '../test/helpers/db.ts';
import * as make from '../test/helpers/factories.ts';
import { freePort, startTestProvider } from '../test/helpers/oidc-provider.ts';
import { person, signInThroughProvider } from '../test/helpers/oidc-world.ts';

const REQUESTS = Number(process.env.BENCH_OIDC_REQUESTS ?? 500);
/** The scenarios take turns, round after round, so a busy moment of the machine hits them all alike. */
const ROUNDS = 6;
const CONCURRENCY = 8;
const RECHECKS = 30;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function load(url: string, cookie: string) {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < REQUESTS) {
        issued++;
        const t0 = performance.now();
        const response = await fetch(url, { headers: { cookie, accept: 'application/json' } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function passwordCookie(t: TestApp, email: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email, password: make.TEST_PASSWORD },
  });
  const cookie = response.cookies.find((c) => c.name === 'tp_session');
  if (!cookie) throw new Error(`sign-in failed: ${response.body}`);
  return `tp_session=${cookie.value}`;
}

async function benchOn(label: string) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const provider = await startTestProvider({
    redirectUris: [`${baseUrl}/auth/oidc/callback`],
    publicUrl: baseUrl,
    people: [person('bench-sub', 'bench@example.test')],
  });
  const database = await createTestDatabase();
  const plain = await startTestApp({}, { database });
  const withProvider = await startTestApp(provider.env(), { database });
  try {
    await make.createUser(database.db, { email: 'bench@example.test' });
    await plain.app.listen({ port: 0, host: '127.0.0.1' });
    await withProvider.app.listen({ port, host: '127.0.0.1' });
    const plainUrl = `http://127.0.0.1:${(plain.app.server.address() as { port: number }).port}/api/session`;
    const password = await passwordCookie(plain, 'bench@example.test');
    const world = { provider, t: withProvider, baseUrl, close: async () => {} };
    const signedIn = await signInThroughProvider(world, 'bench-sub');
    const providerCookie = `tp_session=${signedIn.browser.cookie(baseUrl, 'tp_session')}`;

    // Warm both servers up before measuring.
    await load(plainUrl, password);
    await load(`${baseUrl}/api/session`, providerCookie);
    const scenarios = [
      ['no provider, password session (baseline)', plainUrl, password],
      ['provider set up, password session', `${baseUrl}/api/session`, password],
      ['provider session, re-check not due', `${baseUrl}/api/session`, providerCookie],
    ] as const;
    const rounds = scenarios.map(() => [] as Awaited<ReturnType<typeof load>>[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [, url, cookie]] of scenarios.entries()) rounds[i]?.push(await load(url, cookie));
    }
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    const summary = rounds.map((results) => ({
      perSecond: median(results.map((r) => r.perSecond)),
      p50: median(results.map((r) => r.p50)),
      p99: median(results.map((r) => r.p99)),
    }));
    const baseline = summary[0] ?? { perSecond: Number.NaN, p50: Number.NaN, p99: Number.NaN };

    // The database work alone, without HTTP: the provider-session probe every cookie request makes, next to
    // the session lookup every cookie request already makes.
    const cookieValue = providerCookie.slice('tp_session='.length);
    const sessionId = digestSecret(cookieValue);
    const timeEach = async (work: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const t0 = performance.now();
        await work();
        times.push(performance.now() - t0);
      }
      return median(times);
    };
    const lookup = await timeEach(() => findActorByCredential(database.db, { session: sessionId }));
    const probe = await timeEach(() => claimDueRecheck(database.db, sessionId, new Date(), new Date()));

    const recheck: number[] = [];
    for (let i = 0; i < RECHECKS; i++) {
      await database.db.update(oidcSessions).set({ recheckDueAt: new Date(0) });
      const t0 = performance.now();
      const response = await fetch(`${baseUrl}/api/session`, {
        headers: { cookie: providerCookie, accept: 'application/json' },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`re-check: ${response.status}`);
      recheck.push(performance.now() - t0);
    }
    recheck.sort((a, b) => a - b);
    const [row] = await database.db
      .select()
      .from(oidcSessions)
      .where(eq(oidcSessions.recheckDueAt, new Date(0)));
    if (row) throw new Error('a re-check did not move the next one ahead');

    const rows = scenarios.map(([name], i) => [name, summary[i] ?? baseline] as const);
    console.log(
      `\n${label}: GET /api/session, ${ROUNDS} rounds × ${REQUESTS} requests per scenario, ${CONCURRENCY} at a time (medians of the rounds)`,
    );
    for (const [name, r] of rows) {
      console.log(
        `  ${name.padEnd(44)} ${r.perSecond.toFixed(0).padStart(6)}/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ` +
          `throughput ×${(r.perSecond / baseline.perSecond).toFixed(2)} of baseline`,
      );
    }
    console.log(
      `  database only, median of 2000: session lookup ${lookup.toFixed(3)} ms, provider-session probe ${probe.toFixed(3)} ms ` +
        `(×${(probe / lookup).toFixed(2)} of the lookup)`,
    );
    console.log(
      `  a due re-check (refresh grant at the provider): p50 ${percentile(recheck, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(recheck, 99).toFixed(1)} ms = ×${(percentile(recheck, 50) / baseline.p50).toFixed(1)} a baseline request, once an hour per session`,
    );
  } finally {
    await withProvider.close();
    await plain.close();
    await database.close();
    await provider.close();
  }
}

await benchOn('embedded database (PGlite)');
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (serverUrl && process.env.BENCH_ONLY !== 'pglite') {
  process.env.TEST_DATABASE_URL = serverUrl;
  await benchOn('PostgreSQL');
}
