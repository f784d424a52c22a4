import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StackCache } from '../../src/store/stack-cache.js';

/** A stack of `length` characters, told apart by `n`. */
const stack = (n: number, length = 10): string => `s${n};`.padEnd(length, 'f');

describe('StackCache', () => {
  test('answers both directions for what it holds, and nothing for the rest', () => {
    const cache = new StackCache(100);
    cache.set(stack(1), 1);
    assert.equal(cache.idOf(stack(1)), 1);
    assert.equal(cache.stackOf(1), stack(1));
    assert.equal(cache.idOf(stack(2)), undefined);
    assert.equal(cache.stackOf(2), undefined);
  });

  test('never holds more characters than its size', () => {
    const cache = new StackCache(100);
    for (let n = 0; n < 1000; n++) {
      cache.set(stack(n, 5 + (n % 17)), n);
      assert.ok(cache.chars <= 100, `${cache.chars} characters after ${n + 1} sets`);
      if (n % 3 === 0) cache.idOf(stack(n - 1, 5 + ((n - 1) % 17)));
    }
    assert.equal(cache.idOf(stack(999, 5 + (999 % 17))), 999, 'the newest entry is held');
  });

  test('keeps the stacks in use while a run of stacks seen once goes through', () => {
    const cache = new StackCache(100);
    for (let n = 0; n < 5; n++) cache.set(stack(n), n);
    // A cycle through far more stacks than fit, the five hot ones looked up between every new one.
    for (let n = 5; n < 500; n++) {
      for (let hot = 0; hot < 5; hot++) assert.equal(cache.idOf(stack(hot)), hot, `hot stack ${hot} evicted by stack ${n}`);
      cache.set(stack(n), n);
    }
  });

  test('a hit keeps an entry past one pass of the hand, a miss does not', () => {
    const cache = new StackCache(30);
    cache.set(stack(1), 1);
    cache.set(stack(2), 2);
    cache.set(stack(3), 3);
    assert.equal(cache.stackOf(1), stack(1));
    cache.set(stack(4), 4);
    assert.equal(cache.idOf(stack(1)), 1, 'referenced: passed over');
    assert.equal(cache.idOf(stack(2)), undefined, 'unreferenced: evicted first');
    assert.equal(cache.idOf(stack(3)), 3);
  });

  test('evictUnused drops what was not looked up since its last call, and keeps the rest until the next', () => {
    const cache = new StackCache(1000);
    for (let n = 0; n < 4; n++) cache.set(stack(n), n);
    assert.equal(cache.idOf(stack(1)), 1);
    assert.equal(cache.stackOf(2), stack(2));
    cache.evictUnused();
    assert.deepEqual([0, 1, 2, 3].map((n) => cache.stackOf(n)), [undefined, stack(1), stack(2), undefined]);
    assert.equal(cache.chars, stack(1).length + stack(2).length, 'the evicted characters are freed');
    cache.evictUnused();
    assert.equal(cache.size, 2, 'the lookups above count for the period they were made in');
    cache.evictUnused();
    assert.equal(cache.size, 0, 'nothing looked up for a whole period');
    cache.set(stack(5), 5);
    assert.equal(cache.idOf(stack(5)), 5, 'slots are reused');
  });

  test('forget drops an entry and frees its characters; its slot is reused', () => {
    const cache = new StackCache(100);
    cache.set(stack(1), 1);
    cache.set(stack(2), 2);
    cache.forget(1);
    assert.equal(cache.idOf(stack(1)), undefined);
    assert.equal(cache.stackOf(1), undefined);
    assert.equal(cache.chars, 10);
    cache.forget(1);
    cache.set(stack(1), 7);
    assert.equal(cache.idOf(stack(1)), 7, 'a collected stack that comes back has its new id');
    assert.equal(cache.stackOf(7), stack(1));
    assert.equal(cache.size, 2);
    assert.equal(cache.chars, 20);
  });

  test('a stack set again under a new id loses its old one', () => {
    const cache = new StackCache(100);
    cache.set(stack(1), 1);
    cache.set(stack(1), 2);
    assert.equal(cache.idOf(stack(1)), 2);
    assert.equal(cache.stackOf(1), undefined);
    assert.equal(cache.chars, 10);
  });

  test('a stack longer than the whole cache is not kept, and evicts nothing', () => {
    const cache = new StackCache(20);
    cache.set(stack(1), 1);
    cache.set(stack(2, 21), 2);
    assert.equal(cache.stackOf(2), undefined);
    assert.equal(cache.idOf(stack(1)), 1);
  });

  test('refuses a size that is not positive', () => {
    assert.throws(() => new StackCache(0), /positive size/);
  });
});
