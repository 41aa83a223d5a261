/**
 * A real local HTTP server that plays a support desk (webhook, Zendesk, Freshdesk, Jira) in tests.
 *
 * ```ts
 * const desk = await startFakeDesk(() => answer.json(201, { reference: 'T-1', url: 'https://desk/T-1' }));
 * // point SUPPORT_DESK_URL at desk.url, do the thing, then:
 * desk.requests[0]; // { method, path, headers, body, json() }
 * desk.respondWith(answer.hang());         // or a handler: (req) => behaviour
 * await desk.close();                      // destroys open sockets: a hanging answer never blocks close
 * ```
 * `refusedUrl()` gives a URL where nothing listens (connection refused); `UNKNOWN_HOST_URL` a host
 * that never resolves (`.invalid` is reserved by RFC 2606).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the desk received, recorded after the whole request body arrived. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  /** Lower-cased header names, as Node gives them. */
  headers: http.IncomingHttpHeaders;
  /** The exact body bytes received (use for signature checks). */
  rawBody: Buffer;
  /** The body as UTF-8 text. */
  body: string;
  /** The body parsed as JSON (throws if it is not JSON). */
  json(): unknown;
  /** The caller's port: with several server processes, says which one called. */
  remotePort: number;
}

export type DeskBehaviour =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'slow-body'; status: number; intervalMs: number }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'oversized'; status: number; bytes: number; declareLength: boolean }
  | { kind: 'close-socket' }
  | { kind: 'delayed'; ms: number; then: DeskBehaviour };

export type DeskHandler = (request: RecordedRequest) => DeskBehaviour | Promise<DeskBehaviour>;

/** Builders for every scripted answer. */
export const answer = {
  /** A JSON answer; `body` is serialised with JSON.stringify. */
  json: (status: number, body: unknown, headers?: Record<string, string>): DeskBehaviour => ({
    kind: 'json',
    status,
    body,
    headers,
  }),
  /** Any text as the body, e.g. garbage that is not JSON, or an HTML error page. */
  text: (status: number, body: string, headers?: Record<string, string>): DeskBehaviour => ({
    kind: 'text',
    status,
    body,
    headers,
  }),
  /** Accepts the request and never answers. */
  hang: (): DeskBehaviour => ({ kind: 'hang' }),
  /** Sends status and headers at once, then one byte of body every `intervalMs`, forever. */
  slowBody: (status = 201, intervalMs = 100): DeskBehaviour => ({ kind: 'slow-body', status, intervalMs }),
  /** A redirect (302 by default) to `location`. */
  redirect: (location: string, status = 302): DeskBehaviour => ({ kind: 'redirect', status, location }),
  /** A 2xx JSON-looking body of `bytes` bytes (default 1.5 MiB), chunked unless `declareLength`. */
  oversized: (bytes = 1.5 * 1024 * 1024, declareLength = false, status = 201): DeskBehaviour => ({
    kind: 'oversized',
    status,
    bytes,
    declareLength,
  }),
  /** Destroys the socket without answering (the client sees "socket hang up"/ECONNRESET). */
  closeSocket: (): DeskBehaviour => ({ kind: 'close-socket' }),
  /** Waits `ms`, then behaves as `then`. */
  delayed: (ms: number, then: DeskBehaviour): DeskBehaviour => ({ kind: 'delayed', ms, then }),
};

export interface FakeDesk {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  url: string;
  /** Every request received so far, oldest first. */
  requests: RecordedRequest[];
  /** Replaces how the desk answers from now on. */
  respondWith(behaviour: DeskBehaviour | DeskHandler): void;
  /** Stops listening and destroys every open connection (hanging and trickling answers included). */
  close(): Promise<void>;
}

/** A host name that never resolves (RFC 2606 reserves `.invalid`). */
export const UNKNOWN_HOST_URL = 'http://desk.tenantpilot.invalid';

const defaultHandler: DeskHandler = () => answer.json(200, { reference: 'FAKE-1', url: null });

/** Starts a fake desk on 127.0.0.1 at a free port. Without a handler it answers 200 `{reference: 'FAKE-1'}`. */
export async function startFakeDesk(
  behaviour: DeskBehaviour | DeskHandler = defaultHandler,
): Promise<FakeDesk> {
  let handler = toHandler(behaviour);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer(async (req, res) => {
    const rawBody = await readBody(req);
    const recorded = recordRequest(req, rawBody);
    requests.push(recorded);
    try {
      await play(await handler(recorded), res, timers);
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      handler = toHandler(next);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function toHandler(behaviour: DeskBehaviour | DeskHandler): DeskHandler {
  return typeof behaviour === 'function' ? behaviour : () => behaviour;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function recordRequest(req: http.IncomingMessage, rawBody: Buffer): RecordedRequest {
  const body = rawBody.toString('utf8');
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    headers: req.headers,
    rawBody,
    body,
    json: () => JSON.parse(body),
    remotePort: req.socket.remotePort ?? 0,
  };
}

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

async function play(behaviour: DeskBehaviour, res: http.ServerResponse, timers: Set<NodeJS.Timeout>) {
  switch (behaviour.kind) {
    case 'json':
      res.writeHead(behaviour.status, {
        'content-type': 'application/json; charset=utf-8',
        ...behaviour.headers,
      });
      res.end(JSON.stringify(behaviour.body));
      return;
    case 'text':
      res.writeHead(behaviour.status, { 'content-type': 'text/plain; charset=utf-8', ...behaviour.headers });
      res.end(behaviour.body);
      return;
    case 'hang':
      return;
    case 'slow-body':
      res.writeHead(behaviour.status, { 'content-type': 'application/json' });
      res.flushHeaders();
      while (!res.destroyed) {
        res.write(' ');
        await sleep(behaviour.intervalMs, timers);
      }
      return;
    case 'redirect':
      res.writeHead(behaviour.status, { location: behaviour.location });
      res.end();
      return;
    case 'oversized':
      await writeOversized(res, behaviour.status, behaviour.bytes, behaviour.declareLength);
      return;
    case 'close-socket':
      res.socket?.destroy();
      return;
    case 'delayed':
      await sleep(behaviour.ms, timers);
      if (!res.destroyed) await play(behaviour.then, res, timers);
      return;
  }
}

async function writeOversized(
  res: http.ServerResponse,
  status: number,
  bytes: number,
  declareLength: boolean,
) {
  const head = '{"reference":"BIG-1","padding":"';
  const tail = '"}';
  const padding = Math.max(0, bytes - head.length - tail.length);
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(declareLength ? { 'content-length': String(head.length + padding + tail.length) } : {}),
  });
  res.write(head);
  const chunk = 'x'.repeat(64 * 1024);
  for (let left = padding; left > 0 && !res.destroyed; left -= chunk.length) {
    const ok = res.write(left >= chunk.length ? chunk : chunk.slice(0, left));
    if (!ok) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end(tail);
}

function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
