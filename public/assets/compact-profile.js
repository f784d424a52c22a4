// The compact /profile answer (format=compact: a names table and flat
// numbers, see src/profile/flame-selection-compact-json.ts) read back into the
// tree d3-flame-graph draws, `{name, value, children}`, exactly the tree
// form's objects. A loop with a stack of open nodes, not recursion: stacks
// may be 10,000 frames deep.

const OTHER_NAME_INDEX = -1;

/**
 * The tree of `{names, nodes, ...fields}`, with `fields` (meta) on its root as the tree form has them.
 * @param {{ names: string[], nodes: number[] } & Record<string, unknown>} answer
 */
export function compactToFlameTree(answer) {
  const { names, nodes, ...fields } = answer;
  const nodeAt = (at) => (nodes[at] === OTHER_NAME_INDEX
    ? { name: '(other)', value: nodes[at + 1], other: true }
    : { name: names[nodes[at]], value: nodes[at + 1] });
  const root = nodeAt(0);
  root.children = [];
  // Open nodes and how many of their children are still to come.
  const open = [root];
  const remaining = [nodes[2]];
  for (let at = 3; at < nodes.length; at += 3) {
    while (remaining[remaining.length - 1] === 0) {
      open.pop();
      remaining.pop();
    }
    remaining[remaining.length - 1] -= 1;
    const node = nodeAt(at);
    open[open.length - 1].children.push(node);
    if (nodes[at + 2] > 0) {
      node.children = [];
      open.push(node);
      remaining.push(nodes[at + 2]);
    }
  }
  return Object.assign(root, fields);
}
