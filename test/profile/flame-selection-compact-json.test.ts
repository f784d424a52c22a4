import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactToFlameTree } from '../../public/assets/compact-profile.js';
import { flameSelectionCompactJson } from '../../src/profile/flame-selection-compact-json.js';
import { flameSelectionJson } from '../../src/profile/flame-selection-json.js';
import { selectFlameNodes, type PruneOptions } from '../../src/profile/prune-flame-tree.js';
import { buildStackTrie, StackShapes, StackTrie } from '../../src/profile/stack-trie.js';
import { prng, randomStacks } from '../support/seeded-random.js';
import { deepStack, firstPath } from './deep-stack.js';
import { oddStacks } from './odd-stacks.js';

/** The compact answer read back as the page reads it, and the tree form of the same selection, both parsed. */
function bothForms(trie: StackTrie, options: Omit<PruneOptions, 'describe'>, fields: Record<string, unknown> = {}): [unknown, unknown] {
  const selection = selectFlameNodes(trie, options);
  return [compactToFlameTree(JSON.parse(flameSelectionCompactJson(selection, fields).toString('utf8'))), JSON.parse(flameSelectionJson(selection, fields).toString('utf8'))];
}

test('on random tries, caps, thresholds and details, the compact answer reads back into exactly the tree form', () => {
  const random = prng(21);
  for (let seed = 1; seed <= 60; seed++) {
    const stacks = seed % 3 === 0 ? oddStacks(seed) : randomStacks(seed, { names: 2 + (seed % 7), stacks: 1 + seed * 3, maxDepth: 1 + (seed % 9), maxCount: seed % 4 === 0 ? 2 ** 40 : 50 });
    const trie = buildStackTrie(stacks, seed % 2 === 0 ? new StackShapes() : undefined);
    const frames = [...stacks.keys()][0].split(';');
    const unders = [trie.root, trie.nodeAtPath(frames.slice(0, 1)), trie.nodeAtPath(frames)];
    for (const maxNodes of [2, 3, 4, 5 + Math.floor(random() * 40), 10_000]) {
      for (const threshold of [0, random() * 0.05, 0.2, 1]) {
        for (const under of unders) {
          const [compact, tree] = bothForms(trie, { threshold, maxNodes, under }, { meta: { host: 'h"1', path: ['a', 'b'], none: undefined } });
          assert.deepEqual(compact, tree, `seed ${seed}, cap ${maxNodes}, threshold ${threshold}, under ${under}`);
        }
      }
    }
  }
});

test('writes each name once, the names JSON escapes as JSON does', () => {
  const trie = buildStackTrie(oddStacks(3));
  const compact = JSON.parse(flameSelectionCompactJson(selectFlameNodes(trie, { threshold: 0, maxNodes: 10_000 })).toString('utf8')) as { names: string[]; nodes: number[] };
  assert.equal(compact.names[0], 'root');
  assert.equal(new Set(compact.names).size, compact.names.length);
  assert.equal(compact.nodes.length, 3 * trie.size);
});

test('frames called "(other)" and "root" stay frames; only an index of -1 is a pruned "(other)"', () => {
  const trie = buildStackTrie(new Map([['(other);root', 5], ['(other);x', 1], ['root', 3], ['y', 1]]));
  const [compact, tree] = bothForms(trie, { threshold: 0, maxNodes: 5 });
  assert.deepEqual(compact, tree);
  assert.deepEqual(compact, {
    name: 'root',
    value: 10,
    children: [
      { name: '(other)', value: 6, children: [{ name: 'root', value: 5 }, { name: '(other)', value: 1, other: true }] },
      { name: '(other)', value: 4, other: true },
    ],
  });
});

test('fractional and huge values, and an empty tree, read back as the tree form has them', () => {
  const shapes = new StackShapes();
  const tries = [buildStackTrie(new Map([['a;b', 3], ['a;c', 2 ** 53 - 10], ['d', 7]]), shapes), buildStackTrie(new Map([['a;b', 1], ['e', 5]]), shapes)];
  for (const trie of [...tries, StackTrie.weightedSum(tries, [0.1, 1 / 3])]) {
    for (const maxNodes of [2, 4, 100]) {
      const [compact, tree] = bothForms(trie, { threshold: 0, maxNodes });
      assert.deepEqual(compact, tree);
    }
  }
  const empty = flameSelectionCompactJson(selectFlameNodes(buildStackTrie(new Map()), { threshold: 0, maxNodes: 2 }), { meta: {} });
  assert.equal(empty.toString(), '{"nodes":[0,0,0],"names":["root"],"meta":{}}');
  assert.deepEqual(compactToFlameTree(JSON.parse(empty.toString())), { name: 'root', value: 0, children: [], meta: {} });
});

test('writes and reads a stack 10,000 frames deep without recursion', () => {
  const trie = buildStackTrie(new Map([[deepStack(10_000), 7], ['f0;g', 1]]));
  const [compact, tree] = bothForms(trie, { threshold: 0, maxNodes: 20_000 });
  assert.deepEqual(firstPath(compact as never), deepStack(10_000).split(';'));
  assert.deepEqual(firstPath(compact as never), firstPath(tree as never));
  assert.equal((compact as { value: number }).value, 8);
});
