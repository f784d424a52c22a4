import type { FlameNode } from './flame-tree.js';
import { addSamples, type StackCounts } from './stack-counts.js';

/**
 * The stacks a (possibly pruned) flame tree draws: each node's own samples
 * (its value minus its children's) as a stack from below the tree's root
 * down to it, "(other)" nodes included as frames of that name. What an
 * export of a pruned view writes, so it matches the picture.
 */
export function flameTreeToStackCounts(tree: FlameNode, { includeRoot = false } = {}): StackCounts {
  const stacks: StackCounts = new Map();
  // Iterative: trees may be thousands of frames deep.
  const work: Array<[FlameNode, string | null]> = [[tree, includeRoot ? tree.name : null]];
  while (work.length > 0) {
    const [node, stack] = work.pop()!;
    let childValues = 0;
    for (const child of node.children ?? []) {
      childValues += child.value;
      work.push([child, stack === null ? child.name : `${stack};${child.name}`]);
    }
    const own = node.value - childValues;
    if (own > 0 && stack !== null) addSamples(stacks, stack, own);
  }
  return stacks;
}
