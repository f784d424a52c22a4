import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlameNode } from '../../src/profile/flame-tree.js';
import { buildStackTrie } from '../../src/profile/stack-trie.js';
import { stackTrieToPathTree } from '../../src/profile/stack-trie-to-path-tree.js';
import { randomStacks } from '../support/seeded-random.js';
import { naiveFlameTree } from './naive-flame-tree.js';

function countNodes(node: FlameNode): number {
  return 1 + (node.children ?? []).reduce((sum, child) => sum + countNodes(child), 0);
}

function childNamed(node: FlameNode, name: string): FlameNode {
  const child = node.children?.find((candidate) => candidate.name === name && !candidate.other);
  assert.ok(child, `${node.name} has a child ${name}`);
  return child;
}

test('ancestors stay a single chain, each with its other children in one (other)', () => {
  const stacks = new Map([['a;b;x', 5], ['a;b;y', 3], ['a;c', 4], ['d', 8], ['a', 1]]);
  const result = stackTrieToPathTree(buildStackTrie(stacks), ['a', 'b'], { threshold: 0, maxNodes: 100 });
  assert.deepEqual(result?.tree, {
    name: 'root',
    value: 21,
    children: [
      {
        name: 'a',
        value: 13,
        children: [
          { name: 'b', value: 8, children: [{ name: 'x', value: 5 }, { name: 'y', value: 3 }] },
          { name: '(other)', value: 4, other: true },
        ],
      },
      { name: '(other)', value: 8, other: true },
    ],
  });
  assert.equal(result?.nodes, 7);
  // The chain's (other) nodes are context, not pruned detail.
  assert.equal(result?.prunedNodes, 0);
  assert.equal(result?.prunedSamples, 0);
});

test('an unknown path is null', () => {
  const trie = buildStackTrie(new Map([['a;b', 1]]));
  assert.equal(stackTrieToPathTree(trie, ['a', 'nope'], { threshold: 0, maxNodes: 100 }), null);
  assert.equal(stackTrieToPathTree(trie, ['b'], { threshold: 0, maxNodes: 100 }), null);
});

test('the whole budget goes under the node; its subtree matches the naive tree when it fits', () => {
  const stacks = randomStacks(41, { names: 5, stacks: 2000, maxDepth: 12, maxCount: 20 });
  const trie = buildStackTrie(stacks);
  const naive = naiveFlameTree(stacks);
  const path = ['f1', 'f2'];
  const expected = childNamed(childNamed(naive, 'f1'), 'f2');
  const subtreeSize = countNodes(expected);
  // Pruning the whole tree to this cap loses detail under f1;f2 ...
  const whole = stackTrieToPathTree(trie, [], { threshold: 0, maxNodes: subtreeSize });
  assert.ok(whole!.prunedNodes > 0);
  // ... while the detail fits it all, the chain costing nothing.
  const detail = stackTrieToPathTree(trie, path, { threshold: 0, maxNodes: subtreeSize })!;
  const drawn = childNamed(childNamed(detail.tree, 'f1'), 'f2');
  assert.deepEqual(drawn, expected);
  assert.equal(detail.tree.value, naive.value);
  assert.equal(childNamed(detail.tree, 'f1').value, childNamed(naive, 'f1').value);
  for (const ancestor of [detail.tree, childNamed(detail.tree, 'f1')]) {
    assert.ok(ancestor.children!.length <= 2);
    assert.equal(ancestor.children!.reduce((sum, child) => sum + child.value, 0), ancestor.value - selfOf(naive, ancestor));
  }

  for (const maxNodes of [2, 5, 50]) {
    const capped = stackTrieToPathTree(trie, path, { threshold: 0, maxNodes })!;
    const under = childNamed(childNamed(capped.tree, 'f1'), 'f2');
    assert.ok(countNodes(under) <= maxNodes, `cap ${maxNodes}: ${countNodes(under)} under the node`);
    assert.equal(under.value, expected.value);
    const othersUnder = collectOthers(under);
    assert.equal(capped.prunedSamples, othersUnder.reduce((sum, other) => sum + other.value, 0), `cap ${maxNodes}`);
    assert.equal(capped.prunedNodes, subtreeSize - (countNodes(under) - othersUnder.length), `cap ${maxNodes}`);
    assert.equal(under.children!.reduce((sum, child) => sum + child.value, 0), (expected.children ?? []).reduce((sum, child) => sum + child.value, 0));
  }
});

test('threshold is a fraction of the detailed node, not of the whole profile', () => {
  const stacks = new Map([['big', 1000], ['small;x', 6], ['small;y', 4]]);
  const detail = stackTrieToPathTree(buildStackTrie(stacks), ['small'], { threshold: 0.5, maxNodes: 100 })!;
  assert.deepEqual(childNamed(detail.tree, 'small').children, [{ name: 'x', value: 6 }, { name: '(other)', value: 4, other: true }]);
});

/** Samples that end at `node` itself, found in the naive tree by name at the same depth. */
function selfOf(naive: FlameNode, node: FlameNode): number {
  const match = node.name === 'root' ? naive : childNamed(naive, node.name);
  return match.value - (match.children ?? []).reduce((sum, child) => sum + child.value, 0);
}

function collectOthers(node: FlameNode): FlameNode[] {
  if (node.other) return [node];
  return (node.children ?? []).flatMap(collectOthers);
}
