import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtOnce } from './built-once.ts';
import type { Db } from './client.ts';

test('a statement is built once per database and name; another database or name builds its own', () => {
  const first = {} as Db;
  const second = {} as Db;
  const built: string[] = [];
  const build = (db: string) => (name: string) => {
    built.push(`${db}:${name}`);
    return { db, name };
  };
  const a = builtOnce(first, 'tp_a', build('first'));
  assert.equal(builtOnce(first, 'tp_a', build('first')), a, 'the same object again');
  assert.deepEqual(builtOnce(first, 'tp_b', build('first')), { db: 'first', name: 'tp_b' });
  assert.deepEqual(builtOnce(second, 'tp_a', build('second')), { db: 'second', name: 'tp_a' });
  assert.deepEqual(built, ['first:tp_a', 'first:tp_b', 'second:tp_a']);
});
