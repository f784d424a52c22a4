import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlameNode } from '../../src/profile/flame-tree.js';
import { flameTreeJson, NATIVE_DEPTH_LIMIT } from '../../src/profile/flame-tree-json.js';
import { pruneStackTrie } from '../../src/profile/prune-flame-tree.js';
import { buildStackTrie } from '../../src/profile/stack-trie.js';
import { deepStack, firstPath } from './deep-stack.js';

test('writes exactly what JSON.stringify writes, "(other)" nodes, odd names and extra root fields included', () => {
  const stacks = new Map([['a;x', 50], ['a;y', 10], ['b"</script>', 30], ['c\\d;e', 10], ['\u{1f600};\ufffd', 3]]);
  for (const maxNodes of [2, 4, 8000]) {
    const { tree } = pruneStackTrie(buildStackTrie(stacks), { threshold: 0, maxNodes });
    const meta = { host: 'web1', from: 0, until: 10, threshold: 0 };
    assert.equal(flameTreeJson(tree, { meta }), JSON.stringify({ ...tree, meta }));
    assert.equal(flameTreeJson(tree), JSON.stringify(tree));
  }
  const leaf: FlameNode = { name: 'only', value: 1 };
  assert.equal(flameTreeJson(leaf), JSON.stringify(leaf));
});

test('writes the extra fields of diff and sandwich nodes in their order, children wherever they stand', () => {
  const diff = {
    name: 'root', value: 2, target: 10, baseline: 5, children: [
      { name: 'a', value: 1.5, delta: 0.5, target: 8, baseline: 2, children: [{ name: 'b', value: 1, other: true as const, delta: -0.1 }] },
      { name: 'c', value: 0.5, children: [], delta: undefined },
    ],
  };
  assert.equal(flameTreeJson(diff, { meta: { path: 'a;b' } }), JSON.stringify({ ...diff, meta: { path: 'a;b' } }));
});

test('writes a tree 10,000 frames deep, which JSON.stringify cannot', () => {
  const { tree } = pruneStackTrie(buildStackTrie(new Map([[deepStack(10_000), 7]])), { threshold: 0, maxNodes: 20_000 });
  assert.throws(() => JSON.stringify(tree), RangeError, 'V8 recurses: if this passes, flameTreeJson may no longer be needed');
  const parsed = JSON.parse(flameTreeJson(tree)) as FlameNode;
  assert.deepEqual(firstPath(parsed), deepStack(10_000).split(';'));
  assert.equal(parsed.value, 7);
});

test('writes the same text either side of the depth where V8 writes it itself', () => {
  for (const depth of [NATIVE_DEPTH_LIMIT - 1, NATIVE_DEPTH_LIMIT, NATIVE_DEPTH_LIMIT + 1, NATIVE_DEPTH_LIMIT + 2]) {
    // The root is one level: a stack of depth - 1 frames makes a tree of `depth` levels.
    const stacks = new Map([[deepStack(depth - 1), 7], ['a;"b";c', 2], ['a;x', 1]]);
    const { tree } = pruneStackTrie(buildStackTrie(stacks), { threshold: 0, maxNodes: 20_000 });
    const meta = { host: 'web1', nodes: depth };
    assert.equal(flameTreeJson(tree, { meta }), JSON.stringify({ ...tree, meta }), `depth ${depth}`);
  }
});
