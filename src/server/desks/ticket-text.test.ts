import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ticketRequest } from '../../../test/helpers/desk-kit.ts';
import { CONNECTWISE_SUMMARY_MAX } from './connectwise.ts';
import { cutText, MAX_SUBJECT, ticketSubject } from './ticket-text.ts';

/** A lone high or low surrogate: half of a character outside the Basic Multilingual Plane. */
const HALF_PAIR = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('ticket subjects', () => {
  test('200 emoji: cut by whole characters to 255 code units, never half a surrogate pair', () => {
    const subject = ticketSubject(ticketRequest({ summary: '🚀'.repeat(200) }));
    assert.ok(subject.length <= MAX_SUBJECT, `${subject.length}`);
    assert.doesNotMatch(subject, HALF_PAIR);
    assert.ok(subject.endsWith('🚀…'), subject.slice(-6));
    // The whole budget is used: one more rocket would not have fitted.
    assert.ok(subject.length + 2 > MAX_SUBJECT - 1);
  });

  test('an emoji joined of several code points (a family, a flag) stays whole', () => {
    for (const emoji of ['👨‍👩‍👧‍👦', '🏳️‍🌈', '👍🏽', '🇳🇱']) {
      const cut = cutText(`ab${emoji.repeat(40)}`, 50);
      assert.ok(cut.length <= 50);
      const kept = cut.slice(2, -1);
      assert.equal(kept.split(emoji).join(''), '', `${emoji} was split: ${JSON.stringify(kept)}`);
    }
  });

  test('ConnectWise’s 100, and a subject within the limit unchanged', () => {
    const long = ticketSubject(ticketRequest({ summary: 'é'.repeat(300) }), CONNECTWISE_SUMMARY_MAX);
    assert.equal(long.length, CONNECTWISE_SUMMARY_MAX);
    assert.ok(long.endsWith('é…'));
    assert.equal(
      ticketSubject(ticketRequest({ summary: '  Sync\n\tfails  ' })),
      '[SR-20261123-ABC123] Sync fails',
    );
    assert.equal(cutText('x'.repeat(255), 255), 'x'.repeat(255));
  });
});
