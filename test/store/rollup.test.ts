import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdCounts } from '../../src/store/id-counts.js';
import { openDatabases, type StoreDatabases } from '../../src/store/layout.js';
import { LEVEL_SECONDS } from '../../src/store/levels.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { packedTotal } from '../../src/store/packed-counts.js';
import { manualClock, prng, randomStacks, withTempFolder } from './store-fixtures.js';

const DAY = 86_400;
const START = 1_700_006_400; // a UTC midnight

/** The packed sum of `host`'s level-0 buckets in [start, end), computed directly from the stored seconds. */
function packedSumOfSeconds(dbs: StoreDatabases, host: string, start: number, end: number): Buffer {
  const sums = new IdCounts();
  for (const { value } of dbs.counts.getRange({ start: [host, 0, start], end: [host, 0, end] })) sums.addPacked(value);
  return sums.pack();
}

describe('host rollups', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`store every minute, hour and day bucket as the packed sum of its seconds, byte for byte, periods of mixed levels included (seed ${seed})`, () =>
      withTempFolder(async (path) => {
        const random = prng(seed);
        const time = manualClock(START + 5 * 3600);
        const store = openStackStore({ path, retentionSeconds: 30 * DAY, clock: time.clock, maintenanceIntervalMs: 0 });
        const stackNames = Array.from({ length: 40 }, (_, i) => `main;handler${i % 6};leaf${i}`);
        const write = (host: string, at: number): Promise<void> => store.write(host, at, randomStacks(random, stackNames));
        // Minutes of no collection, of one (no minute bucket: its hour reads the second) and of several (a minute bucket):
        // hours are built from seconds, from minutes, and from both, so a scan of seconds passes over minutes of their own.
        const writes: Array<Promise<void>> = [];
        for (const host of ['web1', 'web2', 'web3']) {
          for (let minute = 0; minute < 2 * 24 * 60; minute += 1 + Math.floor(random() * 4)) {
            const collections = [1, 1, 1, 2, 4][Math.floor(random() * 5)];
            for (let i = 0; i < collections; i++) writes.push(write(host, START + minute * 60 + Math.floor(random() * 60)));
          }
        }
        await Promise.all(writes);
        await store.maintain();
        // Late writes into rolled periods, then the rest of the two days rolled up.
        await Promise.all(Array.from({ length: 30 }, (_, i) => write(`web${1 + (i % 3)}`, START + Math.floor(random() * 4 * 3600))));
        time.set(START + 2 * DAY + 3600);
        await store.maintain();
        await store.close();

        const dbs = openDatabases(path);
        try {
          const built = [0, 0, 0, 0];
          let mixedHours = 0;
          for (const { key, value } of dbs.counts.getRange()) {
            const [host, level, start] = key;
            if (level === 0) continue;
            const end = start + LEVEL_SECONDS[level];
            assert.deepEqual(value, packedSumOfSeconds(dbs, host, start, end), `${host} level ${level} at ${start}`);
            assert.equal(dbs.totals.get(key), packedTotal(value), `${host} level ${level} at ${start}: its total`);
            built[level]++;
            if (level === 2) {
              const minutes = dbs.counts.getKeysCount({ start: [host, 1, start], end: [host, 1, end] });
              if (minutes > 0 && minutes < 60 && dbs.counts.getKeysCount({ start: [host, 0, start], end: [host, 0, end] }) > minutes) mixedHours++;
            }
          }
          assert.ok(built[1] > 0 && built[2] > 0 && built[3] > 0, `minutes, hours and days built: ${built}`);
          assert.ok(mixedHours > 0, 'some hours built from minutes and seconds together');
        } finally {
          await dbs.env.close();
        }
      }));
  }
});
