import { compareNames, type FlameNode, type FlameTree } from '../../src/profile/flame-tree.js';
import type { StackCounts } from '../../src/profile/stack-counts.js';

/**
 * The whole flame tree, built the obvious way (nested objects, split on ';',
 * children sorted by name): the reference the trie and pruning are checked against.
 */
export function naiveFlameTree(stacks: StackCounts): FlameTree {
  const root: FlameTree = { name: 'root', value: 0, children: [] };
  for (const [stack, count] of stacks) {
    if (count === 0) continue;
    root.value += count;
    let node: FlameNode = root;
    for (const frame of stack.split(';')) {
      node.children ??= [];
      let child: FlameNode | undefined = node.children.find((candidate) => candidate.name === frame);
      if (child === undefined) node.children.push((child = { name: frame, value: 0 }));
      child.value += count;
      node = child;
    }
  }
  const sort = (node: FlameNode): void => {
    node.children?.sort((a, b) => compareNames(a.name, b.name)).forEach(sort);
  };
  sort(root);
  return root;
}

/**
 * The pruning rule stated the slow way, over naiveFlameTree's objects: keep
 * the root; then, while a candidate fits, keep the heaviest child of a kept
 * node whose value reaches threshold * total (ties to the child of the node
 * kept earlier, then to the earlier name), where "fits" means the tree, with
 * one "(other)" for each kept node missing a child, stays within maxNodes.
 * The reference pruneStackTrie and the JSON written from its selection are
 * checked against.
 */
export function naivePrunedTree(stacks: StackCounts, threshold: number, maxNodes: number): { tree: FlameTree; nodes: number; prunedNodes: number; prunedSamples: number } {
  const whole = naiveFlameTree(stacks);
  const rank = new Map<FlameNode, number>();
  const candidates: Array<{ node: FlameNode; parentRank: number; place: number }> = [];
  const keep = (node: FlameNode) => {
    rank.set(node, rank.size);
    (node.children ?? []).forEach((child, place) => {
      if (child.value >= threshold * whole.value) candidates.push({ node: child, parentRank: rank.get(node)!, place });
    });
  };
  const size = () => {
    let others = 0;
    for (const node of rank.keys()) if ((node.children ?? []).some((child) => !rank.has(child))) others += 1;
    return rank.size + others;
  };
  keep(whole);
  while (candidates.length > 0) {
    candidates.sort((a, b) => b.node.value - a.node.value || a.parentRank - b.parentRank || a.place - b.place);
    const { node } = candidates.shift()!;
    keep(node);
    if (size() > maxNodes) {
      rank.delete(node);
      break;
    }
  }
  let prunedSamples = 0;
  const copy = (node: FlameNode): FlameNode => {
    const kept: FlameNode = { name: node.name, value: node.value };
    if (node.children === undefined) return kept;
    kept.children = node.children.filter((child) => rank.has(child)).map(copy);
    const dropped = node.children.filter((child) => !rank.has(child));
    if (dropped.length > 0) {
      const value = dropped.reduce((sum, child) => sum + child.value, 0);
      prunedSamples += value;
      kept.children.push({ name: '(other)', value, other: true });
    }
    return kept;
  };
  const tree = copy(whole) as FlameTree;
  tree.children ??= [];
  let all = 0;
  for (const pending: FlameNode[] = [whole]; pending.length > 0; all++) pending.push(...(pending.pop()!.children ?? []));
  return { tree, nodes: size(), prunedNodes: all - rank.size, prunedSamples };
}
