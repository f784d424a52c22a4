import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlameNode } from '../../src/profile/flame-tree.js';
import { pruneStackTrie, DEFAULT_MAX_NODES, type PruneOptions } from '../../src/profile/prune-flame-tree.js';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { buildStackTrie } from '../../src/profile/stack-trie.js';
import { deepStack, firstPath } from './deep-stack.js';
import { naiveFlameTree } from './naive-flame-tree.js';

/** root 100: a 60 (x 50, y 10), b 30, c 10 — six nodes. */
const SAMPLE: StackCounts = new Map([['a;x', 50], ['a;y', 10], ['b', 30], ['c', 10]]);

const prune = (stacks: StackCounts, options: PruneOptions) => pruneStackTrie(buildStackTrie(stacks), options);

function countNodes(node: FlameNode): number {
  return 1 + (node.children ?? []).reduce((sum, child) => sum + countNodes(child), 0);
}

function otherTotal(node: FlameNode): number {
  if (node.other) return node.value;
  return (node.children ?? []).reduce((sum, child) => sum + otherTotal(child), 0);
}

/** Every kept node has the value it had before; "(other)" comes last and sums the rest. */
function assertExact(original: FlameNode, pruned: FlameNode): void {
  assert.equal(pruned.name, original.name);
  assert.equal(pruned.value, original.value);
  const kept = (pruned.children ?? []).filter((child) => !child.other);
  const others = (pruned.children ?? []).filter((child) => child.other);
  assert.ok(others.length <= 1, 'at most one (other) per node');
  if (others.length === 1) assert.equal(pruned.children!.at(-1), others[0], '(other) comes last');
  const byName = new Map((original.children ?? []).map((child) => [child.name, child]));
  for (const child of kept) assertExact(byName.get(child.name)!, child);
  const keptValue = kept.reduce((sum, child) => sum + child.value, 0);
  const childValue = (original.children ?? []).reduce((sum, child) => sum + child.value, 0);
  assert.equal(keptValue + (others[0]?.value ?? 0), childValue);
  assert.equal(others.length === 1, kept.length < (original.children?.length ?? 0));
}

test('with threshold 0 and room to spare nothing is pruned', () => {
  const result = prune(SAMPLE, { threshold: 0, maxNodes: DEFAULT_MAX_NODES });
  assert.deepEqual(result, { tree: naiveFlameTree(SAMPLE), nodes: 6, prunedNodes: 0, prunedSamples: 0 });
});

test('threshold keeps nodes at exactly threshold * total and folds smaller ones into (other)', () => {
  const atBoundary = prune(SAMPLE, { threshold: 0.1, maxNodes: 100 });
  assert.equal(atBoundary.prunedNodes, 0);

  const above = prune(SAMPLE, { threshold: 0.11, maxNodes: 100 });
  assert.deepEqual(above.tree, {
    name: 'root',
    value: 100,
    children: [
      { name: 'a', value: 60, children: [{ name: 'x', value: 50 }, { name: '(other)', value: 10, other: true }] },
      { name: 'b', value: 30 },
      { name: '(other)', value: 10, other: true },
    ],
  });
  assert.equal(above.nodes, 6);
  assert.equal(above.prunedNodes, 2);
  assert.equal(above.prunedSamples, 20);
});

test('threshold 1 keeps only the root and the weight in (other)', () => {
  const result = prune(SAMPLE, { threshold: 1, maxNodes: 100 });
  assert.deepEqual(result.tree, { name: 'root', value: 100, children: [{ name: '(other)', value: 100, other: true }] });
  assert.equal(result.prunedNodes, 5);
  assert.equal(result.prunedSamples, 100);
});

test('a pruned node takes its whole subtree with it', () => {
  const result = prune(new Map([['big', 90], ['small;deep;deeper', 10]]), { threshold: 0.5, maxNodes: 100 });
  assert.equal(result.prunedNodes, 3);
  assert.equal(result.prunedSamples, 10);
});

test('the cap counts the root and (other) nodes, keeping the heaviest nodes first', () => {
  const expected: Record<number, FlameNode[]> = {
    2: [{ name: '(other)', value: 100, other: true }],
    // a would need itself and its own (other): 4 nodes, so it waits for a cap of 4.
    3: [{ name: '(other)', value: 100, other: true }],
    4: [{ name: 'a', value: 60, children: [{ name: '(other)', value: 60, other: true }] }, { name: '(other)', value: 40, other: true }],
    5: [
      { name: 'a', value: 60, children: [{ name: 'x', value: 50 }, { name: '(other)', value: 10, other: true }] },
      { name: '(other)', value: 40, other: true },
    ],
  };
  for (const [cap, children] of Object.entries(expected)) {
    const result = prune(SAMPLE, { threshold: 0, maxNodes: Number(cap) });
    assert.deepEqual(result.tree.children, children, `cap ${cap}`);
    assert.equal(result.nodes, countNodes(result.tree), `cap ${cap}`);
  }
});

