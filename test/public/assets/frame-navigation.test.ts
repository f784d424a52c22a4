import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isArrowKey, nextFrame, type FrameNode } from '../../../public/assets/frame-navigation.js';

interface Named extends FrameNode {
  name: string;
}

/** root: a (0–0.2), b (0.2–0.7, with b1 0.2–0.3 and b2 0.3–0.7), c (0.7–1). */
function tree() {
  const node = (name: string, x0: number, x1: number, parent: Named | null): Named => {
    const created: Named = { name, x0, x1, parent, children: [] };
    parent?.children!.push(created);
    return created;
  };
  const root = node('root', 0, 1, null);
  const c = node('c', 0.7, 1, root); // out of order: siblings are ordered by position, not by array index
  const a = node('a', 0, 0.2, root);
  const b = node('b', 0.2, 0.7, root);
  const b1 = node('b1', 0.2, 0.3, b);
  const b2 = node('b2', 0.3, 0.7, b);
  return { root, a, b, c, b1, b2 };
}

const drawn = () => true;
const name = (node: FrameNode | null) => (node as Named | null)?.name ?? null;

test('in an icicle, down goes to the widest callee and up to the caller', () => {
  const { root, b, b2 } = tree();
  const icicle = { inverted: true, isDrawn: drawn };
  assert.equal(name(nextFrame(root, 'ArrowDown', icicle)), 'b');
  assert.equal(name(nextFrame(b, 'ArrowDown', icicle)), 'b2');
  assert.equal(nextFrame(b2, 'ArrowDown', icicle), null, 'a leaf has no callee');
  assert.equal(name(nextFrame(b2, 'ArrowUp', icicle)), 'b');
  assert.equal(nextFrame(root, 'ArrowUp', icicle), null, 'the root has no caller');
});

test('in a flame graph the vertical keys swap: up goes to the callee', () => {
  const { root, b } = tree();
  const flame = { inverted: false, isDrawn: drawn };
  assert.equal(name(nextFrame(root, 'ArrowUp', flame)), 'b');
  assert.equal(name(nextFrame(b, 'ArrowDown', flame)), 'root');
});

test('left and right go to the nearest drawn sibling, in drawn order, and stop at the ends', () => {
  const { root, a, b, c } = tree();
  const icicle = { inverted: true, isDrawn: (node: FrameNode) => node !== b };
  assert.equal(name(nextFrame(a, 'ArrowRight', icicle)), 'c', 'b is not drawn (zoomed away): skipped');
  assert.equal(name(nextFrame(c, 'ArrowLeft', icicle)), 'a');
  assert.equal(nextFrame(a, 'ArrowLeft', icicle), null);
  assert.equal(nextFrame(root, 'ArrowRight', icicle), null, 'the root has no siblings');
  assert.equal(name(nextFrame(root, 'ArrowDown', icicle)), 'c', 'the widest drawn callee');
});

test('only the four arrows are arrow keys', () => {
  assert.deepEqual(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Enter', 'a'].map(isArrowKey), [true, true, true, true, false, false]);
});
