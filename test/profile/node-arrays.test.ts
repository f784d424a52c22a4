import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flameSelectionJson } from '../../src/profile/flame-selection-json.js';
import { KEPT_NODE_ARRAY_BYTES, NodeArrays } from '../../src/profile/node-arrays.js';
import { selectFlameNodes } from '../../src/profile/prune-flame-tree.js';
import { buildStackTries, StackShapes } from '../../src/profile/stack-trie.js';

test('arrays lent in one job are zeroed, apart from each other, and their buffers lent again after reclaim', () => {
  const arrays = new NodeArrays();
  const values = arrays.float64(1000);
  const ranks = arrays.int32(1000);
  const other = arrays.float64(10);
  values.fill(7);
  ranks.fill(7);
  assert.equal(other.every((value) => value === 0), true, 'two arrays of one job share nothing');
  assert.equal(values.length, 1000);
  arrays.reclaim();
  const again = arrays.float64(900);
  assert.equal(again.length, 900);
  assert.equal(again.every((value) => value === 0), true, 'zeroed when lent again');
  assert.equal(again.buffer === values.buffer || again.buffer === other.buffer, true, 'a kept buffer was reused');
  assert.equal(arrays.int32(1000).every((rank) => rank === 0), true);
});

test('reclaim keeps at most KEPT_NODE_ARRAY_BYTES of free arrays', () => {
  const arrays = new NodeArrays();
  const large = KEPT_NODE_ARRAY_BYTES / 8;
  arrays.float64(large);
  arrays.float64(large / 4);
  arrays.int32(1000);
  arrays.reclaim();
  assert.ok(arrays.freeBytes <= KEPT_NODE_ARRAY_BYTES, `${arrays.freeBytes} bytes kept`);
  assert.ok(arrays.freeBytes >= KEPT_NODE_ARRAY_BYTES / 2, 'the largest array that fits is kept');
});

test('profiles over shapes lending node arrays, reclaimed between jobs, answer as those over new arrays', () => {
  const jobs = [
    new Map([['main;a;b', 5], ['main;a;c', 2], ['main;d', 1]]),
    new Map([['main;a;b', 1], ['main;e;f;g', 4]]),
    new Map([['main;d', 3], ['main;a;c', 9], ['other', 2]]),
  ];
  const arrays = new NodeArrays();
  const lending = new StackShapes(arrays);
  const fresh = new StackShapes();
  for (const stacks of jobs) {
    const [lent] = buildStackTries([stacks], lending);
    const [made] = buildStackTries([stacks], fresh);
    const answer = (trie: typeof lent) => flameSelectionJson(selectFlameNodes(trie, { threshold: 0, maxNodes: 5 }), { meta: { stacks: stacks.size } }).toString();
    assert.equal(answer(lent), answer(made));
    arrays.reclaim();
  }
});
