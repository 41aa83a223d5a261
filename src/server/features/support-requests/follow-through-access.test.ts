import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { count, eq } from 'drizzle-orm';
import {
  type ActorKind,
  type ActorWorld,
  actorKinds,
  createActorWorld,
  expectedStatus,
  NOT_FOUND,
} from '../../../../test/helpers/actors.ts';
import { type Credential, request, startTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { countWrites, tenantSubmitUrl, validBody } from '../../../../test/helpers/support-requests.ts';
import type { Role } from '../tenancy/tables.ts';
import { supportRequestAttempts, supportRequests } from './tables.ts';

/**
 * docs/rules.md "Access" for the follow-through endpoints (link, hand off again) and the detail: 401, then
 * 404 (tenant, then the request inside it), then 403, then 422, then 409; and a bad-input sweep of the
 * link body. No desk is configured, so a hand-off again fails at once without any call.
 */
let t: TestApp;
let world: ActorWorld;
const creators: Role[] = ['operator', 'manager', 'owner'];
let siblingRequest = 0;

before(async () => {
  t = await startTestApp();
  world = await createActorWorld(t);
  siblingRequest = await submit(
    world.siblingTenant.externalId,
    'member of a sibling tenant only',
    'internal_only',
  );
});

after(() => t.close());

async function submit(tenant: string, kind: Exclude<ActorKind, 'anonymous'>, mode: string): Promise<number> {
  const response = await request(t.app, world.token(kind), {
    method: 'POST',
    url: tenantSubmitUrl(tenant),
    payload: validBody({ handoff_mode: mode }),
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().support_request_id;
}

const fresh = (mode: 'internal_only' | 'create_external_ticket') =>
  submit(world.tenant.externalId, 'owner', mode);
const base = () => `/admin/t/${world.tenant.externalId}/support-requests`;

async function writes() {
  const [attempts] = await t.db.select({ n: count() }).from(supportRequestAttempts);
  return { ...(await countWrites(t.db)), attempts: attempts?.n ?? 0 };
}

interface Action {
  name: string;
  mode: 'internal_only' | 'create_external_ticket';
  url: (id: number) => string;
  payload?: Record<string, unknown>;
}

const actions: Action[] = [
  {
    name: 'link',
    mode: 'internal_only',
    url: (id) => `${base()}/${id}/actions/link`,
    payload: { external_ticket_reference: 'PSA-1', external_ticket_url: 'https://psa.example/1' },
  },
  {
    name: 'hand off again',
    mode: 'create_external_ticket',
    url: (id) => `${base()}/${id}/actions/hand-off-again`,
  },
];

async function send(credential: Credential, action: Action, id: number, payload = action.payload) {
  return request(t.app, credential, {
    method: 'POST',
    url: action.url(id),
    ...(payload ? { payload } : {}),
  });
}

describe('follow-through × actor kinds (token and session)', () => {
  for (const action of actions) {
    for (const kind of actorKinds) {
      test(`${action.name} × ${kind}`, async () => {
        for (const [label, credential] of world.credentialsOf(kind)) {
          const id = await fresh(action.mode);
          const before = await writes();
          const response = await send(credential, action, id);
          const expected = expectedStatus(kind, creators);
          assert.equal(response.statusCode, expected, `${label}: ${response.body}`);
          if (expected === 404) assert.deepEqual(response.json(), NOT_FOUND, label);
          if (expected === 403) assert.equal(response.json().error.code, 'forbidden');
          if (expected !== 200) {
            assert.deepEqual(await writes(), before, label);
            continue;
          }
          const outcome = response.json().handoff_outcome;
          assert.equal(
            outcome,
            action.name === 'link' ? 'external_ticket_linked' : 'external_handoff_failed',
          );
          assert.equal((await writes()).attempts, before.attempts + 1, label);
        }
      });
    }
  }

  test('detail × actor kinds: viewers see it, actions only for those who may act', async () => {
    const id = await fresh('create_external_ticket');
    for (const kind of actorKinds) {
      for (const [label, credential] of world.credentialsOf(kind)) {
        const response = await request(t.app, credential, { method: 'GET', url: `${base()}/${id}` });
        const expected = expectedStatus(kind, ['readonly', ...creators]);
        assert.equal(response.statusCode, expected, `${label}: ${response.body}`);
        if (expected !== 200) continue;
        const may = creators.includes(kind as Role);
        assert.deepEqual(response.json().available_actions, { link: may, hand_off_again: may }, label);
      }
    }
  });
});

describe('a request id that is not there answers the tenant 404, before 403 and 422', () => {
  const ids = ['abc', '-1', '0', '1.5', '12345678901234567890', '2147483648', '99999999'];
  for (const action of actions) {
    test(`${action.name}: malformed, unknown and another tenant's ids`, async () => {
      for (const kind of ['owner', 'readonly'] as const) {
        for (const id of [...ids, String(siblingRequest)]) {
          const before = await writes();
          const response = await request(t.app, world.token(kind), {
            method: 'POST',
            url: action.url(id as unknown as number),
            payload: { external_ticket_reference: 42, unknown: true },
          });
          assert.equal(response.statusCode, 404, `${kind} ${id}: ${response.body}`);
          assert.deepEqual(response.json(), NOT_FOUND);
          assert.deepEqual(await writes(), before);
        }
      }
      const detail = await request(t.app, world.token('owner'), {
        method: 'GET',
        url: `${base()}/${siblingRequest}`,
      });
      assert.deepEqual(detail.json(), NOT_FOUND);
    });
  }

  test('a bad link body: 403 for readonly, 422 for an operator', async () => {
    const id = await fresh('internal_only');
    const bad = { external_ticket_reference: '' };
    const refused = await send(world.token('readonly'), actions[0] as Action, id, bad);
    assert.equal(refused.statusCode, 403);
    const invalid = await send(world.token('operator'), actions[0] as Action, id, bad);
    assert.equal(invalid.statusCode, 422);
  });
});

const long = (n: number) => 'x'.repeat(n);
const url = (n: number) => `https://psa.example/${'a'.repeat(n - 'https://psa.example/'.length)}`;

/** [what, body, the field the 422 names]. Every case leaves the request and the attempts untouched. */
const badBodies: [string, unknown, string][] = [
  ['no reference', { external_ticket_url: 'https://psa.example/1' }, 'external_ticket_reference'],
  ['null reference', { external_ticket_reference: null }, 'external_ticket_reference'],
  ['reference a number', { external_ticket_reference: 42 }, 'external_ticket_reference'],
  ['reference an object', { external_ticket_reference: { id: 1 } }, 'external_ticket_reference'],
  ['reference empty', { external_ticket_reference: '' }, 'external_ticket_reference'],
  ['reference blank', { external_ticket_reference: ' \t ' }, 'external_ticket_reference'],
  ['reference over 200', { external_ticket_reference: long(201) }, 'external_ticket_reference'],
  ['reference with NUL', { external_ticket_reference: 'T-\u00001' }, 'external_ticket_reference'],
  ['url a number', { external_ticket_reference: 'T', external_ticket_url: 7 }, 'external_ticket_url'],
  [
    'url relative',
    { external_ticket_reference: 'T', external_ticket_url: '/tickets/1' },
    'external_ticket_url',
  ],
  [
    'url ftp',
    { external_ticket_reference: 'T', external_ticket_url: 'ftp://psa.example/1' },
    'external_ticket_url',
  ],
  [
    'url javascript',
    { external_ticket_reference: 'T', external_ticket_url: 'javascript:alert(1)' },
    'external_ticket_url',
  ],
  [
    'url over 2048',
    { external_ticket_reference: 'T', external_ticket_url: url(2049) },
    'external_ticket_url',
  ],
  [
    'url with NUL',
    { external_ticket_reference: 'T', external_ticket_url: 'https://a.example/\u0000' },
    'external_ticket_url',
  ],
  ['unknown field', { external_ticket_reference: 'T', handoff_mode: 'internal_only' }, 'handoff_mode'],
  ['an array body', [{ external_ticket_reference: 'T' }], ''],
];

describe('link body: bad input → 422 naming the field, nothing written', () => {
  for (const [what, body, field] of badBodies) {
    test(what, async () => {
      const id = await fresh('internal_only');
      const [row] = await t.db.select().from(supportRequests).where(eq(supportRequests.id, id));
      const before = await writes();
      const response = await request(t.app, world.token('operator'), {
        method: 'POST',
        url: `${base()}/${id}/actions/link`,
        payload: body as Record<string, unknown>,
      });
      assert.equal(response.statusCode, 422, response.body);
      if (field) assert.ok(response.json().error.fields?.[field], response.body);
      assert.deepEqual(await writes(), before);
      assert.deepEqual(await t.db.select().from(supportRequests).where(eq(supportRequests.id, id)), [row]);
    });
  }

  test('within the limits any text is stored and returned exactly; a null URL is no URL', async () => {
    for (const [reference, link] of [
      [long(200), url(2048)],
      ['🎫'.repeat(200), null],
      ["'; drop table support_requests; -- <script>", 'http://psa.example/?q=a&b=%C3%BC'],
    ] as const) {
      const id = await fresh('internal_only');
      const response = await request(t.app, world.token('operator'), {
        method: 'POST',
        url: `${base()}/${id}/actions/link`,
        payload: { external_ticket_reference: reference, external_ticket_url: link },
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().external_ticket_reference, reference);
      assert.equal(response.json().external_ticket_url, link);
      const [row] = await t.db.select().from(supportRequests).where(eq(supportRequests.id, id));
      assert.equal(row?.externalTicketReference, reference);
    }
  });

  test('a body over 1 MiB is 413', async () => {
    const id = await fresh('internal_only');
    const response = await request(t.app, world.token('operator'), {
      method: 'POST',
      url: `${base()}/${id}/actions/link`,
      payload: { external_ticket_reference: long(1024 * 1024 + 10) },
    });
    assert.equal(response.statusCode, 413);
  });
});
