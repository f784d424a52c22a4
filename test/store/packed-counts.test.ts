import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_UNSORTED, packCounts, packedTotal, packUnsorted, unpackCounts } from '../../src/store/packed-counts.js';
import { prng } from '../support/seeded-random.js';

function unpacked(packed: Uint8Array): Array<[number, number]> {
  const entries: Array<[number, number]> = [];
  unpackCounts(packed, { add: (id, count) => entries.push([id, count]) });
  return entries;
}

describe('packed counts', () => {
  it('round-trips ids and counts, total first', () => {
    const packed = packCounts([0, 3, 4, 5, 200, 70_000], [5, 1, 128, 1, 16_384, 2]);
    assert.deepEqual(unpacked(packed), [[0, 5], [3, 1], [4, 128], [5, 1], [200, 16_384], [70_000, 2]]);
    assert.equal(packedTotal(packed), 5 + 1 + 128 + 1 + 16_384 + 2);
  });

  it('keeps ids up to 2^32-1 and counts up to the largest safe integer', () => {
    const big = Number.MAX_SAFE_INTEGER - 10;
    const packed = packCounts([1, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1], [big, 2 ** 40, 1, 3]);
    assert.deepEqual(unpacked(packed), [[1, big], [2 ** 31, 2 ** 40], [2 ** 32 - 2, 1], [2 ** 32 - 1, 3]]);
    assert.deepEqual(unpacked(packCounts([2 ** 32 - 1], [1])), [[2 ** 32 - 1, 1]]);
  });

  it('packs an empty bucket as a zero total and no entries', () => {
    const packed = packCounts([], []);
    assert.equal(packedTotal(packed), 0);
    assert.deepEqual(unpacked(packed), []);
  });

  it('spends about one byte per small id gap and small count', () => {
    const ids = Array.from({ length: 400 }, (_, i) => i * 10);
    assert.ok(packCounts(ids, ids.map(() => 7)).length <= 2 * 400 + 6);
  });

  it('spends one byte on a stack sampled once after a small id gap', () => {
    const ids = Array.from({ length: 400 }, (_, i) => i * 40);
    const once = packCounts(ids, ids.map(() => 1));
    assert.ok(once.length <= 400 + 6);
    assert.deepEqual(unpacked(once), ids.map((id) => [id, 1]));
    assert.ok(packCounts(ids, ids.map(() => 2)).length > 2 * 400);
  });

  it('refuses truncated bytes', () => {
    const packed = packCounts([1, 300], [1, 300]);
    assert.throws(() => unpacked(packed.subarray(0, packed.length - 1)), /truncated/);
  });

  it('packs ids in any order as packCounts packs them sorted, summing an id listed twice', () => {
    const random = prng(12);
    for (let round = 0; round < 200; round++) {
      const entries = Math.floor(random() * 300);
      // Ids from a small range repeat; some near 2^32 check the sort key stays exact.
      const ids = Array.from({ length: entries }, () => (random() < 0.1 ? 2 ** 32 - 1 - Math.floor(random() * 3) : Math.floor(random() * 400)));
      const counts = ids.map(() => 1 + Math.floor(random() * (random() < 0.1 ? 2 ** 40 : 5)));
      const sums = new Map<number, number>();
      ids.forEach((id, i) => sums.set(id, (sums.get(id) ?? 0) + counts[i]));
      const sorted = [...sums.keys()].sort((a, b) => a - b);
      assert.deepEqual(packUnsorted(ids, counts), packCounts(sorted, sorted.map((id) => sums.get(id)!)));
    }
  });

  it('refuses more entries than its sort key keeps exact', () => {
    const ids = new Uint32Array(MAX_UNSORTED + 1);
    assert.throws(() => packUnsorted(ids, new Float64Array(ids.length)), /more than/);
  });
});
