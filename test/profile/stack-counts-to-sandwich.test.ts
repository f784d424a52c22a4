import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlameNode } from '../../src/profile/flame-tree.js';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { sandwichStacks, sandwichTree, type SandwichView } from '../../src/profile/stack-counts-to-sandwich.js';
import { randomStacks } from '../support/seeded-random.js';
import { naiveFlameTree } from './naive-flame-tree.js';

const ALL = { threshold: 0, maxNodes: 1_000_000 };

/**
 * The naive sandwich: per stack, the frames after the first `name` (callees)
 * or before the last one read backwards (callers), as a nested tree whose
 * root is `name` and whose value counts each stack once.
 */
function naiveSandwich(stacks: StackCounts, name: string, view: SandwichView): FlameNode {
  const sides: StackCounts = new Map();
  for (const [stack, count] of stacks) {
    const frames = stack.split(';');
    if (!frames.includes(name)) continue;
    const side = view === 'callees' ? frames.slice(frames.indexOf(name) + 1) : frames.slice(0, frames.lastIndexOf(name)).reverse();
    const key = ['', ...side].join(';');
    sides.set(key, (sides.get(key) ?? 0) + count);
  }
  // A leading empty frame stands for `name` itself, so stacks ending at it still count.
  const tree = naiveFlameTree(sides).children[0];
  if (tree === undefined) return { name, value: 0, children: [] };
  return { name, value: tree.value, children: tree.children ?? [] };
}

/** The drawn tree without (other) markers' absence differences: leaves get `children: []` dropped. */
function normalise(node: FlameNode): FlameNode {
  return node.children && node.children.length > 0
    ? { name: node.name, value: node.value, children: node.children.map(normalise) }
    : { name: node.name, value: node.value };
}

function countNodes(node: FlameNode): number {
  return 1 + (node.children ?? []).reduce((sum, child) => sum + countNodes(child), 0);
}

test('callees merge every occurrence, from the outermost one, rooted at the function', () => {
  const stacks = new Map([['main;f;g;f;h', 10], ['main;f', 3], ['other;f;g', 2], ['main;x', 7]]);
  assert.deepEqual(sandwichStacks(stacks, 'f', 'callees'), new Map([['f;g;f;h', 10], ['f', 3], ['f;g', 2]]));
  assert.deepEqual(sandwichTree(stacks, 'f', 'callees', ALL).tree, {
    name: 'f',
    value: 15,
    children: [{ name: 'g', value: 12, children: [{ name: 'f', value: 10, children: [{ name: 'h', value: 10 }] }] }],
  });
});

test('callers read upwards from the innermost occurrence, nearest caller first', () => {
  const stacks = new Map([['main;f;g;f;h', 10], ['main;f', 3], ['other;f;g', 2], ['main;x', 7]]);
  assert.deepEqual(sandwichStacks(stacks, 'f', 'callers'), new Map([['f;g;f;main', 10], ['f;main', 3], ['f;other', 2]]));
  const { tree } = sandwichTree(stacks, 'f', 'callers', ALL);
  assert.equal(tree.value, 15);
  assert.deepEqual(tree.children.map((child) => [child.name, child.value]), [['g', 10], ['main', 3], ['other', 2]]);
});

test('a function nobody calls gives an empty tree rooted at it', () => {
  const result = sandwichTree(new Map([['a;b', 1]]), 'zzz', 'callers', ALL);
  assert.deepEqual(result, { tree: { name: 'zzz', value: 0, children: [] }, nodes: 1, prunedNodes: 0, prunedSamples: 0 });
});

test('a frame is matched whole: f is not inside ff', () => {
  assert.deepEqual(sandwichStacks(new Map([['ff;g', 4], ['f;g', 1]]), 'f', 'callees'), new Map([['f;g', 1]]));
});

test('exact against the naive model over random stacks, both views', () => {
  for (const seed of [11, 12, 13]) {
    const stacks = randomStacks(seed, { names: 5, stacks: 300, maxDepth: 12, maxCount: 40 });
    for (const view of ['callees', 'callers'] as const) {
      for (const name of ['f0', 'f3']) {
        const { tree, nodes, prunedNodes } = sandwichTree(stacks, name, view, ALL);
        const expected = naiveSandwich(stacks, name, view);
        assert.deepEqual(normalise(tree), normalise(expected), `seed ${seed} ${view} ${name}`);
        assert.equal(nodes, countNodes(expected));
        assert.equal(prunedNodes, 0);
      }
    }
  }
});

test('the node cap counts the tree as drawn and totals stay exact', () => {
  const stacks = randomStacks(21, { names: 6, stacks: 500, maxDepth: 10, maxCount: 30 });
  const full = naiveSandwich(stacks, 'f1', 'callees');
  for (const maxNodes of [2, 3, 10, 100]) {
    const { tree, nodes } = sandwichTree(stacks, 'f1', 'callees', { threshold: 0, maxNodes });
    assert.ok(nodes <= maxNodes, `cap ${maxNodes}: ${nodes}`);
    assert.equal(countNodes(tree), nodes);
    assert.equal(tree.value, full.value);
    const childSum = tree.children.reduce((sum, child) => sum + child.value, 0);
    const fullChildSum = (full.children ?? []).reduce((sum, child) => sum + child.value, 0);
    assert.equal(childSum, fullChildSum, `cap ${maxNodes}`);
  }
});
