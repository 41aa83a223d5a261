import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, csvRow, jsonCell } from './csv.ts';

test('cells a spreadsheet would run as a formula start with an apostrophe', () => {
  for (const [value, cell] of [
    ['=1+2', "'=1+2"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTab', "'\tTab"],
    ['\rCR', `"'\rCR"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ] as const) {
    assert.equal(csvCell(value), cell, JSON.stringify(value));
  }
  // Only at the start: inside a cell these are plain text.
  assert.equal(csvCell('a=b+c-d@e'), 'a=b+c-d@e');
  assert.equal(csvCell(-5), "'-5");
});

test('quotes, commas and line breaks are quoted RFC 4180 style; null is an empty cell', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(42), '42');
  assert.equal(csvCell('😀 ünïcode'), '😀 ünïcode');
  assert.equal(csvRow(['a', null, 1, 'x,y']), 'a,,1,"x,y"\r\n');
});

test('before/after as compact JSON; absent is empty', () => {
  assert.equal(jsonCell({ a: 1, b: [1, 2], c: 'x' }), '{"a":1,"b":[1,2],"c":"x"}');
  assert.equal(jsonCell(null), null);
  assert.equal(jsonCell(undefined), null);
  assert.equal(csvCell(jsonCell({ name: '=evil' })), '"{""name"":""=evil""}"');
  assert.equal(csvCell(jsonCell('-1')), '"""-1"""');
  assert.equal(csvCell(jsonCell(-1)), "'-1");
});
