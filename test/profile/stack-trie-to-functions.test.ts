import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { buildStackTrie } from '../../src/profile/stack-trie.js';
import { sortFunctions, stackTrieToFunctions, type FunctionCost } from '../../src/profile/stack-trie-to-functions.js';
import { randomStacks } from '../support/seeded-random.js';

/** Self and total the obvious way: split each stack, the leaf gets self, each distinct frame gets total once. */
function naiveFunctions(stacks: StackCounts): FunctionCost[] {
  const costs = new Map<string, FunctionCost>();
  const cost = (name: string) => costs.get(name) ?? costs.set(name, { name, self: 0, total: 0 }).get(name)!;
  for (const [stack, count] of stacks) {
    if (count === 0) continue;
    const frames = stack.split(';');
    cost(frames.at(-1)!).self += count;
    for (const name of new Set(frames)) cost(name).total += count;
  }
  return [...costs.values()];
}

const functions = (stacks: StackCounts) => sortFunctions(stackTrieToFunctions(buildStackTrie(stacks)), 'name');

test('self is where samples end, total where they pass, recursion counted once per stack', () => {
  const stacks = new Map([['main;f;g;f;h', 10], ['main;f', 3], ['main;g', 2], ['main;f;f;f', 1]]);
  assert.deepEqual(functions(stacks), [
    { name: 'f', self: 4, total: 14 },
    { name: 'g', self: 2, total: 12 },
    { name: 'h', self: 10, total: 10 },
    { name: 'main', self: 0, total: 16 },
  ]);
});

test('an empty profile has no functions', () => {
  assert.deepEqual(functions(new Map()), []);
});

test('exact against the naive model over random stacks with heavy recursion', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const stacks = randomStacks(seed, { names: 3 + seed, stacks: 400, maxDepth: 15, maxCount: 50 });
    assert.deepEqual(functions(stacks), sortFunctions(naiveFunctions(stacks), 'name'), `seed ${seed}`);
  }
});

test('a stack thousands of frames deep is walked without recursion', () => {
  const deep = Array.from({ length: 20_000 }, (_, i) => `f${i % 3}`).join(';');
  assert.deepEqual(functions(new Map([[deep, 2]])), [
    { name: 'f0', self: 0, total: 2 },
    { name: 'f1', self: 2, total: 2 },
    { name: 'f2', self: 0, total: 2 },
  ]);
});

test('sorts by self or total descending with names breaking ties, or by name', () => {
  const list = (): FunctionCost[] => [
    { name: 'b', self: 1, total: 9 },
    { name: 'a', self: 5, total: 5 },
    { name: 'c', self: 5, total: 6 },
  ];
  assert.deepEqual(sortFunctions(list(), 'self').map((f) => f.name), ['a', 'c', 'b']);
  assert.deepEqual(sortFunctions(list(), 'total').map((f) => f.name), ['b', 'c', 'a']);
  assert.deepEqual(sortFunctions(list(), 'name').map((f) => f.name), ['a', 'b', 'c']);
});
