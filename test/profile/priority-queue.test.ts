import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PriorityQueue } from '../../src/profile/priority-queue.js';

function drain<T>(queue: PriorityQueue<T>): T[] {
  const out: T[] = [];
  for (let item = queue.pop(); item !== undefined; item = queue.pop()) out.push(item);
  return out;
}

test('pops items in the order the comparator ranks them', () => {
  const queue = new PriorityQueue<number>((a, b) => a > b);
  const values = [5, 1, 9, 3, 9, 0, 7, 2, 8, 4, 6];
  for (const value of values) queue.push(value);
  assert.equal(queue.size, values.length);
  assert.deepEqual(drain(queue), [...values].sort((a, b) => b - a));
  assert.equal(queue.size, 0);
});

test('an empty queue pops undefined', () => {
  assert.equal(new PriorityQueue<number>((a, b) => a < b).pop(), undefined);
});

test('agrees with a sort on many pseudo-random items mixed with pops', () => {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 1000;
  const queue = new PriorityQueue<number>((a, b) => a < b);
  const mirror: number[] = [];
  for (let round = 0; round < 2000; round += 1) {
    if (round % 3 === 2) {
      mirror.sort((a, b) => a - b);
      assert.equal(queue.pop(), mirror.shift());
    } else {
      const value = next();
      queue.push(value);
      mirror.push(value);
    }
  }
  assert.deepEqual(drain(queue), mirror.sort((a, b) => a - b));
});
