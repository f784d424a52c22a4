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

  keep(trie.root);
  for (let node = queue.pop(); node !== -1; node = queue.pop()) {
    const parent = trie.parent(node);
    const parentLosesOther = droppedChildren[parent] === 1;
    const growth = 1 + (trie.hasChildren(node) ? 1 : 0) - (parentLosesOther ? 1 : 0);
    if (childrenOf.size + otherNodes + growth > maxNodes) break;
    droppedChildren[parent] -= 1;
    if (parentLosesOther) otherNodes -= 1;
    keep(node);
  }

  // Objects are made from the root down with a queue of kept nodes whose
  // children are still to list, not by recursion: stacks may be 10,000 deep.
  let prunedSamples = 0;
  const tree: FlameTree = { name: 'root', value: trie.value(trie.root), children: [] };
  const toList: Array<[node: number, children: FlameNode[]]> = [[trie.root, tree.children]];
  for (let next = toList.pop(); next !== undefined; next = toList.pop()) {
    const [node, nodes] = next;
    let droppedValue = 0;
    for (const child of childrenOf.get(node)!) {
      const value = trie.value(child);
      if (!isKept[child]) droppedValue += value;
      else if (trie.hasChildren(child)) {
        const children: FlameNode[] = [];
        nodes.push({ name: trie.name(child), value, children });
        toList.push([child, children]);
      } else nodes.push({ name: trie.name(child), value });
    }
    if (droppedChildren[node] > 0) {
      nodes.push({ name: '(other)', value: droppedValue, other: true });
      prunedSamples += droppedValue;
    }
  }

  return {
    tree,
    nodes: childrenOf.size + otherNodes,
    prunedNodes: trie.size - childrenOf.size,
    prunedSamples,
  };
}
