// @ts-check
// Moving between frames of the flame graph with the arrow keys: to the caller,
// to the widest callee, to the sibling before or after. Pure: walks the
// d3-hierarchy nodes the chart draws, one step, no recursion.

/**
 * The shape of a d3-hierarchy node after d3.partition: x0..x1 is its span.
 * @typedef {{ parent: FrameNode | null, children?: FrameNode[], x0: number, x1: number, value?: number }} FrameNode
 */

/** @typedef {'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight'} ArrowKey */

/** @param {string} key @returns {key is ArrowKey} */
export function isArrowKey(key) {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'ArrowLeft' || key === 'ArrowRight';
}

/**
 * The frame an arrow key moves to from `node`, or null when there is none.
 * Down in an icicle (up in a flame graph) goes to the widest callee, the other
 * way to the caller; left and right to the nearest sibling on that side.
 * @param {FrameNode} node
 * @param {ArrowKey} key
 * @param {{ inverted: boolean, isDrawn(node: FrameNode): boolean }} chart  inverted: an icicle, root at the top
 * @returns {FrameNode | null}
 */
export function nextFrame(node, key, { inverted, isDrawn }) {
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const siblings = (node.parent?.children ?? []).filter((sibling) => sibling === node || isDrawn(sibling));
    siblings.sort((a, b) => a.x0 - b.x0);
    const index = siblings.indexOf(node) + (key === 'ArrowRight' ? 1 : -1);
    return siblings[index] ?? null;
  }
  const towardCallees = (key === 'ArrowDown') === inverted;
  if (!towardCallees) return node.parent;
  let widest = null;
  for (const child of node.children ?? []) {
    if (isDrawn(child) && (widest === null || child.x1 - child.x0 > widest.x1 - widest.x0)) widest = child;
  }
  return widest;
}
