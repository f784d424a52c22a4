import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSamplesBody } from '../../../src/collector/formats/parse-samples-body.js';
import { foldedDump } from './folded-dump.js';

test('parseSamplesBody tells the format from the body: a JSON object or folded text', () => {
  assert.equal(foldedDump(parseSamplesBody(bytes('  {"stacks": [{"frame": "a;b", "count": 2}]}'), CAP).stacks), 'a;b 2');
  assert.equal(foldedDump(parseSamplesBody(bytes('a;b 2\n'), CAP).stacks), 'a;b 2');
  assert.equal(parseSamplesBody(bytes('{}'), CAP).stacks.size, 0);
});

const CAP = 1024 * 1024;

function bytes(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}
