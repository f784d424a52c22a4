import type { FlameNode, FlameTree } from './flame-tree.js';
import type { StackCounts } from './stack-counts.js';
import { buildStackTrie, type StackTrie } from './stack-trie.js';

/**
 * Merges stacks that share a prefix into one tree; every node's value is the
 * samples of all stacks passing through it. Children are sorted by name.
 * Every node becomes an object: for large profiles prune the trie instead
 * (pruneStackTrie), which makes objects only of the nodes it keeps.
 */
export function stacksToFlameTree(stacks: StackCounts): FlameTree {
  const trie = buildStackTrie(stacks);
  return { name: 'root', value: trie.value(trie.root), children: childNodes(trie, trie.root) };
}

function childNodes(trie: StackTrie, node: number): FlameNode[] {
  return trie.sortedChildren(node).map((child) => {
    const name = trie.name(child);
    const value = trie.value(child);
    return trie.hasChildren(child) ? { name, value, children: childNodes(trie, child) } : { name, value };
  });
}
