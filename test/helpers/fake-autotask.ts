/**
 * A local Datto Autotask (REST API v1.0) on a real HTTP server (startFakeDesk). Under
 * `/ATServicesRest/V1.0`: `GET Tickets/entityInformation/fields` (the priority and queueID picklists),
 * `POST Tickets` (`{"itemId"}`; an unknown company or queue is HTTP 500 `{"errors": [...]}` as Autotask
 * answers it), `GET Tickets/query?search=` (beginsWith/contains/eq on title). The ApiIntegrationCode,
 * UserName and Secret headers are checked (401 otherwise).
 */
import {
  answer,
  type DeskBehaviour,
  type FakeDesk,
  type RecordedRequest,
  startFakeDesk,
} from './fake-desk.ts';

export interface AutotaskTicket {
  id: number;
  ticketNumber: string;
  companyID: number;
  queueID: number;
  title: string;
  description: string;
  status: number;
  priority: number;
}

export interface FakeAutotask {
  url: string;
  apiIntegrationCode: string;
  username: string;
  secret: string;
  queueId: string;
  tickets: AutotaskTicket[];
  requests: RecordedRequest[];
  readonly picklistReads: number;
  failNextCreate(behaviour?: DeskBehaviour): void;
  setLatency(ms: number): void;
  desk: FakeDesk;
  answerNormally(): void;
  close(): Promise<void>;
}

/** This instance renamed and renumbered its priorities: the adapter must read them. */
export const autotaskInstancePriorities = [
  { value: '7', label: 'P3 Medium', isActive: true, isDefaultValue: true, sortOrder: 3 },
  { value: '9', label: 'P1 Critical', isActive: true, isDefaultValue: false, sortOrder: 1 },
  { value: '8', label: 'P2 High', isActive: true, isDefaultValue: false, sortOrder: 2 },
  { value: '6', label: 'P4 Low', isActive: true, isDefaultValue: false, sortOrder: 4 },
  { value: '5', label: 'Old Urgent', isActive: false, isDefaultValue: false, sortOrder: 0 },
];

export const autotaskQueues = [
  { value: '29683', label: 'Client Portal', isActive: true, isDefaultValue: false, sortOrder: 1 },
  { value: '8', label: 'Level I Support', isActive: true, isDefaultValue: true, sortOrder: 2 },
  { value: '5', label: 'Retired Queue', isActive: false, isDefaultValue: false, sortOrder: 3 },
];

export function autotaskFields() {
  return {
    fields: [
      { name: 'id', dataType: 'long', isPickList: false },
      { name: 'title', dataType: 'string', length: 255, isRequired: true, isPickList: false },
      {
        name: 'priority',
        dataType: 'integer',
        isRequired: true,
        isPickList: true,
        picklistValues: autotaskInstancePriorities,
      },
      {
        name: 'queueID',
        dataType: 'integer',
        isRequired: false,
        isPickList: true,
        picklistValues: autotaskQueues,
      },
    ],
  };
}

export async function startFakeAutotask(
  options: { companies?: number[]; latencyMs?: number } = {},
): Promise<FakeAutotask> {
  const creds = {
    apiIntegrationCode: 'AT-INTEGRATION-55AA',
    username: 'tenantpilot-api@acmemsp.example',
    secret: 'at-secret-9f8e7d',
    queueId: '29683',
  };
  const companies = new Set(options.companies ?? [174]);
  const tickets: AutotaskTicket[] = [];
  let picklistReads = 0;
  let nextFailure: DeskBehaviour | null = null;
  let latencyMs = options.latencyMs ?? 0;
  let nextId = 7700;
  const slow = (b: DeskBehaviour) => (latencyMs > 0 ? answer.delayed(latencyMs, b) : b);

  function create(request: RecordedRequest): DeskBehaviour {
    if (nextFailure) {
      const failure = nextFailure;
      nextFailure = null;
      return failure;
    }
    const body = request.json() as Record<string, unknown>;
    const errors: string[] = [];
    if (!companies.has(Number(body.companyID))) {
      errors.push(`Value does not exist for the required field companyID. ${body.companyID}`);
    }
    if (!autotaskQueues.some((q) => q.isActive && Number(q.value) === body.queueID)) {
      errors.push('Invalid queueID.');
    }
    if (!autotaskInstancePriorities.some((p) => p.isActive && Number(p.value) === body.priority)) {
      errors.push('Value does not exist for the required field priority.');
    }
    if (typeof body.title !== 'string' || !body.title || body.title.length > 255) {
      errors.push('title: must be between 1 and 255 characters.');
    }
    if (errors.length) return answer.json(500, { errors });
    const id = nextId++;
    tickets.push({
      id,
      ticketNumber: `T20261129.${String(id).padStart(4, '0')}`,
      companyID: Number(body.companyID),
      queueID: Number(body.queueID),
      title: String(body.title),
      description: String(body.description ?? ''),
      status: Number(body.status),
      priority: Number(body.priority),
    });
    return answer.json(200, { itemId: id });
  }

  function query(request: RecordedRequest): DeskBehaviour {
    const search = new URL(request.path, 'http://at').searchParams.get('search') ?? '{}';
    let filter: Array<{ op: string; field: string; value: string }> = [];
    try {
      filter = (JSON.parse(search) as { filter: typeof filter }).filter ?? [];
    } catch {
      return answer.json(500, { errors: ['Unable to deserialize search.'] });
    }
    const items = tickets.filter((ticket) =>
      filter.every(({ op, field, value }) => {
        const actual = String((ticket as unknown as Record<string, unknown>)[field] ?? '');
        if (op === 'beginsWith') return actual.startsWith(value);
        if (op === 'contains') return actual.includes(value);
        return actual === String(value);
      }),
    );
    return answer.json(200, {
      items,
      pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null },
    });
  }

  function route(request: RecordedRequest): DeskBehaviour {
    const url = new URL(request.path, 'http://at');
    const prefix = '/ATServicesRest/V1.0/';
    if (!url.pathname.startsWith(prefix))
      return answer.text(404, 'Not Found', { 'content-type': 'text/html' });
    const h = request.headers;
    if (
      h.apiintegrationcode !== creds.apiIntegrationCode ||
      h.username !== creds.username ||
      h.secret !== creds.secret
    ) {
      return answer.text(401, '');
    }
    const path = url.pathname.slice(prefix.length);
    if (request.method === 'GET' && path === 'Tickets/entityInformation/fields') {
      picklistReads += 1;
      return slow(answer.json(200, autotaskFields()));
    }
    if (request.method === 'POST' && path === 'Tickets') return slow(create(request));
    if (request.method === 'GET' && path === 'Tickets/query') return slow(query(request));
    return answer.json(404, { errors: ['The requested resource does not exist.'] });
  }

  const desk = await startFakeDesk(route);
  return {
    url: desk.url,
    ...creds,
    tickets,
    requests: desk.requests,
    get picklistReads() {
      return picklistReads;
    },
    failNextCreate(behaviour = answer.json(500, { errors: ['An unexpected error has occurred.'] })) {
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

/** The desk settings for an Autotask played by `at`. */
export function autotaskSettings(at: FakeAutotask) {
  return {
    apiIntegrationCode: at.apiIntegrationCode,
    username: at.username,
    secret: at.secret,
    queueId: at.queueId,
  };
}
