import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CandidateHeap } from '../../src/profile/candidate-heap.js';
import { prng } from '../support/seeded-random.js';

function drain(heap: CandidateHeap): number[] {
  const nodes: number[] = [];
  for (let node = heap.pop(); node !== -1; node = heap.pop()) nodes.push(node);
  return nodes;
}

test('pops the highest value first, and the first pushed among equal values', () => {
  const heap = new CandidateHeap();
  heap.push(1, 5);
  heap.push(2, 9);
  heap.push(3, 5);
  heap.push(4, 1);
  heap.push(5, 9);
  assert.equal(heap.size, 5);
  assert.deepEqual(drain(heap), [2, 5, 1, 3, 4]);
});

test('an empty heap pops -1', () => {
  assert.equal(new CandidateHeap().pop(), -1);
});

test('a value pushed again after it was popped comes after the entries of that value pushed before', () => {
  const heap = new CandidateHeap();
  heap.push(1, 7);
  heap.push(2, 7);
  heap.push(3, 7);
  assert.equal(heap.pop(), 1);
  // 7 again, as a chain of one-child frames pushes it: behind 2 and 3, ahead of the smaller 6.
  heap.push(4, 7);
  heap.push(5, 6);
  heap.push(6, 7);
  assert.equal(heap.size, 5);
  assert.deepEqual(drain(heap), [2, 3, 4, 6, 5]);
});

test('agrees with a sorted list under any mix of pushes and pops, past its first allocation', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const uniform = prng(seed);
    const random = (n: number) => Math.floor(uniform() * n);
    const heap = new CandidateHeap();
    /** The model: entries in the order they must come out. */
    const expected: Array<{ node: number; value: number; pushed: number }> = [];
    let lastPopped = 50;
    for (let step = 0; step < 6000; step++) {
      if (random(5) < 3) {
        // Mostly at or below the last value popped (as pruning pushes), sometimes above it, sometimes equal to it.
        const choice = random(10);
        const value = choice < 4 ? lastPopped : choice < 9 ? random(lastPopped + 1) : random(100);
        expected.push({ node: step, value, pushed: step });
        expected.sort((a, b) => b.value - a.value || a.pushed - b.pushed);
        heap.push(step, value);
      } else {
        const next = expected.shift();
        assert.equal(heap.pop(), next?.node ?? -1, `seed ${seed}, step ${step}`);
        if (next !== undefined) lastPopped = next.value;
      }
      assert.equal(heap.size, expected.length);
    }
    assert.deepEqual(drain(heap), expected.map((entry) => entry.node), `seed ${seed}`);
  }
});

test('a cleared heap, grown past what it keeps or not, pops like a new one', () => {
  const heap = new CandidateHeap();
  for (const entries of [100_000, 10, 3000]) {
    for (let node = 0; node < entries; node++) heap.push(node, node % 97);
    // Half popped: clear() must forget the rest, the run beside the heap included.
    for (let i = 0; i < entries >> 1; i++) heap.pop();
    heap.clear();
    assert.equal(heap.size, 0);
    assert.equal(heap.pop(), -1);
    const fresh = new CandidateHeap();
    for (const [node, value] of [[1, 5], [2, 9], [3, 5], [4, 1], [5, 9]]) {
      heap.push(node, value);
      fresh.push(node, value);
    }
    assert.deepEqual(drain(heap), drain(fresh), `after ${entries} entries`);
  }
});
