import { compareNames, type FlameNode, type FlameTree } from './flame-tree.js';
import { PriorityQueue } from './priority-queue.js';
import type { StackTrie } from './stack-trie.js';

export const DEFAULT_MAX_NODES = 8000;
/** Node numbers stay below this (the shapes are trimmed long before), so ranks pack above it. */
const NODE_SPAN = 2 ** 26;
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

/**
 * Keeps the heaviest nodes as a tree connected to the root, visiting nodes
 * best-first by value and stopping at the first that would not fit the cap.
 * Ties go to the child of the node kept first (so shallower before deeper),
 * then to the name. Each kept node's dropped children become one "(other)"
 * child placed last, so every kept value, and the root total, stays exact.
 * Only kept nodes have their children sorted or become objects.
 */
export function pruneStackTrie(trie: StackTrie, options: PruneOptions): PrunedFlameTree {
  const { threshold, maxNodes } = options;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within 0..1, got ${threshold}`);
  if (!Number.isInteger(maxNodes) || maxNodes < MIN_MAX_NODES) {
    throw new RangeError(`maxNodes must be an integer of at least ${MIN_MAX_NODES}, got ${maxNodes}`);
  }
  const minValue = threshold * trie.value(trie.root);
  /** Kept nodes, each with the rank it was kept at. */
  const keptRank = new Map<number, number>();
  /** For each kept node, how many of its children are not (yet) kept. */
  const droppedChildren = new Map<number, number>();
  let otherNodes = 0;
  // A candidate is one number, its parent's rank and its node packed
  // together, so a large frontier makes no garbage. Among equal values,
  // children of earlier-kept parents go first, then names decide.
  const nodeOf = (candidate: number): number => candidate % NODE_SPAN;
  const queue = new PriorityQueue<number>((a, b) => {
    const valueA = trie.value(nodeOf(a));
    const valueB = trie.value(nodeOf(b));
    if (valueA !== valueB) return valueA > valueB;
    const rankA = Math.floor(a / NODE_SPAN);
    const rankB = Math.floor(b / NODE_SPAN);
    if (rankA !== rankB) return rankA < rankB;
    return compareNames(trie.name(nodeOf(a)), trie.name(nodeOf(b))) < 0;
  });

  const keep = (node: number): void => {
    const rank = keptRank.size;
    keptRank.set(node, rank);
    const children = trie.children(node);
    droppedChildren.set(node, children.length);
    if (children.length > 0) otherNodes += 1;
    for (const child of children) {
      if (trie.value(child) >= minValue) queue.push(rank * NODE_SPAN + child);
    }
  };

  keep(trie.root);
  for (let candidate = queue.pop(); candidate !== undefined; candidate = queue.pop()) {
    const node = nodeOf(candidate);
    const parent = trie.parent(node);
    const parentLosesOther = droppedChildren.get(parent) === 1;
    const growth = 1 + (trie.hasChildren(node) ? 1 : 0) - (parentLosesOther ? 1 : 0);
    if (keptRank.size + otherNodes + growth > maxNodes) break;
    droppedChildren.set(parent, droppedChildren.get(parent)! - 1);
    if (parentLosesOther) otherNodes -= 1;
    keep(node);
  }

  let prunedSamples = 0;
  const childNodes = (node: number): FlameNode[] => {
    const kept: number[] = [];
    let droppedValue = 0;
    for (const child of trie.children(node)) {
      if (keptRank.has(child)) kept.push(child);
      else droppedValue += trie.value(child);
    }
    kept.sort((a, b) => compareNames(trie.name(a), trie.name(b)));
    const nodes: FlameNode[] = kept.map((child) => {
      const name = trie.name(child);
      const value = trie.value(child);
      return trie.hasChildren(child) ? { name, value, children: childNodes(child) } : { name, value };
    });
    if (droppedChildren.get(node)! > 0) {
      nodes.push({ name: '(other)', value: droppedValue, other: true });
      prunedSamples += droppedValue;
    }
    return nodes;
  };

  const tree: FlameTree = { name: 'root', value: trie.value(trie.root), children: childNodes(trie.root) };
  return {
    tree,
    nodes: keptRank.size + otherNodes,
    prunedNodes: trie.size - keptRank.size,
    prunedSamples,
  };
}
