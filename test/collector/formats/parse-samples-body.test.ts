import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { BodyFormatError, DEFAULT_BODY_LIMITS } from '../../../src/collector/formats/parsed-samples.js';
import { parseSamplesBody } from '../../../src/collector/formats/parse-samples-body.js';
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
});
