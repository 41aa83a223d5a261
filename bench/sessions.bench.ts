// What the second factor and session control cost (docs/rules.md "Second factor", "Sessions"), as ratios
// within one run: the session lookup every cookie request makes, with its last-seen write at most once a
// minute against writing it on every request; a tenant request in a workspace that requires a second
// factor against one that does not; and a sign-in with a TOTP code against a password alone. Run:
// npm run bench -- sessions. On the embedded database, and on PostgreSQL when BENCH_DATABASE_URL or
// TEST_DATABASE_URL names a server.
import { eq } from 'drizzle-orm';
import { totpFactors } from '../src/server/features/second-factor/tables.ts';
import { digestSecret } from '../src/server/features/tenancy/credentials.ts';
import { sessions, workspaces } from '../src/server/features/tenancy/tables.ts';
import { findActorByCredential } from '../src/server/http/auth.ts';
import { startTestApp, type TestApp } from '../test/helpers/app.ts';
import * as make from '../test/helpers/factories.ts';
import { enrolTotp, totpCode } from '../test/helpers/second-factor.ts';

const LOOKUPS = Number(process.env.BENCH_SESSION_LOOKUPS ?? 2000);
const REQUESTS = Number(process.env.BENCH_SESSION_REQUESTS ?? 600);
const SIGN_INS = Number(process.env.BENCH_SESSION_SIGN_INS ?? 40);
/** The scenarios of a pair take turns, so a busy moment of the machine hits both alike. */
const ROUNDS = 5;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function timeEach(count: number, work: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await work(i);
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Median of per-round medians for each of two scenarios, measured in turns. */
async function pair(count: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>) {
  const first: number[] = [];
  const second: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    first.push(await timeEach(count, a));
    second.push(await timeEach(count, b));
  }
  return [median(first), median(second)] as const;
}

async function cookieOf(t: TestApp, payload: object): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: '/api/session', payload });
  const cookie = response.cookies.find((c) => c.name === 'tp_session');
  if (!cookie) throw new Error(`sign-in failed: ${response.body}`);
  return cookie.value;
}

async function benchOn(label: string) {
  const t = await startTestApp({ TENANTPILOT_SIGN_IN_MAX_ATTEMPTS: '1000000' });
  try {
    const db = t.db;
    const user = await make.createUser(db);
    const cookie = await cookieOf(t, { email: user.email, password: make.TEST_PASSWORD });
    const sessionId = digestSecret(cookie);

    // 1. The session lookup of every cookie request: last seen written at most once a minute (as built),
    //    against the same lookup followed by the write every time.
    const [throttled, everyTime] = await pair(
      LOOKUPS / ROUNDS,
      () => findActorByCredential(db, { session: sessionId }),
      async () => {
        await findActorByCredential(db, { session: sessionId });
        await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, sessionId));
      },
    );

    // 2. A tenant dashboard request (through the whole app, no HTTP socket) in a workspace that requires a
    //    second factor (one more query: the person's enrolment) against one that does not.
    const open = await make.createWorkspace(db);
    const strict = await make.createWorkspace(db);
    await db.update(workspaces).set({ requireSecondFactor: true }).where(eq(workspaces.id, strict.id));
    const openTenant = await make.createTenant(db, { workspaceId: open.id });
    const strictTenant = await make.createTenant(db, { workspaceId: strict.id });
    const member = await make.createUser(db);
    await make.addTenantMember(db, { tenant: openTenant, userId: member.id, role: 'readonly' });
    await make.addTenantMember(db, { tenant: strictTenant, userId: member.id, role: 'readonly' });
    const { secret } = await enrolTotp(db, member.id);
    const memberCookie = `tp_session=${await cookieOf(t, { email: member.email, password: make.TEST_PASSWORD, totp_code: totpCode(secret) })}`;
    const dashboard = (tenant: string) => async () => {
      const answer = await t.app.inject({
        method: 'GET',
        url: `/admin/t/${tenant}`,
        headers: { cookie: memberCookie, accept: 'application/json' },
      });
      if (answer.statusCode !== 200) throw new Error(`dashboard ${tenant}: ${answer.statusCode}`);
    };
    const [plain, required] = await pair(
      REQUESTS / ROUNDS,
      dashboard(openTenant.externalId),
      dashboard(strictTenant.externalId),
    );

    // 3. A sign-in with the password alone against one with a TOTP code (argon2 dominates both). Each
    //    TOTP sign-in needs a step not used before: the step is reset between them, as a new 30 s would.
    const passwordOnly = await make.createUser(db);
    const withCode = await make.createUser(db);
    const enrolled = await enrolTotp(db, withCode.id);
    const [password, totp] = await pair(
      Math.max(1, Math.floor(SIGN_INS / ROUNDS)),
      () => cookieOf(t, { email: passwordOnly.email, password: make.TEST_PASSWORD }),
      async () => {
        await db.update(totpFactors).set({ lastUsedStep: null }).where(eq(totpFactors.userId, withCode.id));
        return cookieOf(t, {
          email: withCode.email,
          password: make.TEST_PASSWORD,
          totp_code: totpCode(enrolled.secret),
        });
      },
    );

    console.log(`\n${label} (medians of ${ROUNDS} rounds, scenarios of a pair in turns)`);
    console.log(
      `  session lookup, last seen at most once a minute  ${throttled.toFixed(3)} ms\n` +
        `  session lookup + last-seen write every request   ${everyTime.toFixed(3)} ms  (×${(everyTime / throttled).toFixed(2)} of the throttled lookup)`,
    );
    console.log(
      `  tenant dashboard, workspace without requirement  ${plain.toFixed(3)} ms\n` +
        `  tenant dashboard, workspace requires 2nd factor  ${required.toFixed(3)} ms  (×${(required / plain).toFixed(2)})`,
    );
    console.log(
      `  sign-in, password only                           ${password.toFixed(2)} ms\n` +
        `  sign-in, password + TOTP code                    ${totp.toFixed(2)} ms  (×${(totp / password).toFixed(2)})`,
    );
  } finally {
    await t.close();
  }
}

await benchOn('embedded database (PGlite)');
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (serverUrl && process.env.BENCH_ONLY !== 'pglite') {
  process.env.TEST_DATABASE_URL = serverUrl;
  await benchOn('PostgreSQL');
}
