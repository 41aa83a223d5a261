import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NOT_FOUND } from './helpers/actors.ts';
import {
  actors,
  assertStandard,
  fill,
  paramsOf,
  routes,
  send,
  spec,
  tenantUrl,
  unknown,
  valid,
  world,
} from './helpers/hostile-world.ts';

/**
 * docs/rules.md "Access" and "Precise rules" against hostile path parameters: every route the app has,
 * walked, as anonymous, as an outsider and as the tenant's owner. A hostile value answers exactly like a
 * well-formed unknown one: nothing answers 5xx, and every refusal is the standard error body.
 */

test('the walk finds every documented route, and every path parameter has values to sweep', async () => {
  const walked = new Set(routes.map((route) => `${route.method} ${route.url}`));
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const method of Object.keys(operations)) {
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      assert.ok(walked.has(`${method.toUpperCase()} ${url}`), `${method} ${url} walked`);
    }
  }
  for (const param of new Set(routes.flatMap((route) => paramsOf(route.url)))) {
    assert.ok(param in unknown, `:${param} needs a valid and an unknown value here`);
  }
});

/** Hostile path values, as written in the URL. None names a tenant, finding, run, exception or request. */
const hostileParams: [string, string][] = [
  ['NUL', '%00'],
  ['NUL after a name', 'contoso%00'],
  ['NUL after a number', '1%00'],
  ['control character', '%01'],
  ['DEL', '%7F'],
  ['newline', 'a%0Ab'],
  ['CRLF', 'a%0D%0Ab'],
  ['64 characters', 'a'.repeat(64)],
  ['300 characters', 'a'.repeat(300)],
  ['300 digits', '9'.repeat(300)],
  ['2,000 characters, past the router limit', 'a'.repeat(2000)],
  ['11 digits', '12345678901'],
  ['beyond int32', '2147483648'],
  ['negative', '-1'],
  ['zero', '0'],
  ['leading zero', '01'],
  ['decimal', '1.5'],
  ['exponent', '1e3'],
  ['hex', '0x10'],
  ['plus sign', '%2B1'],
  ['leading space', '%201'],
  ['full-width digit', '%EF%BC%91'],
  ['upper case', 'CONTOSO'],
  ['RTL override', '%E2%80%AEabc'],
  ['Hebrew', '%D7%A9%D7%9C%D7%95%D7%9D'],
  ['emoji', '%F0%9F%92%A5'],
  ['zero-width space', 'a%E2%80%8Bb'],
  ['encoded surrogate', '%ED%A0%80'],
  ['bad percent-encoding', '%E0%A4%A'],
  ['lone percent', '%'],
  ['bad hex escape', '%ZZ'],
  ['encoded slash', 'a%2Fb'],
  ['encoded question mark', 'a%3Fb'],
  ['encoded hash', 'a%23b'],
  ['encoded percent', '%25'],
  ['backslash', 'a%5Cb'],
  ['semicolon', 'a;b'],
  ['SQL', "1'%20OR%20'1'='1"],
  ['markup', '%3Cscript%3E'],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
];

describe('hostile path parameters answer exactly like an unknown id', () => {
  for (const route of routes.filter((r) => r.method !== 'HEAD' && paramsOf(r.url).length > 0)) {
    test(`${route.method} ${route.url}`, async () => {
      for (const param of paramsOf(route.url)) {
        for (const [actor, credential] of actors) {
          const base = await send(credential(), { method: route.method, url: fill(route.url, unknown) });
          const expected = { status: base.statusCode, body: base.json() };
          assert.ok([401, 404].includes(expected.status), `${actor} :${param} unknown: ${base.body}`);
          for (const [name, value] of hostileParams) {
            const label = `${actor}, :${param} ${name}`;
            const url = fill(route.url, { [param]: value });
            const response = await send(credential(), { method: route.method, url });
            assertStandard(response, label);
            const answer = { status: response.statusCode, body: response.json() };
            // What the router refuses before any route runs is a 404 for everyone, signed in or not.
            if (actor === 'anonymous' && answer.status === 404)
              assert.deepEqual(answer.body, NOT_FOUND, label);
            else assert.deepEqual(answer, expected, label);
          }
        }
      }
    });
  }
});

describe('targeted path cases', () => {
  test('a NUL in the tenant slug is the 404 of an unknown tenant, not a 500', async () => {
    for (const [actor, credential] of actors.slice(1)) {
      const unknownTenant = await send(credential(), { method: 'GET', url: tenantUrl('contoso') });
      const withNul = await send(credential(), { method: 'GET', url: tenantUrl('CONTOSO%00') });
      assert.equal(withNul.statusCode, 404, `${actor}: ${withNul.body}`);
      assert.deepEqual(withNul.json(), unknownTenant.json(), actor);
      assert.deepEqual(withNul.json(), NOT_FOUND, actor);
    }
    const anonymous = await send(null, { method: 'GET', url: tenantUrl('CONTOSO%00') });
    assert.equal(anonymous.statusCode, 401, 'signed out is 401 first, as for any tenant');
  });

  test('a 300-character slug is the same 404 (and 401 signed out: the access order holds)', async () => {
    const slug = 'a'.repeat(300);
    for (const [actor, credential] of actors.slice(1)) {
      const response = await send(credential(), { method: 'GET', url: tenantUrl(slug) });
      assert.equal(response.statusCode, 404, actor);
      assert.deepEqual(response.json(), NOT_FOUND, actor);
    }
    assert.equal((await send(null, { method: 'GET', url: tenantUrl(slug) })).statusCode, 401);
  });

  test('a path that cannot be decoded, or an over-long one, is the standard 404 for anyone', async () => {
    for (const url of [
      tenantUrl('%E0%A4%A'),
      '/%E0%A4%A',
      tenantUrl('a'.repeat(5000)),
      '/admin/operations/%',
    ]) {
      for (const [actor, credential] of actors) {
        const response = await send(credential(), { method: 'GET', url });
        assert.equal(response.statusCode, 404, `${actor} ${url.slice(0, 40)}: ${response.body}`);
        assert.deepEqual(response.json(), NOT_FOUND);
      }
    }
  });

  test('unknown routes and dot segments never answer 5xx or a foreign body', async () => {
    const owner = world.token('owner');
    for (const url of [
      '/nope',
      '/api/nope',
      '/admin/t',
      '/admin/t/x/y/z/w',
      '/nope%00',
      '//admin//my-work',
    ]) {
      const response = await send(owner, { method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      assert.deepEqual(response.json(), NOT_FOUND, url);
    }
    for (const path of ['..', '%2e%2e', '.', '../..', '..%2f..', '..%5c..', '...']) {
      for (const url of [
        tenantUrl(path),
        `${tenantUrl(valid.tenant ?? '')}/${path}`,
        `/admin/operations/${path}`,
      ]) {
        for (const [actor, credential] of actors)
          assertStandard(await send(credential(), { method: 'GET', url }), `${actor} ${url}`);
      }
    }
  });
});

/** Hostile query strings, appended to every GET route as sent. */
