import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdCounts } from '../../src/store/id-counts.js';
import { packCounts, unpackCounts } from '../../src/store/packed-counts.js';
import { prng } from './store-fixtures.js';

function entriesOf(sums: IdCounts): Array<[number, number]> {
  const entries: Array<[number, number]> = [];
  sums.forEach((id, count) => entries.push([id, count]));
  return entries.sort((a, b) => a[0] - b[0]);
}

test('sums match a Map over random ids, sparse and dense, through growth, packing and clearing', () => {
  const random = prng(12);
  const sums = new IdCounts();
  for (let round = 0; round < 30; round++) {
    const expected = new Map<number, number>();
    // Rounds alternate between a few ids and many, so the table grows and is given back.
    const adds = round % 3 === 0 ? 20_000 : 1 + Math.floor(random() * 50);
    const spread = round % 2 === 0 ? 4_000_000_000 : 3000;
    for (let i = 0; i < adds; i++) {
      const id = Math.floor(random() * spread);
      const count = 1 + Math.floor(random() * 5);
      sums.add(id, count);
      expected.set(id, (expected.get(id) ?? 0) + count);
    }
    const want = [...expected].sort((a, b) => a[0] - b[0]);
    assert.deepEqual(entriesOf(sums), want, `round ${round}`);
    const indexed = Array.from({ length: sums.size }, (_, i): [number, number] => [sums.idAt(i), sums.countAt(i)]);
    assert.deepEqual(indexed.sort((a, b) => a[0] - b[0]), want, `round ${round}, by index`);
    const unpacked: Array<[number, number]> = [];
    unpackCounts(sums.pack(), { add: (id, count) => unpacked.push([id, count]) });
    assert.deepEqual(unpacked, want, `round ${round}, packed`);
    sums.clear();
    assert.deepEqual(entriesOf(sums), []);
  }
});

test('addPacked adds a bucket entry by entry', () => {
  const sums = new IdCounts();
  sums.add(7, 1);
  sums.addPacked(packCounts([0, 7, 1_000_000], [2, 3, 4]));
  assert.deepEqual(entriesOf(sums), [[0, 2], [7, 4], [1_000_000, 4]]);
});

test('pack orders ids alike whether they span few bits per id (a bitmap) or many (a sort), at every offset', () => {
  const random = prng(34);
  const sums = new IdCounts();
  assert.deepEqual(sums.pack(), packCounts([], []), 'nothing added');
  for (let round = 0; round < 400; round++) {
    const ids = 1 + Math.floor(random() * 300);
    // Spans on both sides of 32 per id, where pack switches from a bitmap to a sort, up to the largest id.
    const span = Math.max(ids, Math.floor(ids * 32 * (0.5 + random())));
    const lowest = round % 4 === 0 ? 0xffffffff - 1 - span : Math.floor(random() * 5_000_000);
    const expected = new Map<number, number>();
    expected.set(lowest, 1);
    expected.set(lowest + span - 1, 2);
    while (expected.size < ids) expected.set(lowest + Math.floor(random() * span), 1 + Math.floor(random() * 300));
    sums.clear();
    for (const [id, count] of expected) sums.add(id, count);
    const sorted = [...expected].sort((a, b) => a[0] - b[0]);
    assert.deepEqual(sums.pack(), packCounts(sorted.map(([id]) => id), sorted.map(([, count]) => count)), `round ${round}: ${ids} ids over ${span} from ${lowest}`);
  }
});
