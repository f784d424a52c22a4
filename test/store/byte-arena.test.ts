import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteArena } from '../../src/store/byte-arena.js';
import { prng } from './store-fixtures.js';

test('gives back every value added, empty ones and ones larger than the arena included, through its growth', () => {
  const random = prng(5);
  const arena = new ByteArena();
  const values: Uint8Array[] = [];
  for (let i = 0; i < 3000; i++) {
    // Mostly small, a few past the arena's first 64 KB, some empty.
    const length = i % 500 === 7 ? 100_000 + Math.floor(random() * 50_000) : Math.floor(random() * 200);
    const value = Uint8Array.from({ length }, () => Math.floor(random() * 256));
    values.push(value);
    assert.equal(arena.add(value), i);
  }
  values.forEach((value, index) => assert.deepEqual(arena.get(index), value, `value ${index}`));
});

test('starts again from index 0 after clear(), giving back the new values (fewer or more bytes than before) and none of the old', () => {
  const random = prng(6);
  const arena = new ByteArena();
  for (const [count, largest] of [[2000, 200], [10, 90_000], [3000, 300]] as const) {
    arena.clear();
    const values = Array.from({ length: count }, () => Uint8Array.from({ length: Math.floor(random() * largest) }, () => Math.floor(random() * 256)));
    values.forEach((value, index) => assert.equal(arena.add(value), index));
    values.forEach((value, index) => assert.deepEqual(arena.get(index), value, `${count} values, value ${index}`));
  }
});