test('a leaf that completes its parent replaces the (other) it would have needed', () => {
  // At a cap of 6 all six nodes fit: c and y each take the place of an (other).
  const result = prune(SAMPLE, { threshold: 0, maxNodes: 6 });
  assert.deepEqual(result.tree, naiveFlameTree(SAMPLE));
  assert.equal(result.nodes, 6);
});

test('ties go to the node found first: siblings by name, shallower before deeper', () => {
  const one = prune(new Map([['c', 5], ['a', 5], ['b', 5]]), { threshold: 0, maxNodes: 3 });
  assert.deepEqual(one.tree.children.map((child) => child.name), ['a', '(other)']);

  // p (10) is kept first; then q (5, found at depth 1) beats p;r (5, depth 2) to the last slot.
  const result = prune(new Map([['p;r', 5], ['p;s', 5], ['q', 5], ['t', 1]]), { threshold: 0, maxNodes: 5 });
  assert.deepEqual(result.tree.children, [
    { name: 'p', value: 10, children: [{ name: '(other)', value: 10, other: true }] },
    { name: 'q', value: 5 },
    { name: '(other)', value: 1, other: true },
  ]);
});

test('on a large random tree every cap is respected and every total stays exact', () => {
  let seed = 7;
  const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const stacks = new Map<string, number>();
  for (let i = 0; i < 3000; i += 1) {
    const depth = 1 + random(12);
    const frames = Array.from({ length: depth }, () => `f${random(6)}`);
    stacks.set(frames.join(';'), 1 + random(1000));
  }
  const tree = naiveFlameTree(stacks);
  const trie = buildStackTrie(stacks);
  const all = countNodes(tree);
  assert.equal(trie.size, all);
  for (const maxNodes of [2, 3, 10, 57, 500, 2000, all - 1, all]) {
    for (const threshold of [0, 0.001, 0.05]) {
      const result = pruneStackTrie(trie, { threshold, maxNodes });
      const label = `cap ${maxNodes}, threshold ${threshold}`;
      assert.ok(result.nodes <= maxNodes, label);
      assert.equal(result.nodes, countNodes(result.tree), label);
      assert.equal(result.prunedSamples, otherTotal(result.tree), label);
      const keptNonOther = result.nodes - countOthers(result.tree);
      assert.equal(result.prunedNodes, all - keptNonOther, label);
      assertExact(tree, result.tree);
    }
  }
  assert.deepEqual(pruneStackTrie(trie, { threshold: 0, maxNodes: all }).tree, tree);
});

function countOthers(node: FlameNode): number {
  return (node.other ? 1 : 0) + (node.children ?? []).reduce((sum, child) => sum + countOthers(child), 0);
}

test('pruning leaves the trie as it was, so it can be pruned again', () => {
  const trie = buildStackTrie(SAMPLE);
  const first = pruneStackTrie(trie, { threshold: 0.5, maxNodes: 3 });
  assert.deepEqual(pruneStackTrie(trie, { threshold: 0.5, maxNodes: 3 }), first);
  assert.deepEqual(pruneStackTrie(trie, { threshold: 0, maxNodes: 100 }).tree, naiveFlameTree(SAMPLE));
});

test('an empty tree stays an empty root', () => {
  const result = prune(new Map(), { threshold: 0.5, maxNodes: 2 });
  assert.deepEqual(result, { tree: { name: 'root', value: 0, children: [] }, nodes: 1, prunedNodes: 0, prunedSamples: 0 });
});

test('options outside their ranges are refused', () => {
  for (const options of [
    { threshold: -0.1, maxNodes: 10 },
    { threshold: 1.5, maxNodes: 10 },
    { threshold: Number.NaN, maxNodes: 10 },
    { threshold: 0, maxNodes: 1 },
    { threshold: 0, maxNodes: 2.5 },
  ]) {
    assert.throws(() => prune(SAMPLE, options), RangeError, JSON.stringify(options));
  }
});

test('keeps a stack 10,000 frames deep whole, without recursion', () => {
  const { tree, nodes } = prune(new Map([[deepStack(10_000), 4], ['f0;g', 1]]), { threshold: 0, maxNodes: DEFAULT_MAX_NODES * 2 });
  assert.equal(nodes, 10_002);
  assert.deepEqual(firstPath(tree), deepStack(10_000).split(';'));
});
