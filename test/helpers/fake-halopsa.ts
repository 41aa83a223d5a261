/**
 * A local HaloPSA that answers the way Halo's API does, on a real HTTP server (startFakeDesk):
 * `POST /auth/token` (client credentials, form-encoded; `?tenant=` accepted), `POST /api/Tickets`
 * (a JSON array; 400 with Halo's JSON-string message for an unknown client), `GET /api/Tickets?search=`
 * (`{record_count, tickets}`) and `GET /api/Agent/me`; a wrong bearer token is 401.
 *
 * ```ts
 * const halo = await startFakeHaloPsa({ clients: [{ id: 12, name: 'Contoso' }] });
 * // SUPPORT_DESK_PROVIDER=halopsa SUPPORT_DESK_URL=halo.url SUPPORT_DESK_AUTH_URL=halo.authUrl
 * // SUPPORT_DESK_CLIENT_ID=halo.clientId SUPPORT_DESK_CLIENT_SECRET=halo.clientSecret
 * halo.tickets;                                  // every ticket it made: { id, client_id, summary, … }
 * halo.failNextCreate();                         // the next POST /api/Tickets answers 500 (or a behaviour)
 * halo.failNextCreate(answer.hang());            // … or hangs: the handoff times out, nothing is made
 * halo.tokenRequests;                            // how many tokens were issued
 * halo.desk.respondWith(answer.json(503, {}));   // every call answers this (token calls too)
 * ```
 */
import {
  answer,
  type DeskBehaviour,
  type FakeDesk,
  type RecordedRequest,
  startFakeDesk,
} from './fake-desk.ts';

export interface HaloClient {
  id: number;
  name: string;
}

export interface HaloTicket {
  id: number;
  client_id: number;
  client_name: string;
  summary: string;
  details: string;
  priority_id: number | null;
  reportedby: string | null;
}

export interface FakeHaloPsa {
  /** SUPPORT_DESK_URL: the Halo web address (the API is under /api). */
  url: string;
  /** SUPPORT_DESK_AUTH_URL. */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** Tickets made, oldest first. */
  tickets: HaloTicket[];
  /** Tokens issued. */
  readonly tokenRequests: number;
  /** Every request received (token requests included). */
  requests: RecordedRequest[];
  /** The next ticket create answers `behaviour` (default: 500 with Halo's error text) and makes nothing. */
  failNextCreate(behaviour?: DeskBehaviour): void;
  /** Adds a client tickets may be filed under. */
  addClient(client: HaloClient): void;
  /** Waits `ms` before answering each API call (not token requests): the bench's slow desk. */
  setLatency(ms: number): void;
  /** The underlying fake desk: `respondWith` replaces every answer (token calls included). */
  desk: FakeDesk;
  /** Undoes `desk.respondWith`: answers as HaloPSA again. */
  answerNormally(): void;
  close(): Promise<void>;
}

export interface FakeHaloOptions {
  clients?: HaloClient[];
  clientId?: string;
  clientSecret?: string;
  /** Seconds a token lives (Halo: 3600). */
  tokenLifetime?: number;
  latencyMs?: number;
}

