import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queueOrder } from '../../src/collector/collector.js';

test('queueOrder is a rotation of every host, starting elsewhere each collection so each host leads in turn', () => {
  assert.deepEqual(queueOrder(0, 5), []);
  assert.deepEqual(queueOrder(1, 7), [0]);
  for (const count of [2, 3, 10, 400]) {
    const leaders = new Set<number>();
    for (let collection = 0; collection < count * 2; collection++) {
      const order = queueOrder(count, collection);
      assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i));
      for (let k = 1; k < count; k++) assert.equal(order[k], (order[0] + k) % count);
      leaders.add(order[0]);
    }
    assert.equal(leaders.size, count, "every host leads once in any `count` collections");
  }
});
