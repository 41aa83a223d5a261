import assert from 'node:assert/strict';
import { METHODS } from 'node:http';
import net from 'node:net';
import { describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { HTTPMethods } from 'fastify';
import { findings } from '../src/server/features/findings/tables.ts';
import { NOT_FOUND } from './helpers/actors.ts';
import {
  actors,
  assertErrorBody,
  assertStandard,
  fill,
  json,
  renewOwnerSession,
  routes,
  send,
  t,
  tenantUrl,
  valid,
  world,
} from './helpers/hostile-world.ts';

/**
 * docs/rules.md "Interfaces" and "Precise rules" against input nobody should send: every route the app has,
 * walked, with hostile bodies, headers and methods, as anonymous, as an outsider and as the tenant's owner.
 * Nothing answers 5xx, and every refusal is the standard error body. (Query strings: hostile-queries.test.ts.)
 */

const deepArray = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
const deepObject = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
/** [name, headers, payload, status for everyone] — refused while reading, before access is resolved. */
const unreadableBodies: [string, Record<string, string>, string | Buffer, number][] = [
  ['malformed JSON', json, '{"note":', 400],
  ['empty JSON', json, '', 400],
  ['text/plain', { 'content-type': 'text/plain' }, 'hello', 415],
  ['form', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1', 415],
  ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--', 415],
  ['XML', { 'content-type': 'application/xml' }, '<a/>', 415],
  ['a made-up type', { 'content-type': '}}}' }, '{}', 415],
  ['over 1 MiB', json, JSON.stringify({ note: 'x'.repeat(1024 * 1024) }), 413],
];
/** Readable bodies: judged after access (401, 404, 403) — never a 5xx. */
const oddBodies: [string, Record<string, string>, string | Buffer | undefined][] = [
  ['no body', {}, undefined],
  ['null', json, 'null'],
  ['an array', json, '[]'],
  ['a number', json, '1'],
  ['a string', json, '"x"'],
  ['true', json, 'true'],
  ['deeply nested array', json, deepArray],
  ['deeply nested object', json, deepObject],
  ['__proto__ key', json, '{"__proto__":{"polluted":true}}'],
  ['constructor key', json, '{"constructor":{"prototype":{"polluted":true}}}'],
  [
    'charset=latin1',
    { 'content-type': 'application/json; charset=latin1' },
    Buffer.from('{"note":"caf\xe9"}', 'latin1'),
  ],
  ['charset=utf-16', { 'content-type': 'application/json; charset=utf-16' }, '{}'],
  ['byte order mark', json, '\ufeff{}'],
  ['invalid UTF-8', json, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  [
    'NUL everywhere',
    json,
    JSON.stringify({ '\u0000': '\u0000', note: '\u0000', summary: 'a\u0000', email: '\u0000' }),
  ],
  [
    'RTL and emoji',
    json,
    JSON.stringify({ note: '\u202e💥', summary: '\u202e💥', request_reason: '\u202e' }),
  ],
];

/** Routes whose JSON body is a file read as a stream, after access. */
const streamedBodies = new Set(['/admin/t/:tenant/imports', '/admin/w/:workspace/imports']);

describe('hostile bodies', () => {
  for (const route of routes.filter((r) => r.method === 'POST')) {
    const isPublic = !route.url.startsWith('/admin');
    // Everyone signed in has an account of their own: an outsider reaches /admin/me like anyone else.
    const ownAccount = route.url.startsWith('/admin/me/');
    // The desk is the installation's, not a workspace's: someone who owns no workspace is refused (403).
    const installation = route.url.startsWith('/admin/support-desk/');
    test(`POST ${route.url}`, async () => {
      for (const [actor, credential] of actors) {
        for (const [name, headers, payload, status] of unreadableBodies) {
          const response = await send(credential(), {
            method: 'POST',
            url: fill(route.url),
            headers,
            payload,
          });
          assertStandard(response, `${actor} ${name}`);
          // An import's JSON file is read as a stream after access (docs/rules.md "Imports"): malformed JSON
          // is that file's 422 and up to 50 MB is taken; anything but JSON is still 415.
          if (streamedBodies.has(route.url) && headers === json) {
            const expected = actor === 'anonymous' ? 401 : actor === 'outsider' ? 404 : [403, 422];
            assert.ok(
              [expected].flat().includes(response.statusCode),
              `${actor} ${name}: ${response.statusCode}`,
            );
            continue;
          }
          // Sign-in attempts are rate limited: a 429 there is an answer too.
          if (response.statusCode !== 429) assert.equal(response.statusCode, status, `${actor} ${name}`);
        }
        for (const [name, headers, payload] of oddBodies) {
          const response = await send(credential(), {
            method: 'POST',
            url: fill(route.url),
            headers,
            payload,
          });
          const label = `${actor} ${name}`;
          assertStandard(response, label);
          if (isPublic) continue;
          if (actor === 'anonymous') assert.equal(response.statusCode, 401, label);
          if (actor === 'outsider' && !ownAccount && !installation)
            assert.equal(response.statusCode, 404, label);
          if (actor === 'outsider' && installation) assert.equal(response.statusCode, 403, label);
        }
      }
      assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      if (/sessions/.test(route.url)) await renewOwnerSession();
    });
  }

  const responsibility = () => fill('/admin/t/:tenant/findings/:finding/responsibility');
  const stored = async () => {
    const [row] = await t.db
      .select()
      .from(findings)
      .where(eq(findings.id, Number(valid.finding)));
    return { owner: row?.ownerUserId, assignee: row?.assigneeUserId };
  };

  test('malformed JSON is 400, text/plain 415 and over 1 MiB 413, in the standard body', async () => {
    const owner = world.token('owner');
    const cases: [Record<string, string>, string, number, string][] = [
      [json, '{"owner_user_id": ', 400, 'bad_request'],
      [{ 'content-type': 'text/plain' }, '{}', 415, 'unsupported_media_type'],
      [json, JSON.stringify({ owner_user_id: null, pad: 'x'.repeat(1024 * 1024) }), 413, 'payload_too_large'],
    ];
    for (const [headers, payload, status, code] of cases) {
      const response = await send(owner, { method: 'POST', url: responsibility(), headers, payload });
      assert.equal(response.statusCode, status, response.body);
      assert.equal(response.json().error.code, code);
    }
  });

  test('a missing body is 422 naming body, after access', async () => {
    const options = { method: 'POST', url: responsibility(), payload: undefined } as const;
    assert.equal((await send(null, options)).statusCode, 401);
    assert.equal((await send(world.token('other workspace'), options)).statusCode, 404);
    const response = await send(world.token('owner'), options);
    assert.equal(response.statusCode, 422, response.body);
    assert.ok(response.json().error.fields.body, response.body);
  });

  test('__proto__ and constructor keys are unknown fields: 422, nothing written, nothing polluted', async () => {
    const before = await stored();
    for (const key of ['__proto__', 'constructor']) {
      const payload = `{"${key}":{"prototype":{"polluted":true},"polluted":true},"owner_user_id":null}`;
      const response = await send(world.token('owner'), {
        method: 'POST',
        url: responsibility(),
        headers: json,
        payload,
      });
      assert.equal(response.statusCode, 422, response.body);
      const fields = response.json().error.fields;
      assert.ok(Object.hasOwn(fields, key), response.body);
      assert.equal(fields[key], 'is not a known field');
    }
    assert.deepEqual(await stored(), before);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  });
});

describe('hostile headers and methods', () => {
  const hostileHeaders: Record<string, string>[] = [
    { authorization: 'Bearer \u0000' },
    { authorization: `Bearer ${'x'.repeat(20_000)}` },
    { authorization: 'Basic Og==' },
    { authorization: 'Bearer' },
    { authorization: 'Bearer tp_\u202e' },
    { cookie: 'tp_session=%00' },
    { cookie: `tp_session=${'a'.repeat(5000)}` },
    { cookie: '=;;=;tp_session' },
    { cookie: 'tp_session=%E0%A4%A; _csrf=%00' },
    { accept: '\u202e' },
    { accept: 'application/json;q=abc' },
    { 'content-type': 'application/json; charset=latin1' },
    { 'x-forwarded-for': '\u0000, garbage' },
    { 'x-csrf-token': '\u0000' },
    { 'accept-language': 'x'.repeat(5000) },
    { range: 'bytes=abc' },
  ];

  test('odd credentials and headers are 401 or the route answer, never 5xx', async () => {
    const urls = [
      { method: 'GET', url: tenantUrl(valid.tenant ?? '') },
      { method: 'POST', url: fill('/admin/t/:tenant/support-requests/actions/submit') },
      { method: 'GET', url: '/api/session' },
    ] as const;
    for (const target of urls) {
      for (const headers of hostileHeaders) {
        const label = `${target.method} ${target.url} ${JSON.stringify(headers).slice(0, 50)}`;
        assertStandard(await send(null, { ...target, headers }), label);
        assertStandard(await send(world.token('owner'), { ...target, headers }), `owner ${label}`);
      }
    }
  });

  test('a body on GET is read or refused like any body, never 5xx', async () => {
    const url = tenantUrl(valid.tenant ?? '');
    for (const [headers, payload] of [
      [json, '{"x":1}'],
      [json, '{"x":'],
      [{ 'content-type': 'text/plain' }, 'hello'],
      [json, JSON.stringify({ x: 'x'.repeat(1024 * 1024) })],
    ] as const) {
      for (const [actor, credential] of actors) {
        assertStandard(
          await send(credential(), { method: 'GET', url, headers, payload }),
          `${actor} ${payload.slice(0, 9)}`,
        );
      }
    }
  });

  test('HEAD on every JSON route: the GET status, no body, never 5xx', async () => {
    // The web pages (/, /sign-in, /docs) are HTML, and 503 where the UI is not built: test/http.test.ts.
    const jsonRoute = /^\/(admin|api)\/|^\/(healthz|openapi\.json)$/;
    for (const route of routes.filter((r) => r.method === 'HEAD' && jsonRoute.test(r.url))) {
      for (const [actor, credential] of actors) {
        const url = fill(route.url);
        const response = await send(credential(), { method: 'HEAD', url });
        assertStandard(response, `${actor} HEAD ${route.url}`);
        assert.equal(response.body, '', route.url);
        const get = await send(credential(), { method: 'GET', url });
        assert.equal(response.statusCode, get.statusCode, `${actor} HEAD ${route.url}`);
      }
    }
  });

  test('every other method on every route is the standard 404', async () => {
    const methodsOf = new Map<string, Set<string>>();
    for (const route of routes)
      methodsOf.set(route.url, (methodsOf.get(route.url) ?? new Set()).add(route.method));
    for (const [url, registered] of methodsOf) {
      if (url.includes('*')) continue;
      for (const method of METHODS.filter((m) => !registered.has(m) && m !== 'CONNECT')) {
        const response = await send(world.token('owner'), { method: method as HTTPMethods, url: fill(url) });
        assertStandard(response, `${method} ${url}`);
        // RFC 10008: a QUERY without a Content-Type cannot be read, whatever its URL.
        const expected = method === 'QUERY' ? 400 : 404;
        assert.equal(response.statusCode, expected, `${method} ${url}: ${response.body}`);
        if (expected === 404 && method !== 'HEAD')
          assert.deepEqual(response.json(), NOT_FOUND, `${method} ${url}`);
      }
    }
  });
});

/** Bytes Node's HTTP parser refuses before Fastify sees a request: `app.inject` cannot send them. */
function sendRaw(port: number, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

test('over a real socket, what the HTTP parser refuses is the standard body too', async () => {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as net.AddressInfo;
  const end = 'Host: x\r\nConnection: close\r\n\r\n';
  const cases: [string, string, number][] = [
    ['an unknown method', `FOO /admin/t/x/findings HTTP/1.1\r\n${end}`, 400],
    ['a control character in the URL', `GET /admin/t/a\u0001b/findings HTTP/1.1\r\n${end}`, 400],
    ['a space in the URL', `GET /admin/t/a b/findings HTTP/1.1\r\n${end}`, 400],
    ['garbage', 'garbage\r\n\r\n', 400],
    ['headers over the limit', `GET /healthz HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n${end}`, 431],
    ['a URL over the limit', `GET /healthz?${'a'.repeat(20_000)} HTTP/1.1\r\n${end}`, 431],
    ['a bad Content-Length', `POST /api/session HTTP/1.1\r\nContent-Length: abc\r\n${end}`, 400],
    [
      'Content-Length and Transfer-Encoding',
      `POST /api/session HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n${end}0\r\n\r\n`,
      400,
    ],
    ['raw dot segments', `GET /admin/t/../findings HTTP/1.1\r\n${end}`, 401],
    ['a raw bad escape', `GET /admin/t/%E0%A4%A/findings HTTP/1.1\r\n${end}`, 404],
  ];
  for (const [name, data, status] of cases) {
    const answer = await sendRaw(port, data);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    assert.match(head, new RegExp(`^HTTP/1\\.1 ${status} `), `${name}: ${answer.slice(0, 200)}`);
    assert.match(head, /content-type: application\/json/i, name);
    assertErrorBody(body, name);
  }
});
