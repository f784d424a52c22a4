import type { FlameNode, FlameTree } from './flame-tree.js';
import { PriorityQueue } from './priority-queue.js';

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
  /** Nodes of the input that are not in `tree`. */
  prunedNodes: number;
  /** Samples moved into "(other)" nodes. */
  prunedSamples: number;
}

interface Candidate {
  node: FlameNode;
  parent: FlameNode;
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
export function pruneFlameTree(tree: FlameTree, options: PruneOptions): PrunedFlameTree {
  const { threshold, maxNodes } = options;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within 0..1, got ${threshold}`);
  if (!Number.isInteger(maxNodes) || maxNodes < MIN_MAX_NODES) {
    throw new RangeError(`maxNodes must be an integer of at least ${MIN_MAX_NODES}, got ${maxNodes}`);
  }
  const minValue = threshold * tree.value;
  /** For each kept node, how many of its children are not (yet) kept. */
  const droppedChildren = new Map<FlameNode, number>();
  let otherNodes = 0;
  let order = 0;
  const queue = new PriorityQueue<Candidate>((a, b) =>
    a.node.value !== b.node.value ? a.node.value > b.node.value : a.order < b.order,
  );

  const keep = (node: FlameNode): void => {
    const children = node.children ?? [];
    droppedChildren.set(node, children.length);
    if (children.length > 0) otherNodes += 1;
    for (const child of children) {
      if (child.value >= minValue) queue.push({ node: child, parent: node, order: order++ });
    }
  };

  keep(tree);
  for (let candidate = queue.pop(); candidate !== undefined; candidate = queue.pop()) {
    const { node, parent } = candidate;
    const parentLosesOther = droppedChildren.get(parent) === 1;
    const growth = 1 + (node.children?.length ? 1 : 0) - (parentLosesOther ? 1 : 0);
    if (droppedChildren.size + otherNodes + growth > maxNodes) break;
    droppedChildren.set(parent, droppedChildren.get(parent)! - 1);
    if (parentLosesOther) otherNodes -= 1;
    keep(node);
  }

  let prunedSamples = 0;
  const copy = (node: FlameNode): FlameNode => {
    if (node.children === undefined) return { name: node.name, value: node.value };
    const children: FlameNode[] = [];
    let droppedValue = 0;
    for (const child of node.children) {
      if (droppedChildren.has(child)) children.push(copy(child));
      else droppedValue += child.value;
    }
    if (children.length < node.children.length) {
      children.push({ name: '(other)', value: droppedValue, other: true });
      prunedSamples += droppedValue;
    }
    return { name: node.name, value: node.value, children };
  };

  const kept = droppedChildren.size;
  return {
    tree: { name: 'root', value: tree.value, children: copy(tree).children! },
    nodes: kept + otherNodes,
    prunedNodes: countNodes(tree) - kept,
    prunedSamples,
  };
}

function countNodes(tree: FlameNode): number {
  let count = 0;
  const pending: FlameNode[] = [tree];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    count += 1;
    for (const child of node.children ?? []) pending.push(child);
  }
  return count;
}
