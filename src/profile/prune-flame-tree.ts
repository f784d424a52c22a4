import { CandidateHeap } from './candidate-heap.js';
import { type FlameNode, type FlameTree } from './flame-tree.js';
import type { StackTrie } from './stack-trie.js';

export const DEFAULT_MAX_NODES = 8000;
/** The root and one "(other)" child: the smallest tree that keeps the total. */
export const MIN_MAX_NODES = 2;
/** Past this many children a kept node's list is sorted by Array.prototype.sort; below it by insertion. */
const INSERTION_SORT_LIMIT = 16;
/**
 * The one queue every pruning uses (pruning never nests), cleared each
 * time. Besides sparing its arrays, a queue that outlives the query keeps
 * alive the hidden class (map) V8's optimised code of the queue and of
 * selectFlameNodes checks: a queue per pruning left none between two
 * queries, and a whole-heap collection then threw that code away.
 */
const CANDIDATES = new CandidateHeap();

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

/** How much a pruned tree holds and how much it left out. */
export interface PruneFigures {
  /** Nodes in the tree, including the root and "(other)" nodes. */
  nodes: number;
  /** Nodes of the trie that are not in the tree (with `under`: of its subtree). */
  prunedNodes: number;
  /** Samples moved into "(other)" nodes (with `under`: of its subtree, not the chain's). */
  prunedSamples: number;
}

export interface PrunedFlameTree extends PruneFigures {
  tree: FlameTree;
}

/**
 * The nodes a pruned tree keeps, as numbers in typed arrays: what the tree's
 * objects or its JSON text are written from. A kept node has a rank (the
 * order it was kept in: the chain of ancestors first, from the root, then
 * `under`, then best-first); its children with samples, sorted by name,
 * are `childNodes[childStart[rank] .. childStart[rank + 1])`, kept or not.
 */
export interface FlameSelection extends PruneFigures {
  trie: StackTrie;
  /** Kept nodes by rank; the root is rank 0. */
  keptNodes: Int32Array;
  /** By trie node: its rank + 1 when kept, 0 when not. */
  rankPlusOne: Int32Array;
  childStart: Int32Array;
  childNodes: Int32Array;
  /** By rank: the summed value of the children it does not keep (its "(other)" when droppedChildren > 0). */
  otherValue: Float64Array;
  /** By rank: how many of its children it does not keep. */
  droppedChildren: Int32Array;
  /** Ranks below this are the chain of ancestors above `under`. */
  chainLength: number;
}

/**
 * Keeps the heaviest nodes as a tree connected to the root, visiting nodes
 * best-first by value and stopping at the first that would not fit the cap.
 * Ties go to the child of the node kept first (so shallower before deeper),
 * then to the name. Each kept node's dropped children become one "(other)"
 * child placed last, so every kept value, and the root total, stays exact.
 * Only kept nodes have their children listed and sorted; nothing is an
 * object: pruning 20,000 nodes to 8,000 is what a query spends most on.
 */
