import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  actors,
  assertStandard,
  fill,
  paramsOf,
  routes,
  send,
  spec,
  tenantUrl,
  valid,
  world,
} from './helpers/hostile-world.ts';

/**
 * docs/rules.md "Interfaces" and "Precise rules" against query strings nobody should send: every route the
 * app has, walked, as anonymous, as an outsider and as the tenant's owner. Nothing answers 5xx, and every
 * refusal is the standard error body. (Bodies, headers and methods: hostile-input.test.ts.)
 */

const hostileQueries = [
  'limit=1&limit=2',
  'limit[]=1',
  'limit[0]=1&limit[1]=2',
  'a[b][c][d]=1',
  '__proto__=1',
  '__proto__[polluted]=1',
  'constructor[prototype][polluted]=1',
  `x=${'a'.repeat(100_000)}`,
  `${'k'.repeat(10_000)}=1`,
  Array.from({ length: 2000 }, (_, i) => `k${i}=${i}`).join('&'),
  '%E0%A4%A=1',
  'x=%E0%A4%A',
  '%00=%00',
  'x=%E2%80%AE',
  '&&&==&=',
  'cursor=%00',
  'cursor=%FF%FE',
  `cursor=${'x'.repeat(5000)}`,
];
const hostileQueryValues = ['%00', '%E0%A4%A', '-1', '1e3', '%E2%80%AE1', 'a'.repeat(5000), '1&{name}=2', ''];

describe('hostile query strings', () => {
  for (const route of routes.filter((r) => r.method === 'GET' && r.url.startsWith('/admin'))) {
    const scoped = paramsOf(route.url).length > 0;
    test(`GET ${route.url}`, async () => {
      const operation = spec.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.get;
      const names = (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const queries = [
        ...hostileQueries,
        ...names.flatMap((name) =>
          hostileQueryValues.map((value) => `${name}=${value.replace('{name}', name)}`),
        ),
      ];
      for (const [actor, credential] of actors) {
        for (const query of queries) {
          const response = await send(credential(), { method: 'GET', url: `${fill(route.url)}?${query}` });
          const label = `${actor} ?${query.slice(0, 60)}`;
          assertStandard(response, label);
          if (actor === 'anonymous') assert.equal(response.statusCode, 401, label);
          if (actor === 'outsider' && scoped) assert.equal(response.statusCode, 404, label);
          if (actor.startsWith('owner')) assert.ok([200, 422].includes(response.statusCode), label);
        }
      }
      assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    });
  }

  test('a repeated limit is 422 naming limit, after access', async () => {
    const url = `${tenantUrl(valid.tenant ?? '')}?limit=1&limit=2`;
    const response = await send(world.token('owner'), { method: 'GET', url });
    assert.equal(response.statusCode, 422);
    assert.ok(response.json().error.fields.limit);
    assert.equal((await send(world.token('other workspace'), { method: 'GET', url })).statusCode, 404);
  });
});
