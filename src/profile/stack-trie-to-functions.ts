import { compareNames } from './flame-tree.js';
import type { StackTrie } from './stack-trie.js';

/** What one function (frame name) costs over a profile. */
export interface FunctionCost {
  name: string;
  /** Samples whose innermost frame is this function. */
  self: number;
  /** Samples whose stack contains this function, counted once per stack however often it recurses. */
  total: number;
}

export type FunctionOrder = 'self' | 'total' | 'name';

/**
 * Every function of the profile with its self and total samples, exact.
 * Walks the trie once, depth first with an explicit stack: a node adds its
 * value to its name's total only when no ancestor has the same name (the
 * outermost occurrence already counted those samples), and what its
 * children do not account for to its self.
 */
export function stackTrieToFunctions(trie: StackTrie): FunctionCost[] {
  const costs = new Map<string, FunctionCost>();
  /** How many nodes on the current path carry each name. */
  const onPath = new Map<string, number>();
  // A negative entry -(node + 1) marks leaving `node` after its subtree.
  const work: number[] = trie.children(trie.root);
  while (work.length > 0) {
    const entry = work.pop()!;
    if (entry < 0) {
      const name = trie.name(-entry - 1);
      onPath.set(name, onPath.get(name)! - 1);
      continue;
    }
    const name = trie.name(entry);
    const value = trie.value(entry);
    let cost = costs.get(name);
    if (cost === undefined) costs.set(name, (cost = { name, self: 0, total: 0 }));
    const depth = onPath.get(name) ?? 0;
    if (depth === 0) cost.total += value;
    onPath.set(name, depth + 1);
    work.push(-entry - 1);
    let childValues = 0;
    for (const child of trie.children(entry)) {
      childValues += trie.value(child);
      work.push(child);
    }
    cost.self += value - childValues;
  }
  return [...costs.values()];
}

/** Sorts in place: self or total descending (then by name), or name ascending. */
export function sortFunctions(functions: FunctionCost[], order: FunctionOrder): FunctionCost[] {
  if (order === 'name') return functions.sort((a, b) => compareNames(a.name, b.name));
  return functions.sort((a, b) => b[order] - a[order] || compareNames(a.name, b.name));
}
