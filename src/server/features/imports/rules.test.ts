import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WorkflowStatus } from '../findings/schemas.ts';
import {
  type CheckStatus,
  cut,
  helpUrlOf,
  importOutcome,
  keyRepeatedIds,
  maesterSeverity,
  maesterStatus,
  plainText,
  scubaSeverity,
  scubaStatus,
  splitMaesterName,
  statusAfter,
  timeSpanMs,
} from './rules.ts';

/** docs/rules.md "Imports": the mapping tables, one row a case. */

test('importOutcome: failed, passed and anything else against every effective status', () => {
  const table: [CheckStatus, WorkflowStatus | null, string][] = [
    ['failed', null, 'created'],
    ['failed', 'new', 'unchanged'],
    ['failed', 'triaged', 'unchanged'],
    ['failed', 'in_progress', 'unchanged'],
    ['failed', 'reopened', 'unchanged'],
    ['failed', 'resolved', 'reopened'],
    ['failed', 'closed', 'reopened'],
    ['failed', 'risk_accepted', 'unchanged'],
    ['passed', null, 'unchanged'],
    ['passed', 'new', 'resolved'],
    ['passed', 'triaged', 'resolved'],
    ['passed', 'in_progress', 'resolved'],
    ['passed', 'reopened', 'resolved'],
    ['passed', 'resolved', 'unchanged'],
    ['passed', 'closed', 'unchanged'],
    ['passed', 'risk_accepted', 'unchanged'],
    ['other', null, 'ignored'],
    ['other', 'new', 'ignored'],
    ['other', 'resolved', 'ignored'],
  ];
  for (const [check, current, outcome] of table) {
    assert.equal(importOutcome(check, current), outcome, `${check} on ${current}`);
  }
  assert.equal(statusAfter('created'), 'new');
  assert.equal(statusAfter('reopened'), 'reopened');
  assert.equal(statusAfter('resolved'), 'resolved');
  assert.equal(statusAfter('unchanged'), null);
});

test('tool results and severities', () => {
  for (const [given, status] of [
    ['Failed', 'failed'],
    ['Investigate', 'failed'],
    ['Passed', 'passed'],
    ['Skipped', 'other'],
    ['NotRun', 'other'],
    ['Error', 'other'],
    ['passed', 'passed'],
  ] as const) {
    assert.equal(maesterStatus(given), status, given);
  }
  for (const [given, status] of [
    ['Fail', 'failed'],
    ['Warning', 'failed'],
    ['Pass', 'passed'],
    ['N/A', 'other'],
    ['Omitted', 'other'],
    ['Error', 'other'],
    ['Incorrect result', 'other'],
    ['-', 'other'],
    ['FAIL', 'failed'],
  ] as const) {
    assert.equal(scubaStatus(given), status, given);
  }
  for (const [given, severity] of [
    ['Critical', 'critical'],
    ['High', 'high'],
    ['Medium', 'medium'],
    ['Low', 'low'],
    ['Info', 'low'],
    ['', 'medium'],
    [null, 'medium'],
    ['Urgent', 'medium'],
  ] as const) {
    assert.equal(maesterSeverity(given), severity, String(given));
  }
  for (const [given, severity] of [
    ['Shall', 'high'],
    ['Should', 'medium'],
    ['Shall/Not-Implemented', 'high'],
    ['Should/3rd Party', 'medium'],
    ['-', 'medium'],
  ] as const) {
    assert.equal(scubaSeverity(given), severity, given);
  }
});

test('plain text, cuts, links, names and durations', () => {
  assert.equal(
    plainText('A <b>bold</b><br/>line &amp; &lt;tag&gt; &#x263A; &#9731;<script>alert(1)</script>'),
    'A bold line & <tag> ☺ ☃',
  );
  assert.equal(cut('abcdef', 4), 'abc…');
  assert.equal(cut('ab😀cd', 4), 'ab…', 'never inside a surrogate pair');
  assert.equal(helpUrlOf('https://maester.dev/docs/tests/MT.1001'), 'https://maester.dev/docs/tests/MT.1001');
  assert.equal(helpUrlOf('javascript:alert(1)'), null);
  assert.equal(helpUrlOf('/relative'), null);
  assert.deepEqual(splitMaesterName('MT.1001: Title: with colon'), {
    id: 'MT.1001',
    title: 'Title: with colon',
  });
  assert.deepEqual(splitMaesterName('No colon here'), { id: 'No colon here', title: 'No colon here' });
  assert.equal(timeSpanMs('00:03:12'), 192_000);
  assert.equal(timeSpanMs('1.00:00:01.5'), 86_401_500);
  assert.equal(timeSpanMs('soon'), null);
});

test('a repeated Id is keyed by its title; duplicates merge, failed winning', () => {
  const checks = keyRepeatedIds([
    { checkId: 'A', title: 'one', status: 'passed' as CheckStatus },
    { checkId: 'B', title: 'x', status: 'passed' as CheckStatus },
    { checkId: 'B', title: 'y', status: 'failed' as CheckStatus },
    { checkId: 'B', title: 'y', status: 'passed' as CheckStatus },
  ]);
  assert.deepEqual(
    checks.map((c) => [c.checkId, c.status]),
    [
      ['A', 'passed'],
      ['B x', 'passed'],
      ['B y', 'failed'],
    ],
  );
});
