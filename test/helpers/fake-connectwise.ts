/**
 * A local ConnectWise PSA (Manage REST API 3.0) on a real HTTP server (startFakeDesk). Under
 * `/v4_6_release/apis/3.0`: `GET service/priorities`, `POST service/tickets` (400 `InvalidObject` with
 * per-field errors for an unknown company or board), `GET service/tickets?conditions=externalXRef="…"`,
 * `GET service/boards/{id}`. Basic `{company}+{public}:{private}` and the `clientId` header are checked
 * (401 without them). SUPPORT_DESK_URL is `fake.url` (it carries the codebase path).
 */
import {
  answer,
  type DeskBehaviour,
  type FakeDesk,
  type RecordedRequest,
  startFakeDesk,
} from './fake-desk.ts';

export interface ConnectWiseCompany {
  id: number;
  identifier: string;
  name: string;
}

export interface ConnectWiseTicket {
  id: number;
  summary: string;
  initialDescription: string;
  board: { id: number; name: string };
  company: { id: number; identifier: string; name: string };
  priority: { id: number; name: string } | null;
  externalXRef: string | null;
  contactEmailAddress: string | null;
}

export interface FakeConnectWise {
  url: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  boardId: string;
  tickets: ConnectWiseTicket[];
  requests: RecordedRequest[];
  /** How many times the priorities were read. */
  readonly priorityReads: number;
  failNextCreate(behaviour?: DeskBehaviour): void;
  setLatency(ms: number): void;
  desk: FakeDesk;
  answerNormally(): void;
  close(): Promise<void>;
}

/** An instance's own priorities, as ConnectWise ships them (not in urgency order of their ids). */
export const connectwiseInstancePriorities = [
  { id: 8, name: 'Priority 3 - Normal Response', sortOrder: 3, defaultFlag: true },
  { id: 4, name: 'Priority 1 - Emergency Response', sortOrder: 1, defaultFlag: false },
  { id: 15, name: 'Priority 4 - Schedule Maintenance', sortOrder: 4, defaultFlag: false },
  { id: 6, name: 'Priority 2 - Quick Response', sortOrder: 2, defaultFlag: false },
];

export async function startFakeConnectWise(
  options: { companies?: ConnectWiseCompany[]; latencyMs?: number } = {},
): Promise<FakeConnectWise> {
  const creds = {
    companyId: 'acmemsp',
    publicKey: 'cw-public-4411',
    privateKey: 'cw-private-8c1e77',
    clientId: '0f1e2d3c-aaaa-bbbb-cccc-1234567890ab',
    boardId: '3',
  };
  const companies = options.companies ?? [{ id: 250, identifier: 'Contoso', name: 'Contoso Ltd' }];
  const boards = new Map([[3, { id: 3, name: 'Service Desk', inactiveFlag: false }]]);
  const tickets: ConnectWiseTicket[] = [];
  let priorityReads = 0;
  let nextFailure: DeskBehaviour | null = null;
  let latencyMs = options.latencyMs ?? 0;
  let nextId = 5000;
  const expectedAuth = `Basic ${Buffer.from(`${creds.companyId}+${creds.publicKey}:${creds.privateKey}`).toString('base64')}`;
  const slow = (b: DeskBehaviour) => (latencyMs > 0 ? answer.delayed(latencyMs, b) : b);
  const invalid = (message: string, field: string) =>
    answer.json(400, {
      code: 'InvalidObject',
      message: 'ticket object is invalid',
      errors: [{ code: 'InvalidObject', message, resource: 'ticket', field }],
    });

  function create(request: RecordedRequest): DeskBehaviour {
    if (nextFailure) {
      const failure = nextFailure;
      nextFailure = null;
      return failure;
    }
    const body = request.json() as Record<string, unknown>;
    const board = boards.get(Number((body.board as { id?: unknown })?.id));
    if (!board) return invalid('Board is required and must exist.', 'board');
    const ref = body.company as { id?: number; identifier?: string } | undefined;
    const company = companies.find((c) => c.id === ref?.id || c.identifier === ref?.identifier);
    if (!company) return invalid('The company with the given identifier/id could not be found.', 'company');
    const summary = String(body.summary ?? '');
    if (!summary || summary.length > 100) {
      return invalid('summary must be between 1 and 100 characters.', 'summary');
    }
    const priorityId = (body.priority as { id?: number } | undefined)?.id;
    const priority = connectwiseInstancePriorities.find((p) => p.id === priorityId);
    if (priorityId !== undefined && !priority) return invalid('Priority not found.', 'priority');
    const ticket: ConnectWiseTicket = {
      id: nextId++,
      summary,
      initialDescription: String(body.initialDescription ?? ''),
      board: { id: board.id, name: board.name },
      company: { id: company.id, identifier: company.identifier, name: company.name },
      priority: priority ? { id: priority.id, name: priority.name } : null,
      externalXRef: typeof body.externalXRef === 'string' ? body.externalXRef : null,
      contactEmailAddress: typeof body.contactEmailAddress === 'string' ? body.contactEmailAddress : null,
    };
    tickets.push(ticket);
    return answer.json(201, { ...ticket, _info: { lastUpdated: '2026-11-29T12:00:00Z' } });
  }

  function route(request: RecordedRequest): DeskBehaviour {
    const url = new URL(request.path, 'http://cw');
    const prefix = '/v4_6_release/apis/3.0/';
    if (!url.pathname.startsWith(prefix))
      return answer.text(404, 'Not Found', { 'content-type': 'text/html' });
    if (request.headers.authorization !== expectedAuth || request.headers.clientid !== creds.clientId) {
      return answer.json(401, { code: 'Unauthorized', message: 'Authentication failed.' });
    }
    const path = url.pathname.slice(prefix.length);
    if (request.method === 'GET' && path === 'service/priorities') {
      priorityReads += 1;
      return slow(answer.json(200, connectwiseInstancePriorities));
    }
    if (request.method === 'POST' && path === 'service/tickets') return slow(create(request));
    if (request.method === 'GET' && path === 'service/tickets') {
      const xref = /^externalXRef="(.*)"$/.exec(url.searchParams.get('conditions') ?? '')?.[1];
      return slow(
        answer.json(
          200,
          tickets.filter((t) => xref !== undefined && t.externalXRef === xref),
        ),
      );
    }
    const board = /^service\/boards\/(\d+)$/.exec(path);
    if (request.method === 'GET' && board) {
      const found = boards.get(Number(board[1]));
      return slow(
        found
          ? answer.json(200, found)
          : answer.json(404, { code: 'NotFound', message: `Board with id ${board[1]} not found` }),
      );
    }
    return answer.json(404, { code: 'NotFound', message: 'Not found' });
  }

  const desk = await startFakeDesk(route);
  return {
    url: `${desk.url}/v4_6_release`,
    ...creds,
    tickets,
    requests: desk.requests,
    get priorityReads() {
      return priorityReads;
    },
    failNextCreate(behaviour = answer.json(500, { code: 'UnexpectedError', message: 'An error occurred' })) {
      nextFailure = behaviour;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    desk,
    answerNormally: () => desk.respondWith(route),
    close: () => desk.close(),
  };
}

/** The desk settings for a ConnectWise PSA played by `cw`. */
export function connectwiseSettings(cw: FakeConnectWise) {
  return {
    companyId: cw.companyId,
    publicKey: cw.publicKey,
    privateKey: cw.privateKey,
    clientId: cw.clientId,
    boardId: cw.boardId,
  };
}
