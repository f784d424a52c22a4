import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneStackTrie } from '../../src/profile/prune-flame-tree.js';
import type { StackCounts } from '../../src/profile/stack-counts.js';
import { buildStackTrie } from '../../src/profile/stack-trie.js';

/** What /profile draws when nothing needs pruning. */
const stacksToFlameTree = (stacks: StackCounts) => pruneStackTrie(buildStackTrie(stacks), { threshold: 0, maxNodes: 1_000_000 }).tree;

test('an empty profile is a root with no samples and no children', () => {
  assert.deepEqual(stacksToFlameTree(new Map()), { name: 'root', value: 0, children: [] });
});

test('stacks sharing a prefix merge into one path whose values add up', () => {
  const tree = stacksToFlameTree(
    new Map([
      ['main;serve;handle', 5],
      ['main;serve;parse', 3],
      ['main;idle', 2],
    ]),
  );
  assert.deepEqual(tree, {
    name: 'root',
    value: 10,
    children: [
      {
        name: 'main',
        value: 10,
        children: [
          { name: 'idle', value: 2 },
          {
            name: 'serve',
            value: 8,
            children: [
              { name: 'handle', value: 5 },
              { name: 'parse', value: 3 },
            ],
          },
        ],
      },
    ],
  });
});

test('a stack that ends where another continues gives its frame self samples', () => {
  const tree = stacksToFlameTree(new Map([['a', 4], ['a;b', 6]]));
  assert.deepEqual(tree.children, [{ name: 'a', value: 10, children: [{ name: 'b', value: 6 }] }]);
});

test('children are sorted by name in code-unit order whatever the insertion order', () => {
  const tree = stacksToFlameTree(new Map([['zeta', 1], ['Alpha', 1], ['beta', 1], ['<module>(__main__)', 1]]));
  assert.deepEqual(
    tree.children.map((child) => child.name),
    ['<module>(__main__)', 'Alpha', 'beta', 'zeta'],
  );
});

test('the same frame name under different parents stays separate', () => {
  const tree = stacksToFlameTree(new Map([['a;x', 1], ['b;x', 2]]));
  assert.deepEqual(tree.children, [
    { name: 'a', value: 1, children: [{ name: 'x', value: 1 }] },
    { name: 'b', value: 2, children: [{ name: 'x', value: 2 }] },
  ]);
});

test('frame names are kept verbatim, spaces and markup included', () => {
  const tree = stacksToFlameTree(new Map([['<img src=x onerror=alert(1)>;handle (app.js:12)', 7]]));
  assert.equal(tree.children[0].name, '<img src=x onerror=alert(1)>');
  assert.equal(tree.children[0].children![0].name, 'handle (app.js:12)');
});

test('stacks with zero samples add no frames', () => {
  const tree = stacksToFlameTree(new Map([['a;b', 0], ['c', 2]]));
  assert.deepEqual(tree, { name: 'root', value: 2, children: [{ name: 'c', value: 2 }] });
});
