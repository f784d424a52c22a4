import type { FlameNode } from './flame-tree.js';
import { pruneStackTrie, type PruneOptions } from './prune-flame-tree.js';
import { addSamples, type StackCounts } from './stack-counts.js';
import { buildStackTrie } from './stack-trie.js';

/** The two halves of a sandwich view around one function. */
export type SandwichView = 'callees' | 'callers';

/**
 * The stacks of one side of `name`'s sandwich, each starting with `name`:
 * - callees: from its outermost occurrence down to the leaf (what it calls,
 *   recursion included but its samples counted once);
 * - callers: from its innermost occurrence up to the root, reversed (who
 *   called it, nearest caller first).
 * Stacks without `name` are left out; the counts sum to its total.
 */
export function sandwichStacks(stacks: StackCounts, name: string, view: SandwichView): StackCounts {
  const result: StackCounts = new Map();
  for (const [stack, count] of stacks) {
    if (count === 0 || !stack.includes(name)) continue;
    const frames = stack.split(';');
    if (view === 'callees') {
      const at = frames.indexOf(name);
      if (at !== -1) addSamples(result, frames.slice(at).join(';'), count);
    } else {
      const at = frames.lastIndexOf(name);
      if (at !== -1) addSamples(result, frames.slice(0, at + 1).reverse().join(';'), count);
    }
  }
  return result;
}

export interface SandwichTree {
  /** Rooted at the function itself; its value is the function's total. */
  tree: FlameNode & { children: FlameNode[] };
  nodes: number;
  prunedNodes: number;
  prunedSamples: number;
}

/**
 * One side of the sandwich as a pruned flame tree rooted at `name` (an
 * empty root of value 0 when no stack contains it). The cap counts the
 * tree as drawn: `name` is the root, not a child of one.
 */
export function sandwichTree(stacks: StackCounts, name: string, view: SandwichView, options: PruneOptions): SandwichTree {
  // A fresh trie: these stacks are views, not shapes worth remembering.
  const trie = buildStackTrie(sandwichStacks(stacks, name, view));
  // Every stack starts with `name`: the root's only child, of the same value, so one more node than asked fits.
  const pruned = pruneStackTrie(trie, { threshold: options.threshold, maxNodes: options.maxNodes + 1 });
  const [top] = pruned.tree.children;
  if (top === undefined) return { tree: { name, value: 0, children: [] }, nodes: 1, prunedNodes: 0, prunedSamples: 0 };
  return {
    tree: { name, value: top.value, children: top.children ?? [] },
    nodes: pruned.nodes - 1,
    prunedNodes: pruned.prunedNodes,
    prunedSamples: pruned.prunedSamples,
  };
}
