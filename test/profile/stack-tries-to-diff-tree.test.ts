import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlameNode } from '../../src/profile/flame-tree.js';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { stackTriesToDiffTree, type DiffOptions } from '../../src/profile/stack-tries-to-diff-tree.js';
import { buildStackTries, StackShapes } from '../../src/profile/stack-trie.js';
import { randomStacks } from '../support/seeded-random.js';
import { naiveFlameTree } from './naive-flame-tree.js';

const ALL = { threshold: 0, maxNodes: 1_000_000 };

/** The diff tree of two profiles, through their tries as the /diff route builds them. */
function diffTreeOrNull(target: StackCounts, baseline: StackCounts, options: DiffOptions, shapes = new StackShapes()) {
  const [targetTrie, baselineTrie] = buildStackTries([target, baseline], shapes);
  return stackTriesToDiffTree(targetTrie, baselineTrie, options);
}

function stackCountsToDiffTree(target: StackCounts, baseline: StackCounts, options: DiffOptions, shapes?: StackShapes) {
  const diff = diffTreeOrNull(target, baseline, options, shapes);
  assert.ok(diff, 'a tree');
  return diff;
}

/** Every node below the root by its path ('a;b'); a stack of pending nodes, not recursion, as for any tree. */
function nodesByPath<Node extends { name: string; children?: Node[] }>(tree: { children?: Node[] }): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const pending: Array<[{ children?: Node[] }, string]> = [[tree, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, path] = next;
    for (const child of node.children ?? []) {
      const childPath = path === '' ? child.name : `${path};${child.name}`;
      nodes.set(childPath, child);
      pending.push([child, childPath]);
    }
  }
  return nodes;
}

/** Every node of a naive tree by its path, with its value. */
const valuesByPath = (tree: FlameNode): Map<string, number> =>
  new Map([...nodesByPath(tree)].map(([path, node]) => [path, node.value]));

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('each node carries both sides exactly; stacks on one side only are present with 0 on the other', () => {
  const target = new Map([['main;slow', 30], ['main;fast', 10], ['main;new', 10]]);
  const baseline = new Map([['main;slow', 10], ['main;fast', 10], ['main;gone', 20]]);
  const { tree, targetTotal, baselineTotal } = stackCountsToDiffTree(target, baseline, ALL);
  assert.equal(targetTotal, 50);
  assert.equal(baselineTotal, 40);
  const nodes = nodesByPath(tree);
  const sides = (path: string) => [nodes.get(path)!.target, nodes.get(path)!.baseline];
  assert.deepEqual(sides('main'), [50, 40]);
  assert.deepEqual(sides('main;slow'), [30, 10]);
  assert.deepEqual(sides('main;new'), [10, 0]);
  assert.deepEqual(sides('main;gone'), [0, 20]);
  // Shares: slow went from 25% to 60%, fast from 25% to 20%.
  assert.ok(close(nodes.get('main;slow')!.delta, 0.6 - 0.25));
  assert.ok(close(nodes.get('main;fast')!.delta, 0.2 - 0.25));
  assert.ok(close(nodes.get('main;new')!.delta, nodes.get('main;new')!.value), 'new: delta equals value');
  assert.ok(close(nodes.get('main;gone')!.delta, -0.5));
  assert.equal(tree.value, 2);
  assert.equal(nodes.get('main')!.delta, 0);
});

test('an empty side gives shares of 0 on that side, not a division by zero', () => {
  const { tree } = stackCountsToDiffTree(new Map([['a', 5]]), new Map(), ALL);
  assert.deepEqual(tree, { name: 'root', value: 1, target: 5, baseline: 0, delta: 1, children: [{ name: 'a', value: 1, target: 5, baseline: 0, delta: 1 }] });
});

test('exact against two naive trees over random stacks, pruned or not', () => {
  for (const seed of [31, 32, 33]) {
    const target = randomStacks(seed, { names: 6, stacks: 300, maxDepth: 10, maxCount: 40 });
    const baseline = randomStacks(seed + 100, { names: 6, stacks: 200, maxDepth: 10, maxCount: 90 });
    const expectedTarget = valuesByPath(naiveFlameTree(target));
    const expectedBaseline = valuesByPath(naiveFlameTree(baseline));
    const shapes = new StackShapes();
    for (const maxNodes of [1_000_000, 300, 40, 2]) {
      const { tree, nodes, prunedTarget, prunedBaseline } = stackCountsToDiffTree(target, baseline, { threshold: 0, maxNodes }, shapes);
      const label = `seed ${seed} cap ${maxNodes}`;
      const drawn = nodesByPath(tree);
      assert.ok(nodes <= maxNodes, label);
      let otherTarget = 0;
      let otherBaseline = 0;
      for (const [path, node] of drawn) {
        if (node.other) {
          otherTarget += node.target;
          otherBaseline += node.baseline;
          continue;
        }
        assert.equal(node.target, expectedTarget.get(path) ?? 0, `${label} target ${path}`);
        assert.equal(node.baseline, expectedBaseline.get(path) ?? 0, `${label} baseline ${path}`);
        assert.ok(expectedTarget.has(path) || expectedBaseline.has(path), `${label} ${path} exists on some side`);
      }
      assert.equal(otherTarget, prunedTarget, label);
      assert.equal(otherBaseline, prunedBaseline, label);
      if (maxNodes === 1_000_000) {
        const union = new Set([...expectedTarget.keys(), ...expectedBaseline.keys()]);
        assert.deepEqual([...drawn.keys()].sort(), [...union].sort(), `${label}: every node of either side`);
      }
      // Children (with their (other)) sum to at most their parent on each side: nothing is lost or doubled.
      for (const node of [tree, ...drawn.values()]) {
        const children = node.children ?? [];
        assert.ok(children.reduce((sum, child) => sum + child.target, 0) <= node.target, label);
        assert.ok(children.reduce((sum, child) => sum + child.baseline, 0) <= node.baseline, label);
      }
      const rootChildren = tree.children;
      assert.equal(rootChildren.reduce((sum, child) => sum + child.target, 0), tree.target, label);
      assert.equal(rootChildren.reduce((sum, child) => sum + child.baseline, 0), tree.baseline, label);
    }
  }
});

test('path: the detail under a node of either side, its ancestors a chain; an unknown path is null', () => {
  const target = new Map([['main;hub;a', 10], ['main;hub;b', 20], ['main;big', 900]]);
  const baseline = new Map([['main;hub;a', 30], ['main;hub;c', 5], ['main;big', 100]]);
  const { tree } = stackCountsToDiffTree(target, baseline, { threshold: 0, maxNodes: 10, path: ['main', 'hub'] });
  const main = tree.children[0];
  assert.deepEqual(main.children!.map((child) => [child.name, child.target, child.baseline]), [['hub', 30, 35], ['(other)', 900, 100]]);
  const hub = main.children![0];
  assert.deepEqual(hub.children!.map((child) => [child.name, child.target, child.baseline]), [['a', 10, 30], ['b', 20, 0], ['c', 0, 5]]);
  assert.equal(diffTreeOrNull(target, baseline, { threshold: 0, maxNodes: 10, path: ['main', 'nope'] }), null);
});
