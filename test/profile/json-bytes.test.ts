import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteTable, copyPiece, viewOf } from '../../src/profile/json-bytes.js';

test('a byte table holds each text as UTF-8, end to end', () => {
  const texts = ['', 'a', '{"name":', 'é\u2028', ',"children":['];
  const table = byteTable(texts);
  assert.equal(table.bytes.length, texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0));
  texts.forEach((text, i) => assert.equal(Buffer.from(table.bytes.subarray(table.start[i], table.end[i])).toString(), text));
});

test('copyPiece writes a piece of every length at every offset, four bytes at a time and the rest, and nothing around it', () => {
  const texts = Array.from({ length: 12 }, (_, length) => 'abcdéfghijkl'.slice(0, length));
  const table = byteTable(texts);
  for (const [piece, text] of texts.entries()) {
    for (let at = 0; at < 5; at++) {
      const bytes = new Uint8Array(32).fill(0x2e);
      const end = copyPiece(bytes, viewOf(bytes), at, table, piece);
      const expected = Buffer.concat([Buffer.alloc(at, 0x2e), Buffer.from(text), Buffer.alloc(32 - at - Buffer.byteLength(text), 0x2e)]);
      assert.deepEqual(Buffer.from(bytes), expected, `piece ${piece} at ${at}`);
      assert.equal(end, at + Buffer.byteLength(text));
    }
  }
});

test('copyPiece writes through a view of a slice, not the start of its buffer', () => {
  const whole = Buffer.alloc(64, 0x2e);
  const slice = whole.subarray(7, 40);
  const table = byteTable(['0123456789']);
  copyPiece(slice, viewOf(slice), 3, table, 0);
  assert.equal(whole.toString(), `${'.'.repeat(10)}0123456789${'.'.repeat(44)}`);
});
