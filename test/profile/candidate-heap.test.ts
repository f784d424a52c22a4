import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CandidateHeap } from '../../src/profile/candidate-heap.js';

function drain(heap: CandidateHeap): number[] {
  const nodes: number[] = [];
  for (let node = heap.pop(); node !== -1; node = heap.pop()) nodes.push(node);
  return nodes;
}

test('pops the highest value first, and the lowest order among equal values', () => {
  const heap = new CandidateHeap();
  heap.push(1, 5, 2);
  heap.push(2, 9, 7);
  heap.push(3, 5, 1);
  heap.push(4, 1, 0);
  heap.push(5, 9, 3);
  assert.equal(heap.size, 5);
  assert.deepEqual(drain(heap), [5, 2, 3, 1, 4]);
});

test('an empty heap pops -1', () => {
  assert.equal(new CandidateHeap().pop(), -1);
});

test('agrees with a sort over thousands of entries, past its first allocation', () => {
  let seed = 11;
  const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const heap = new CandidateHeap();
  // Orders are distinct (5003 is prime), so the expected order is unambiguous.
  const entries = Array.from({ length: 5000 }, (_, node) => ({ node, value: random(50), order: (node * 7919) % 5003 }));
  for (const { node, value, order } of entries) heap.push(node, value, order);
  const expected = [...entries].sort((a, b) => b.value - a.value || a.order - b.order).map((entry) => entry.node);
  assert.deepEqual(drain(heap), expected);
});
