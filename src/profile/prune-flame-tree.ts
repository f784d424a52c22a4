import { CandidateHeap } from './candidate-heap.js';
import type { FlameNode, FlameTree } from './flame-tree.js';
import type { StackTrie } from './stack-trie.js';

export const DEFAULT_MAX_NODES = 8000;
/** The root and one "(other)" child: the smallest tree that keeps the total. */
export const MIN_MAX_NODES = 2;
/** Orders pack (parent's rank, place among its siblings) into one number; siblings stay below this. */
const SIBLING_SPAN = 2 ** 26;

export interface PruneOptions {
  /** Nodes whose value is below threshold * root.value are pruned (0..1). */
  threshold: number;
  /** The most nodes the result may have, counting the root and every "(other)". */
  maxNodes: number;
  /**
   * Detail under one node: its ancestors are kept as a single chain (each
   * with one "(other)" for its other children) and do not count against
   * `maxNodes` or `threshold`, which then apply to this node's subtree and
   * fraction of this node's value. Default: the root.
   */
  under?: number;
  /**
   * Called for every node of the result with the trie nodes it stands for:
   * the one it was built from, or the dropped siblings an "(other)" sums.
   * For values kept beside the tree's own (tries over the same shapes).
   */
  describe?: (node: FlameNode, trieNodes: readonly number[]) => void;
}

export interface PrunedFlameTree {
  tree: FlameTree;
  /** Nodes in `tree`, including the root and "(other)" nodes. */
  nodes: number;
  /** Nodes of the trie that are not in `tree` (with `under`: of its subtree). */
  prunedNodes: number;
  /** Samples moved into "(other)" nodes (with `under`: of its subtree, not the chain's). */
  prunedSamples: number;
}

/**
 * Keeps the heaviest nodes as a tree connected to the root, visiting nodes
 * best-first by value and stopping at the first that would not fit the cap.
 * Ties go to the child of the node kept first (so shallower before deeper),
 * then to the name. Each kept node's dropped children become one "(other)"
 * child placed last, so every kept value, and the root total, stays exact.
 * Only kept nodes have their children sorted or become objects.
 */
export function pruneStackTrie(trie: StackTrie, options: PruneOptions): PrunedFlameTree {
  const { threshold, maxNodes, under = trie.root, describe } = options;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within 0..1, got ${threshold}`);
  if (!Number.isInteger(maxNodes) || maxNodes < MIN_MAX_NODES) {
    throw new RangeError(`maxNodes must be an integer of at least ${MIN_MAX_NODES}, got ${maxNodes}`);
  }
  const minValue = threshold * trie.value(under);
  /** Each kept node's children sorted by name; its keys are the kept nodes. */
  const childrenOf = new Map<number, number[]>();
  // Typed arrays by node number: the selection loop reads them for every candidate.
  const isKept = new Uint8Array(trie.nodeLimit);
  /** For each kept node, how many of its children are not (yet) kept. */
  const droppedChildren = new Int32Array(trie.nodeLimit);
  let otherNodes = 0;
  const queue = new CandidateHeap();

  const keep = (node: number): void => {
    const rank = childrenOf.size;
    const children = trie.sortedChildren(node);
    childrenOf.set(node, children);
    isKept[node] = 1;
    droppedChildren[node] = children.length;
    if (children.length > 0) otherNodes += 1;
    children.forEach((child, place) => {
      const value = trie.value(child);
      if (value >= minValue) queue.push(child, value, rank * SIBLING_SPAN + place);
    });
  };

  const chain: number[] = [];
  for (let node = under; node !== trie.root; node = trie.parent(node)) chain.push(trie.parent(node));
  for (let i = chain.length - 1; i >= 0; i--) {
    const ancestor = chain[i];
    const children = trie.sortedChildren(ancestor);
    childrenOf.set(ancestor, children);
    isKept[ancestor] = 1;
    droppedChildren[ancestor] = children.length - 1;
    if (children.length > 1) otherNodes += 1;
  }
  /** Nodes the chain of ancestors takes: outside the budget. */
  const chainNodes = childrenOf.size + otherNodes;

  keep(under);
  for (let node = queue.pop(); node !== -1; node = queue.pop()) {
    const parent = trie.parent(node);
    const parentLosesOther = droppedChildren[parent] === 1;
    const growth = 1 + (trie.hasChildren(node) ? 1 : 0) - (parentLosesOther ? 1 : 0);
    if (childrenOf.size + otherNodes + growth > maxNodes + chainNodes) break;
    droppedChildren[parent] -= 1;
    if (parentLosesOther) otherNodes -= 1;
    keep(node);
  }

  // Objects are made from the root down with a queue of kept nodes whose
  // children are still to list, not by recursion: stacks may be 10,000 deep.
  let prunedSamples = 0;
  /** Fills in the children of a kept node's object, queueing kept children that have their own. */
  const pending: Array<[number, FlameNode]> = [];
  const fillChildren = (node: number, into: FlameNode): void => {
    const nodes: FlameNode[] = [];
    const dropped: number[] = [];
    let droppedValue = 0;
    for (const child of childrenOf.get(node)!) {
      const value = trie.value(child);
      if (!isKept[child]) {
        droppedValue += value;
        if (describe) dropped.push(child);
        continue;
      }
      const object: FlameNode = { name: trie.name(child), value };
      if (trie.hasChildren(child)) pending.push([child, object]);
      describe?.(object, [child]);
      nodes.push(object);
    }
    if (droppedChildren[node] > 0) {
      const other: FlameNode = { name: '(other)', value: droppedValue, other: true };
      describe?.(other, dropped);
      nodes.push(other);
      // The chain's "(other)" nodes are context around a detail, not detail it lost.
      if (!chain.includes(node)) prunedSamples += droppedValue;
    }
    into.children = nodes;
  };

  const tree: FlameTree = { name: 'root', value: trie.value(trie.root), children: [] };
  describe?.(tree, [trie.root]);
  // Iterative, not recursive: a profile may hold stacks thousands of frames deep.
  pending.push([trie.root, tree]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) fillChildren(next[0], next[1]);
  return {
    tree,
    nodes: childrenOf.size + otherNodes,
    prunedNodes: subtreeSize(trie, under) - (childrenOf.size - chain.length),
    prunedSamples,
  };
}

/** Nodes with samples in the subtree of `node`, itself included, counted without recursion. */
function subtreeSize(trie: StackTrie, node: number): number {
  if (node === trie.root) return trie.size;
  let size = 0;
  const work = [node];
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    size += 1;
    for (let child = trie.firstChild(next); child !== -1; child = trie.nextSibling(child)) work.push(child);
  }
  return size;
}
