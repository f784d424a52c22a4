import { compareNames, type FlameNode, type FlameTree } from './flame-tree.js';
import type { StackCounts } from './stack-counts.js';

/** Building form: children in a Map so each frame is found in O(1). */
interface BuildNode {
  value: number;
  children: Map<string, BuildNode> | null;
}

/**
 * Merges stacks that share a prefix into one tree; every node's value is the
 * samples of all stacks passing through it. Children are sorted by name.
 */
export function stacksToFlameTree(stacks: StackCounts): FlameTree {
  const root: BuildNode = { value: 0, children: new Map() };
  for (const [stack, count] of stacks) {
    // A sampler may report a stack with zero samples; it has no weight to draw.
    if (count === 0) continue;
    root.value += count;
    let node = root;
    for (const frame of stack.split(';')) {
      node.children ??= new Map();
      let child = node.children.get(frame);
      if (child === undefined) {
        child = { value: 0, children: null };
        node.children.set(frame, child);
      }
      child.value += count;
      node = child;
    }
  }
  return { name: 'root', value: root.value, children: sortedChildren(root.children) };
}

function sortedChildren(children: Map<string, BuildNode> | null): FlameNode[] {
  if (children === null) return [];
  const names = [...children.keys()].sort(compareNames);
  return names.map((name) => toFlameNode(name, children.get(name)!));
}

function toFlameNode(name: string, node: BuildNode): FlameNode {
  if (node.children === null) return { name, value: node.value };
  return { name, value: node.value, children: sortedChildren(node.children) };
}
