import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  lockedOutMessage,
  meUpdateRuleFields,
  newTokenRuleFields,
  normalizeEmail,
  passwordChangeRuleFields,
  retryAfterWords,
  signInAttemptKey,
} from './rules.ts';

describe('body rules', () => {
  test('a display name or token name must not be blank nor hold a NUL', () => {
    assert.deepEqual(meUpdateRuleFields({ display_name: ' \t\n ' }), { display_name: 'must not be blank' });
    assert.deepEqual(meUpdateRuleFields({ display_name: 'Ada\u0000' }), {
      display_name: 'must not contain a NUL character',
    });
    assert.deepEqual(meUpdateRuleFields({ display_name: ' Ada ' }), {});
    assert.deepEqual(newTokenRuleFields({ name: '   ' }), { name: 'must not be blank' });
    assert.deepEqual(newTokenRuleFields({ name: 'ci\u0000' }), { name: 'must not contain a NUL character' });
    assert.deepEqual(newTokenRuleFields({ name: 'ci' }), {});
    // Not strings, or no body: the schema names those.
    assert.deepEqual(newTokenRuleFields({ name: 3 }), {});
    assert.deepEqual(newTokenRuleFields(null), {});
  });

  test('a new password passes the password rule, named new_password', () => {
    assert.deepEqual(passwordChangeRuleFields({ new_password: 'short' }), {
      new_password: 'must be at least 12 characters',
    });
    assert.deepEqual(passwordChangeRuleFields({ new_password: ' '.repeat(12) }), {
      new_password: 'must not be blank',
    });
    assert.deepEqual(passwordChangeRuleFields({ new_password: 'x'.repeat(1025) }), {
      new_password: 'must be at most 1024 characters',
    });
    assert.deepEqual(passwordChangeRuleFields({ new_password: 'correct horse\u0000battery' }), {
      new_password: 'must not contain a NUL character',
    });
    assert.deepEqual(passwordChangeRuleFields({ new_password: 'a long enough passphrase' }), {});
    assert.deepEqual(passwordChangeRuleFields({ current_password: 'x' }), {});
  });
});

describe('the sign-in limit', () => {
  test('counts per client address and e-mail, whatever its case and surrounding spaces', () => {
    assert.equal(signInAttemptKey('10.0.0.1', ' Ada@Example.TEST '), 'sign-in:10.0.0.1|ada@example.test');
    assert.notEqual(signInAttemptKey('10.0.0.1', 'ada@x.test'), signInAttemptKey('10.0.0.2', 'ada@x.test'));
    assert.notEqual(signInAttemptKey('10.0.0.1', 'ada@x.test'), signInAttemptKey('10.0.0.1', 'bob@x.test'));
  });

  test('a NUL, which the database cannot store, names nobody and is kept as U+FFFD', () => {
    assert.equal(normalizeEmail('a\u0000@x.test'), 'a\uFFFD@x.test');
    assert.equal(signInAttemptKey('\u0000', 'a@x.test'), 'sign-in:\uFFFD|a@x.test');
  });

  test('says when to try again in words, rounded up', () => {
    assert.equal(retryAfterWords(0.2), '1 second');
    assert.equal(retryAfterWords(59), '59 seconds');
    assert.equal(retryAfterWords(60), '1 minute');
    assert.equal(retryAfterWords(61), '2 minutes');
    assert.equal(retryAfterWords(900), '15 minutes');
    assert.equal(retryAfterWords(3 * 3600), '3 hours');
    assert.equal(lockedOutMessage(840), 'Too many failed sign-in attempts. Try again in 14 minutes.');
  });
});
