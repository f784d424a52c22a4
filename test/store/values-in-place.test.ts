import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabases, type CountsKey } from '../../src/store/layout.js';
import { forEachValueInPlace } from '../../src/store/values-in-place.js';
import { prng, withTempFolder } from './store-fixtures.js';

test('a range read in place visits what a copying range read returns, values of a byte to megabytes (past the reused buffer) included', () =>
  withTempFolder(async (path) => {
    const random = prng(9);
    const dbs = openDatabases(path);
    try {
      const sizes = [1, 2, 100, 5000, 70_000, 300_000, 3_000_000, 17, 1];
      await dbs.env.transaction(() => {
        sizes.forEach((size, i) => dbs.counts.put(['web', 0, 1000 + i], Buffer.from(Uint8Array.from({ length: size }, () => Math.floor(random() * 256)))));
        dbs.counts.put(['other', 0, 1000], Buffer.from([1, 2, 3]));
      });
      const range = { start: ['web', 0, 1001] as CountsKey, end: ['web', 0, 1008] as CountsKey };
      const copied = Array.from(dbs.counts.getRange(range), ({ key, value }) => [key, Uint8Array.from(value)]);
      const inPlace: Array<[CountsKey, Uint8Array]> = [];
      // Copied during the visit: a view holds only until the next read.
      forEachValueInPlace(dbs.countsInPlace, range, (value, key) => inPlace.push([key, Uint8Array.from(value)]));
      assert.equal(inPlace.length, 7);
      assert.deepEqual(inPlace, copied);
    } finally {
      await dbs.env.close();
    }
  }));
