import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flameSelectionJson } from '../../src/profile/flame-selection-json.js';
import { flameTreeJson } from '../../src/profile/flame-tree-json.js';
import { pruneStackTrie, selectFlameNodes } from '../../src/profile/prune-flame-tree.js';
import { buildStackTrie, StackShapes, StackTrie } from '../../src/profile/stack-trie.js';
import { prng, randomStacks } from '../support/seeded-random.js';
import { oddStacks } from './odd-stacks.js';
import { deepStack } from './deep-stack.js';
import { naivePrunedTree } from './naive-flame-tree.js';

test('on random tries, pruning and the JSON written from the selection equal the rule stated the slow way', () => {
  const random = prng(12);
  for (let seed = 1; seed <= 60; seed++) {
    const stacks = seed % 3 === 0 ? oddStacks(seed) : randomStacks(seed, { names: 2 + (seed % 7), stacks: 1 + seed * 3, maxDepth: 1 + (seed % 9), maxCount: seed % 4 === 0 ? 2 ** 40 : 50 });
    const trie = buildStackTrie(stacks, seed % 2 === 0 ? new StackShapes() : undefined);
    for (const maxNodes of [2, 3, 4, 5 + Math.floor(random() * 40), 10_000]) {
      for (const threshold of [0, random() * 0.05, 0.2, 1]) {
        const label = `seed ${seed}, cap ${maxNodes}, threshold ${threshold}`;
        const expected = naivePrunedTree(stacks, threshold, maxNodes);
        assert.deepEqual(pruneStackTrie(trie, { threshold, maxNodes }), expected, label);
        const meta = { host: 'h"1', nodes: expected.nodes, path: ['a', 'b'], none: undefined };
        const json = flameSelectionJson(selectFlameNodes(trie, { threshold, maxNodes }), { meta });
        assert.equal(json.toString('utf8'), JSON.stringify({ ...expected.tree, meta }), label);
      }
    }
  }
});

test('the detail under a node is written as flameTreeJson writes its tree', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const stacks = seed % 2 === 0 ? oddStacks(seed) : randomStacks(seed, { names: 4, stacks: 60, maxDepth: 8, maxCount: 9 });
    const trie = buildStackTrie(stacks);
    const [first] = [...stacks.keys()];
    const frames = first.split(';');
    for (let length = 1; length <= frames.length; length++) {
      const under = trie.nodeAtPath(frames.slice(0, length));
      for (const options of [{ threshold: 0, maxNodes: 3 }, { threshold: 0.1, maxNodes: 12 }, { threshold: 0, maxNodes: 1000 }]) {
        const pruned = pruneStackTrie(trie, { ...options, under });
        const selection = selectFlameNodes(trie, { ...options, under });
        assert.deepEqual([selection.nodes, selection.prunedNodes, selection.prunedSamples], [pruned.nodes, pruned.prunedNodes, pruned.prunedSamples]);
        assert.equal(flameSelectionJson(selection, { meta: { length } }).toString(), flameTreeJson(pruned.tree, { meta: { length } }), `seed ${seed}, ${length} frames`);
      }
    }
  }
});

test('writes fractional and huge values as JSON does, and an empty tree as an empty root', () => {
  const shapes = new StackShapes();
  const tries = [buildStackTrie(new Map([['a;b', 3], ['a;c', 2 ** 53 - 10], ['d', 7]]), shapes), buildStackTrie(new Map([['a;b', 1], ['e', 5]]), shapes)];
  const weighted = StackTrie.weightedSum(tries, [0.1, 1 / 3]);
  for (const trie of [...tries, weighted]) {
    for (const maxNodes of [2, 4, 100]) {
      const options = { threshold: 0, maxNodes };
      assert.equal(flameSelectionJson(selectFlameNodes(trie, options)).toString(), flameTreeJson(pruneStackTrie(trie, options).tree));
    }
  }
  const empty = buildStackTrie(new Map());
  assert.equal(flameSelectionJson(selectFlameNodes(empty, { threshold: 0, maxNodes: 2 }), { meta: {} }).toString(), '{"name":"root","value":0,"children":[],"meta":{}}');
});

test('writes a stack 10,000 frames deep without recursion', () => {
  const trie = buildStackTrie(new Map([[deepStack(10_000), 7], ['f0;g', 1]]));
  const options = { threshold: 0, maxNodes: 20_000 };
  assert.equal(flameSelectionJson(selectFlameNodes(trie, options)).toString(), flameTreeJson(pruneStackTrie(trie, options).tree));
});
