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
