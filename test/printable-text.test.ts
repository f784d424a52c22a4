import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codePointName, firstUnprintable, toPrintable } from '../src/printable-text.js';

test('firstUnprintable finds C0 and C1 controls, DEL, bidi controls and lone surrogates, and nothing else', () => {
  assert.equal(firstUnprintable('main(app);<module>(__main__);запрос;\u{1f600};\ufffd;\u200f;\u061c'), null);
  for (const [text, index, codePoint] of [
    ['a\u0000b', 1, 0],
    ['ab\tc', 2, 9],
    ['\u007f', 0, 0x7f],
    ['x\u0085', 1, 0x85],
    ['ok\u202aembedding', 2, 0x202a],
    ['ok\u202eoverride', 2, 0x202e],
    ['ok\u2066isolate\u2069', 2, 0x2066],
    ['lone\ud800', 4, 0xd800],
    ['lone\udfff then \u0001', 4, 0xdfff],
    ['\u{1f600}\u0001', 2, 1],
  ] as const) {
    assert.deepEqual(firstUnprintable(text), { index, codePoint }, JSON.stringify(text));
  }
});

test('toPrintable leaves printable text alone and makes the rest acceptable', () => {
  assert.equal(toPrintable('main(app);запрос;\u{1f600}'), 'main(app);запрос;\u{1f600}');
  const made = toPrintable('a\tb\u0085c\u2066d\udc00e\u007f');
  assert.equal(made, 'a b c d\ufffde ');
  assert.equal(firstUnprintable(made), null);
});

test('codePointName names a character without writing it', () => {
  assert.equal(codePointName(0x1b), 'U+001B');
  assert.equal(codePointName(0x202e), 'U+202E');
});
