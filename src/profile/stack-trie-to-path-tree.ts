import { pruneStackTrie, type PruneOptions, type PrunedFlameTree } from './prune-flame-tree.js';
import type { StackTrie } from './stack-trie.js';

/**
 * The detail under the node reached through `frames` from the root: its
 * subtree pruned with the whole budget (`threshold` as a fraction of that
 * node's value), its ancestors a single chain so it draws in place, every
 * value exact. Null when the profile has no such path.
 */
export function stackTrieToPathTree(trie: StackTrie, frames: readonly string[], options: PruneOptions): PrunedFlameTree | null {
  const under = trie.nodeAtPath(frames);
  if (under === -1) return null;
  return pruneStackTrie(trie, { ...options, under });
}
