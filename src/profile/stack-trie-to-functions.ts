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
 * children do not account for to its self. Typed arrays indexed by name id
 * and node: a fleet's day can hold a million nodes.
 */
export function stackTrieToFunctions(trie: StackTrie): FunctionCost[] {
  const self = new Float64Array(trie.nameLimit);
  const total = new Float64Array(trie.nameLimit);
  const seen = new Uint8Array(trie.nameLimit);
  /** How many nodes on the current path carry each name. */
  const onPath = new Int32Array(trie.nameLimit);
  // A negative entry -(node + 1) marks leaving `node` after its subtree.
  let work = new Int32Array(1024);
  let length = 0;
  const push = (entry: number): void => {
    if (length === work.length) {
      const grown = new Int32Array(work.length * 2);
      grown.set(work);
      work = grown;
    }
    work[length++] = entry;
  };
  for (let child = trie.firstChild(trie.root); child !== -1; child = trie.nextSibling(child)) push(child);
  while (length > 0) {
    const entry = work[--length];
    if (entry < 0) {
      onPath[trie.nameId(-entry - 1)] -= 1;
      continue;
    }
    const name = trie.nameId(entry);
    const value = trie.value(entry);
    seen[name] = 1;
    if (onPath[name] === 0) total[name] += value;
    onPath[name] += 1;
    push(-entry - 1);
    let childValues = 0;
    for (let child = trie.firstChild(entry); child !== -1; child = trie.nextSibling(child)) {
      childValues += trie.value(child);
      push(child);
    }
    self[name] += value - childValues;
  }
  const functions: FunctionCost[] = [];
  for (let id = 0; id < seen.length; id++) {
    if (seen[id] === 1) functions.push({ name: trie.nameOfId(id), self: self[id], total: total[id] });
  }
  return functions;
}

/** Sorts in place: self or total descending (then by name), or name ascending. */
export function sortFunctions(functions: FunctionCost[], order: FunctionOrder): FunctionCost[] {
  if (order === 'name') return functions.sort((a, b) => compareNames(a.name, b.name));
  return functions.sort((a, b) => b[order] - a[order] || compareNames(a.name, b.name));
}