export async function startFakeHaloPsa(options: FakeHaloOptions = {}): Promise<FakeHaloPsa> {
  const clientId = options.clientId ?? 'halo-client-id';
  const clientSecret = options.clientSecret ?? 'halo-client-secret-9d2c';
  const clients = new Map((options.clients ?? [{ id: 12, name: 'Contoso' }]).map((c) => [c.id, c]));
  const tickets: HaloTicket[] = [];
  const tokens = new Set<string>();
  let tokenRequests = 0;
  let nextFailure: DeskBehaviour | null = null;
  let latencyMs = options.latencyMs ?? 0;
  let nextId = 1000;

  const slow = (behaviour: DeskBehaviour) =>
    latencyMs > 0 ? answer.delayed(latencyMs, behaviour) : behaviour;

  function issueToken(request: RecordedRequest): DeskBehaviour {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') {
      return answer.json(400, { error: 'unsupported_grant_type' });
    }
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return answer.json(400, { error: 'invalid_client' });
    }
    tokenRequests += 1;
    const token = `halo-token-${tokenRequests}-${Math.random().toString(36).slice(2)}`;
    tokens.add(token);
    return answer.json(200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: options.tokenLifetime ?? 3600,
      scope: form.get('scope') ?? 'all',
    });
  }

  function createTickets(request: RecordedRequest): DeskBehaviour {
    if (nextFailure) {
      const failure = nextFailure;
      nextFailure = null;
      return failure;
    }
    let body: unknown;
    try {
      body = request.json();
    } catch {
      return answer.json(400, 'The request is invalid.');
    }
    const item = Array.isArray(body) ? body[0] : body;
    const ticket = item as Record<string, unknown> | undefined;
    const client = clients.get(Number(ticket?.client_id));
    if (!ticket || typeof ticket.summary !== 'string' || !ticket.summary.trim()) {
      return answer.json(400, 'Please enter a Summary');
    }
    if (!client) return answer.json(400, 'Please select a valid Client');
    const made: HaloTicket = {
      id: nextId++,
      client_id: client.id,
      client_name: client.name,
      summary: ticket.summary,
      details: typeof ticket.details === 'string' ? ticket.details : '',
      priority_id: typeof ticket.priority_id === 'number' ? ticket.priority_id : null,
      reportedby: typeof ticket.reportedby === 'string' ? ticket.reportedby : null,
    };
    tickets.push(made);
    return answer.json(201, { ...made, status_id: 1, tickettype_id: 1 });
  }

  function searchTickets(request: RecordedRequest): DeskBehaviour {
    const query = new URL(request.path, 'http://halo').searchParams;
    const search = query.get('search') ?? '';
    const found = tickets.filter((t) => t.summary.includes(search) || t.details.includes(search));
    return answer.json(200, { page_no: 1, page_size: 50, record_count: found.length, tickets: found });
  }

  function route(request: RecordedRequest): DeskBehaviour {
    const path = request.path.split('?')[0] ?? '';
    if (request.method === 'POST' && path === '/auth/token') return issueToken(request);
    if (!path.startsWith('/api/')) return answer.json(404, { message: 'Not Found' });
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    if (!bearer || !tokens.has(bearer)) return slow(answer.text(401, ''));
    if (request.method === 'POST' && path === '/api/Tickets') return slow(createTickets(request));
    if (request.method === 'GET' && path === '/api/Tickets') return slow(searchTickets(request));
    if (request.method === 'GET' && path === '/api/Agent/me') {
      return slow(answer.json(200, { id: 7, name: 'TenantPilot API', email: 'api@halo.example' }));
    }
    return answer.json(404, { message: 'Not Found' });
  }

  const desk = await startFakeDesk(route);
  return {
    url: desk.url,
    authUrl: `${desk.url}/auth`,
    clientId,
    clientSecret,
    tickets,
    get tokenRequests() {
      return tokenRequests;
    },
    requests: desk.requests,
    failNextCreate(behaviour = answer.json(500, { message: 'An unexpected error occurred' })) {
      nextFailure = behaviour;
    },
    addClient(client) {
      clients.set(client.id, client);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    desk,
    answerNormally: () => desk.respondWith(route),
    close: () => desk.close(),
  };
}

/** The server's environment for a HaloPSA desk played by `halo`. */
export function haloEnv(halo: FakeHaloPsa): Record<string, string> {
  return {
    SUPPORT_DESK_PROVIDER: 'halopsa',
    SUPPORT_DESK_URL: halo.url,
    SUPPORT_DESK_AUTH_URL: halo.authUrl,
    SUPPORT_DESK_CLIENT_ID: halo.clientId,
    SUPPORT_DESK_CLIENT_SECRET: halo.clientSecret,
  };
}
