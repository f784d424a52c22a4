import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { BodyFormatError, DEFAULT_BODY_LIMITS } from '../../../src/collector/formats/parsed-samples.js';
import { parseSamplesBody } from '../../../src/collector/formats/parse-samples-body.js';
import { TEXT_PIECE_BYTES } from '../../../src/collector/formats/utf8-text.js';
import { prng } from '../../store/store-fixtures.js';
import { fixture, foldedDump } from './folded-dump.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const NOT_TEXT = 'body is not UTF-8 text (nor a binary format we read)';
const isNotText = (error: Error) => error instanceof BodyFormatError && error.message === NOT_TEXT;

describe('parseSamplesBody', () => {
  test('tells the format from the body: a JSON object or folded text', () => {
    assert.equal(foldedDump(parseSamplesBody(bytes('  {"stacks": [{"frame": "a;b", "count": 2}]}')).stacks), 'a;b 2');
    assert.equal(foldedDump(parseSamplesBody(bytes('a;b 2\n')).stacks), 'a;b 2');
    assert.equal(parseSamplesBody(bytes('{}')).stacks.size, 0);
    assert.equal(parseSamplesBody(new Uint8Array(0)).stacks.size, 0);
  });

  test('decodes UTF-8 strictly: a body in another encoding is refused, not stored with U+FFFD', () => {
    assert.throws(() => parseSamplesBody(readFileSync(fixture('folded/latin1.txt'))), isNotText);
    assert.equal(foldedDump(parseSamplesBody(readFileSync(fixture('folded/unicode-frames.txt'))).stacks), 'main(app);запрос(app) 2\nmain(app);\ufffd(app) 4');
  });

  test('refuses random binary bodies whole, whatever their bytes', () => {
    const random = prng(8);
    for (let body = 0; body < 200; body++) {
      const garbage = Uint8Array.from({ length: 64 + Math.floor(random() * 4096) }, () => Math.floor(random() * 256));
      assert.throws(() => parseSamplesBody(garbage), BodyFormatError, `body ${body}`);
    }
  });

  test('passes the distinct-stack limit to both formats', () => {
    const json = bytes(JSON.stringify({ stacks: [{ frame: 'a', count: 1 }, { frame: 'b', count: 1 }] }));
    assert.throws(() => parseSamplesBody(json, { ...DEFAULT_BODY_LIMITS, maxStacks: 1 }), /more than 1 distinct stacks/);
    assert.throws(() => parseSamplesBody(bytes('a 1\nb 1\n'), { ...DEFAULT_BODY_LIMITS, maxStacks: 1 }), /more than 1 distinct stacks/);
  });

  test('reads a character whose bytes straddle two decoded pieces whole, in both formats', () => {
    const FRAME_PREFIX = 'main(app);';
    const JSON_PREFIX = `{"stacks": [{"frame": "${FRAME_PREFIX}`;
    for (const character of ['я', '€', '😀']) {
      for (let before = 1; before < Buffer.byteLength(character); before++) {
        // `before` of the character's bytes end the first piece, the others start the next.
        const stack = (prefix: string) => `${FRAME_PREFIX}${'f'.repeat(TEXT_PIECE_BYTES - prefix.length - before)}${character}(app)`;
        const folded = parseSamplesBody(bytes(`${stack(FRAME_PREFIX)} 3\nnext(app) 1\n`));
        assert.deepEqual([...folded.stacks], [[stack(FRAME_PREFIX), 3], ['next(app)', 1]], `folded, ${character}, ${before} bytes before the cut`);
        // The byte order mark is not text: pieces are counted from after it.
        const json = parseSamplesBody(bytes(`\ufeff{"stacks": [{"frame": "${stack(JSON_PREFIX)}", "count": 3}]}`));
        assert.deepEqual([...json.stacks], [[stack(JSON_PREFIX), 3]], `JSON, ${character}, ${before} bytes before the cut`);
      }
    }
  });

  test('refuses bytes that are not UTF-8 at or across a piece boundary, before reading any entry', () => {
    const lines = 'a 1\n'.repeat(TEXT_PIECE_BYTES / 4);
    const withBytes = (at: number, bad: number[]) => Buffer.concat([Buffer.from(lines.slice(0, at)), Buffer.from(bad), Buffer.from(lines.slice(at))]);
    const oneStack = { ...DEFAULT_BODY_LIMITS, maxStacks: 1 };
    const cases = {
      'a stray byte starting the second piece': withBytes(TEXT_PIECE_BYTES, [0xff]),
      'a stray byte ending the first piece': withBytes(TEXT_PIECE_BYTES - 1, [0xff]),
      'a character cut short across the boundary': withBytes(TEXT_PIECE_BYTES - 1, [0xe2, 0x82]),
      'a continuation byte after the boundary': withBytes(TEXT_PIECE_BYTES, [0x80]),
    };
    for (const [name, body] of Object.entries(cases)) {
      assert.throws(() => parseSamplesBody(body), isNotText, name);
      // The distinct-stack limit would refuse it at its second line: the encoding is judged first, as when the body was decoded whole.
      assert.throws(() => parseSamplesBody(Buffer.concat([Buffer.from('b 1\n'), body]), oneStack), isNotText, `${name}, limit`);
    }
  });
});
