import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSamplesBody } from '../../../src/collector/formats/parse-samples-body.js';
import { foldedDump } from './folded-dump.js';

test('parseSamplesBody tells the format from the body: a JSON object or folded text', () => {
  assert.equal(foldedDump(parseSamplesBody('  {"stacks": [{"frame": "a;b", "count": 2}]}').stacks), 'a;b 2');
  assert.equal(foldedDump(parseSamplesBody('a;b 2\n').stacks), 'a;b 2');
  assert.equal(parseSamplesBody('{}').stacks.size, 0);
});
