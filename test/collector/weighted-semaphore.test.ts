import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CapacityWaitAborted, WeightedSemaphore } from '../../src/collector/weighted-semaphore.js';

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WeightedSemaphore', () => {
  const never = new AbortController().signal;

  test('grants up to its capacity at once and makes the rest wait until units come back', async () => {
    const semaphore = new WeightedSemaphore(10);
    const first = await semaphore.acquire(6, never);
    const granted: string[] = [];
    void semaphore.acquire(5, never).then((release) => {
      granted.push('five');
      release();
    });
    await settle();
    assert.deepEqual(granted, []);
    assert.equal(semaphore.inUse, 6);
    first();
    await settle();
    assert.deepEqual(granted, ['five']);
    assert.equal(semaphore.inUse, 0);
  });

  test('serves waiters first come first served: a small request does not overtake a large one', async () => {
    const semaphore = new WeightedSemaphore(10);
    const held = await semaphore.acquire(8, never);
    const order: number[] = [];
    const large = semaphore.acquire(9, never).then((release) => (order.push(9), release));
    const small = semaphore.acquire(1, never).then((release) => (order.push(1), release));
    await settle();
    assert.deepEqual(order, [], 'one unit is free, but the large request came first');
    held();
    (await large)();
    (await small)();
    assert.deepEqual(order, [9, 1]);
  });

  test('a waiter whose signal fires leaves the queue with CapacityWaitAborted, and those behind it move up', async () => {
    const semaphore = new WeightedSemaphore(4);
    const held = await semaphore.acquire(3, never);
    const giveUp = new AbortController();
    const blocked = semaphore.acquire(4, giveUp.signal);
    let smallGranted = false;
    void semaphore.acquire(1, never).then(() => (smallGranted = true));
    await settle();
    assert.equal(smallGranted, false);
    giveUp.abort();
    await assert.rejects(blocked, CapacityWaitAborted);
    await settle();
    assert.equal(smallGranted, true);
    held();
    assert.equal(semaphore.inUse, 1);
  });

  test('a release counts once however often it is called, and an already aborted wait is refused at once', async () => {
    const semaphore = new WeightedSemaphore(2);
    const release = await semaphore.acquire(2, never);
    release();
    release();
    assert.equal(semaphore.inUse, 0);
    await semaphore.acquire(2, never);
    await assert.rejects(semaphore.acquire(1, AbortSignal.abort()), CapacityWaitAborted);
    await assert.rejects(semaphore.acquire(3, never), RangeError);
  });
});
