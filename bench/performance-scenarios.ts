/**
 * The request figures of issue 12's performance table, measured against one running server: each read or
 * submit beside the bare server replaying the same answer, the handoffs against the fake desk.
 */
import type { FakeDesk } from '../test/helpers/fake-desk.ts';
import { answer } from '../test/helpers/fake-desk.ts';
import type { BareServer } from './bare-server.ts';
import { type LoadRequest, type LoadResult, runLoad } from './load-worker.ts';

export interface Target {
  url: string;
  bearer: string;
  tenant: string;
  findingId: number;
}

export interface AgainstBare {
  app: LoadResult;
  bare: LoadResult;
}

export interface RequestFigures {
  list: AgainstBare;
  detail: AgainstBare;
  internalOnly: AgainstBare;
  externalTicket: LoadResult;
  hungDesk: LoadResult;
  cheapGetIdle: LoadResult;
  cheapGetDuringHang: LoadResult;
}

const DESK_LATENCY_MS = 200;
const IDEAL_TICKETS_PER_SECOND = 100 / (DESK_LATENCY_MS / 1000);

export { IDEAL_TICKETS_PER_SECOND };

const submitBody = (mode: string) =>
  JSON.stringify({ severity: 'normal', summary: 'Bench request', handoff_mode: mode });

/**
 * Waits until the server has worked off what a timed run left in flight (autocannon stops counting at the
 * end of its time, not the server working): three /healthz answers in a row within 100 ms, or 60 s.
 */
async function settle(serverUrl: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  let quick = 0;
  while (quick < 3 && performance.now() < deadline) {
    const started = performance.now();
    const response = await fetch(`${serverUrl}/healthz`).catch(() => null);
    await response?.arrayBuffer();
    quick = response?.status === 200 && performance.now() - started < 100 ? quick + 1 : 0;
  }
}

/** One timed run, then the server given time to finish what it left in flight. */
async function loadThenSettle(request: LoadRequest): Promise<LoadResult> {
  const result = await runLoad(request);
  await settle(new URL(request.url).origin);
  return result;
}

/** Measures `request` on the app, then the bare server answering the app's own answer, `seconds` each. */
async function againstBare(bare: BareServer, request: LoadRequest, seconds: number): Promise<AgainstBare> {
  const warmUp = { ...request, seconds: 1, amount: undefined };
  await loadThenSettle(warmUp);
  const app = await loadThenSettle({ ...request, seconds });
  const sample = await fetch(request.url, {
    method: request.method ?? 'GET',
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const body = await sample.text();
  if (sample.status !== 200)
    throw new Error(`${request.url} answered ${sample.status}: ${body.slice(0, 300)}`);
  await bare.replay({
    status: sample.status,
    contentType: sample.headers.get('content-type') ?? 'application/json',
    body,
  });
  const path = new URL(request.url);
  const bareRequest = { ...request, url: `${bare.url}${path.pathname}${path.search}` };
  await runLoad({ ...bareRequest, seconds: 1 });
  return { app, bare: await runLoad({ ...bareRequest, seconds }) };
}

export async function measureRequests(
  target: Target,
  desk: FakeDesk,
  bare: BareServer,
  seconds: number,
): Promise<RequestFigures> {
  const headers = { authorization: `Bearer ${target.bearer}`, accept: 'application/json' };
  const postHeaders = { ...headers, 'content-type': 'application/json' };
  const tenantUrl = `${target.url}/admin/t/${target.tenant}`;
  const submitUrl = `${tenantUrl}/support-requests/actions/submit`;
  const submit = (mode: string, inFlight: number): LoadRequest => ({
    url: submitUrl,
    inFlight,
    method: 'POST',
    headers: postHeaders,
    body: submitBody(mode),
  });
  const list = await againstBare(bare, { url: `${tenantUrl}/findings`, inFlight: 32, headers }, seconds);
  const detailUrl = `${tenantUrl}/findings/${target.findingId}`;
  const detail = await againstBare(bare, { url: detailUrl, inFlight: 32, headers }, seconds);
  const internalOnly = await againstBare(bare, submit('internal_only', 16), seconds);

  const created = answer.json(201, { reference: 'BENCH-1', url: null });
  desk.respondWith(answer.delayed(DESK_LATENCY_MS, created));
  await loadThenSettle({ ...submit('create_external_ticket', 100), seconds: 1 });
  const externalTicket = await loadThenSettle({
    ...submit('create_external_ticket', 100),
    seconds: seconds * 2,
  });

  const cheapGet: LoadRequest = {
    url: `${target.url}/healthz`,
    inFlight: 4,
    headers,
    seconds: 3,
    engine: 'fetch',
  };
  const cheapGetIdle = await loadThenSettle(cheapGet);
  desk.respondWith(answer.hang());
  const hanging = runLoad({ ...submit('create_external_ticket', 200), amount: 200, timeoutSeconds: 90 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const cheapGetDuringHang = await runLoad(cheapGet);
  const hungDesk = await hanging;
  desk.respondWith(created);
  return { list, detail, internalOnly, externalTicket, hungDesk, cheapGetIdle, cheapGetDuringHang };
}
