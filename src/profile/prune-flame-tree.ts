import type { FlameNode, FlameTree } from './flame-tree.js';
import { PriorityQueue } from './priority-queue.js';
import type { StackTrie } from './stack-trie.js';

export const DEFAULT_MAX_NODES = 8000;
/** The root and one "(other)" child: the smallest tree that keeps the total. */
export const MIN_MAX_NODES = 2;

export interface PruneOptions {
  /** Nodes whose value is below threshold * root.value are pruned (0..1). */
  threshold: number;
  /** The most nodes the result may have, counting the root and every "(other)". */
  maxNodes: number;
}

export interface PrunedFlameTree {
  tree: FlameTree;
  /** Nodes in `tree`, including the root and "(other)" nodes. */
  nodes: number;
  /** Nodes of the trie that are not in `tree`. */
  prunedNodes: number;
  /** Samples moved into "(other)" nodes. */
  prunedSamples: number;
}

interface Candidate {
  node: number;
  parent: number;
  value: number;
  /** Discovery order: breaks ties between equal values deterministically. */
  order: number;
}

/**
 * Keeps the heaviest nodes as a tree connected to the root, visiting nodes
 * best-first by value (ties: the one discovered first, so siblings by name
 * and shallower before deeper) and stopping at the first that would not fit
 * the cap. Each kept node's dropped children become one "(other)" child
 * placed last, so every kept value, and the root total, stays exact.
 */
export function pruneStackTrie(trie: StackTrie, options: PruneOptions): PrunedFlameTree {
  const { threshold, maxNodes } = options;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within 0..1, got ${threshold}`);
  if (!Number.isInteger(maxNodes) || maxNodes < MIN_MAX_NODES) {
    throw new RangeError(`maxNodes must be an integer of at least ${MIN_MAX_NODES}, got ${maxNodes}`);
  }
  const minValue = threshold * trie.value(trie.root);
  /** Each kept node's children, sorted by name; only kept nodes are sorted. */
  const keptChildren = new Map<number, number[]>();
  /** For each kept node, how many of its children are not (yet) kept. */
  const droppedChildren = new Map<number, number>();
  let otherNodes = 0;
  let order = 0;
  const queue = new PriorityQueue<Candidate>((a, b) => (a.value !== b.value ? a.value > b.value : a.order < b.order));

  const keep = (node: number): void => {
    const children = trie.sortedChildren(node);
    keptChildren.set(node, children);
    droppedChildren.set(node, children.length);
    if (children.length > 0) otherNodes += 1;
    for (const child of children) {
      const value = trie.value(child);
      if (value >= minValue) queue.push({ node: child, parent: node, value, order: order++ });
    }
  };

  keep(trie.root);
  for (let candidate = queue.pop(); candidate !== undefined; candidate = queue.pop()) {
    const { node, parent } = candidate;
    const parentLosesOther = droppedChildren.get(parent) === 1;
    const growth = 1 + (trie.hasChildren(node) ? 1 : 0) - (parentLosesOther ? 1 : 0);
    if (keptChildren.size + otherNodes + growth > maxNodes) break;
    droppedChildren.set(parent, droppedChildren.get(parent)! - 1);
    if (parentLosesOther) otherNodes -= 1;
    keep(node);
  }

  let prunedSamples = 0;
  const childNodes = (node: number): FlameNode[] => {
    const nodes: FlameNode[] = [];
    let droppedValue = 0;
    const children = keptChildren.get(node)!;
    for (const child of children) {
      if (!keptChildren.has(child)) droppedValue += trie.value(child);
      else if (trie.hasChildren(child)) nodes.push({ name: trie.name(child), value: trie.value(child), children: childNodes(child) });
      else nodes.push({ name: trie.name(child), value: trie.value(child) });
    }
    if (nodes.length < children.length) {
      nodes.push({ name: '(other)', value: droppedValue, other: true });
      prunedSamples += droppedValue;
    }
    return nodes;
  };

  const tree: FlameTree = { name: 'root', value: trie.value(trie.root), children: childNodes(trie.root) };
  return {
    tree,
    nodes: keptChildren.size + otherNodes,
    prunedNodes: trie.size - keptChildren.size,
    prunedSamples,
  };
}