export function selectFlameNodes(trie: StackTrie, options: Omit<PruneOptions, 'describe'>): FlameSelection {
  const { threshold, maxNodes, under = trie.root } = options;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within 0..1, got ${threshold}`);
  if (!Number.isInteger(maxNodes) || maxNodes < MIN_MAX_NODES) {
    throw new RangeError(`maxNodes must be an integer of at least ${MIN_MAX_NODES}, got ${maxNodes}`);
  }
  const minValue = threshold * trie.value(under);
  const chain: number[] = [];
  for (let node = under; node !== trie.root; node = trie.parent(node)) chain.push(trie.parent(node));
  // Every kept node and every listed child has samples: trie.size bounds both. The cap bounds the kept:
  // each counts against maxNodes, but for the chain and its "(other)"s, and `under`, kept whatever the cap.
  const keptLimit = Math.min(trie.size, maxNodes + 2 * chain.length + 1);
  const keptNodes = new Int32Array(keptLimit);
  const rankPlusOne = trie.zeroedPerNode();
  const childStart = new Int32Array(keptLimit + 1);
  const droppedChildren = new Int32Array(keptLimit);
  /** Grown as kept nodes list their children: a kept few of a large trie list far fewer than it has. */
  let childNodes: Int32Array = new Int32Array(Math.min(trie.size, 4 * keptLimit));
  let kept = 0;
  let listed = 0;
  let otherNodes = 0;
  const queue = CANDIDATES;
  queue.clear();
  const nameRanks = trie.nameRanks();

  /**
   * Lists the children of `node` with samples after those listed so far,
   * unclaimed until `keep`; returns how many. Listed before deciding, so a
   * candidate's children are walked once, not again to see if it has any.
   */
  const listChildren = (node: number): number => {
    let end = listed;
    for (let child = trie.firstChild(node); child !== -1; child = trie.nextSibling(child)) {
      if (end === childNodes.length) childNodes = grown(childNodes, trie.size);
      childNodes[end++] = child;
    }
    return end - listed;
  };

  /** Keeps `node` at the next rank with the `children` listChildren just listed, sorted by name. */
  const keep = (node: number, children: number): void => {
    const rank = kept++;
    keptNodes[rank] = node;
    rankPlusOne[node] = rank + 1;
    sortByName(trie, nameRanks, childNodes, listed, listed + children);
    listed += children;
    childStart[rank + 1] = listed;
    droppedChildren[rank] = children;
  };

  for (let i = chain.length - 1; i >= 0; i--) {
    const children = listChildren(chain[i]);
    keep(chain[i], children);
    droppedChildren[kept - 1] = children - 1;
    if (children > 1) otherNodes += 1;
  }
  const chainLength = kept;
  /** Nodes the chain of ancestors takes: outside the budget. */
  const chainNodes = chainLength + otherNodes;

  const keepAndQueue = (node: number, children: number): void => {
    const rank = kept;
    keep(node, children);
    if (children > 0) otherNodes += 1;
    // Pushed in (rank, name) order, which is how the queue breaks ties: first pushed, first popped.
    for (let at = childStart[rank]; at < listed; at++) {
      const child = childNodes[at];
      const value = trie.value(child);
      if (value >= minValue) queue.push(child, value);
    }
  };
  keepAndQueue(under, listChildren(under));
  for (let node = queue.pop(); node !== -1; node = queue.pop()) {
    const parentRank = rankPlusOne[trie.parent(node)] - 1;
    const parentLosesOther = droppedChildren[parentRank] === 1;
    const children = listChildren(node);
    const growth = 1 + (children > 0 ? 1 : 0) - (parentLosesOther ? 1 : 0);
    if (kept + otherNodes + growth > maxNodes + chainNodes) break;
    droppedChildren[parentRank] -= 1;
    if (parentLosesOther) otherNodes -= 1;
    keepAndQueue(node, children);
  }

  const otherValue = new Float64Array(kept);
  let prunedSamples = 0;
  for (let rank = 0; rank < kept; rank++) {
    if (droppedChildren[rank] === 0) continue;
    let value = 0;
    for (let at = childStart[rank]; at < childStart[rank + 1]; at++) {
      if (rankPlusOne[childNodes[at]] === 0) value += trie.value(childNodes[at]);
    }
    otherValue[rank] = value;
    // The chain's "(other)" nodes are context around a detail, not detail it lost.
    if (rank >= chainLength) prunedSamples += value;
  }
  return {
    trie,
    keptNodes: keptNodes.subarray(0, kept),
    rankPlusOne,
    childStart,
    childNodes,
    otherValue,
    droppedChildren,
    chainLength,
    nodes: kept + otherNodes,
    prunedNodes: subtreeSize(trie, under) - (kept - chainLength),
    prunedSamples,
  };
}

/** `array` copied into one twice as long, at most `limit`. */
function grown(array: Int32Array, limit: number): Int32Array {
  const larger = new Int32Array(Math.min(Math.max(array.length * 2, 16), limit));
  larger.set(array);
  return larger;
}

/**
 * Sorts nodes[from..to) by name (UTF-16 code units, as compareNames), as
 * integers: siblings have distinct names, so their name ranks (see
 * StackShapes.nameRanks) order them alike. Most lists are a handful long.
 */
function sortByName(trie: StackTrie, ranks: Int32Array, nodes: Int32Array, from: number, to: number): void {
  if (to - from > INSERTION_SORT_LIMIT) {
    nodes.set(Array.from(nodes.subarray(from, to)).sort((a, b) => ranks[trie.nameId(a)] - ranks[trie.nameId(b)]), from);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const node = nodes[i];
    const rank = ranks[trie.nameId(node)];
    let j = i - 1;
    for (; j >= from && ranks[trie.nameId(nodes[j])] > rank; j--) nodes[j + 1] = nodes[j];
    nodes[j + 1] = node;
  }
}

/**
 * The pruned tree as d3-flame-graph's objects (see selectFlameNodes), with
 * `describe` called on each. For the views that add fields to the nodes or
 * read the tree; a plain tree on its way to JSON is cheaper written from
 * the selection (flameSelectionJson).
 */
export function pruneStackTrie(trie: StackTrie, options: PruneOptions): PrunedFlameTree {
  const selection = selectFlameNodes(trie, options);
  return { tree: selectionToFlameTree(selection, options.describe), ...pruneFigures(selection) };
}

function pruneFigures({ nodes, prunedNodes, prunedSamples }: PruneFigures): PruneFigures {
  return { nodes, prunedNodes, prunedSamples };
}

function selectionToFlameTree(selection: FlameSelection, describe: PruneOptions['describe']): FlameTree {
  const { trie, rankPlusOne, childStart, childNodes, otherValue, droppedChildren } = selection;
  // Objects are made from the root down with a queue of kept nodes whose
  // children are still to list, not by recursion: stacks may be 10,000 deep.
  const pending: Array<[number, FlameNode]> = [];
  /** Fills in the children of a kept node's object, queueing kept children that have their own. */
  const fillChildren = (rank: number, into: FlameNode): void => {
    const nodes: FlameNode[] = [];
    const dropped: number[] = [];
    for (let at = childStart[rank]; at < childStart[rank + 1]; at++) {
      const child = childNodes[at];
      if (rankPlusOne[child] === 0) {
        if (describe) dropped.push(child);
        continue;
      }
      const object: FlameNode = { name: trie.name(child), value: trie.value(child) };
      const childRank = rankPlusOne[child] - 1;
      if (childStart[childRank + 1] > childStart[childRank]) pending.push([childRank, object]);
      describe?.(object, [child]);
      nodes.push(object);
    }
    if (droppedChildren[rank] > 0) {
      const other: FlameNode = { name: '(other)', value: otherValue[rank], other: true };
      describe?.(other, dropped);
      nodes.push(other);
    }
    into.children = nodes;
  };

  const tree: FlameTree = { name: 'root', value: trie.value(trie.root), children: [] };
  describe?.(tree, [trie.root]);
  pending.push([0, tree]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) fillChildren(next[0], next[1]);
  return tree;
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
