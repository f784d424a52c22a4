import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabases } from '../../src/store/layout.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { packedTotal } from '../../src/store/packed-counts.js';
import type { StackStore } from '../../src/store/stack-store.js';
import { bucketsStartingBefore, expectedSum, manualClock, prng, randomStacks, sorted, withTempFolder, type WrittenCollection } from './store-fixtures.js';

const DAY = 86_400;
const START = 1_700_006_400; // a UTC midnight

/**
 * The naive model of retention (see StackStore): a read sees exactly the
 * samples written with horizon <= time, horizon = now - retention.
 */
function expectedRead(written: readonly WrittenCollection[], hosts: readonly string[], horizon: number, from: number, until: number) {
  return sorted(expectedSum(written, hosts, Math.max(from, horizon), until));
}

function expectedFirstTime(written: readonly WrittenCollection[], hosts: readonly string[], horizon: number): number | null {
  let first: number | null = null;
  for (const { host, time } of written) if (hosts.includes(host) && time >= horizon && (first === null || time < first)) first = time;
  return first;
}

const total = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((sum, count) => sum + count, 0);

/** Every bucket left in the folder holds counts whose total is the one stored beside it, and every total its bucket. */
async function assertEveryBucketResolves(path: string): Promise<void> {
  const dbs = openDatabases(path);
  try {
    for (const { key, value } of dbs.counts.getRange()) assert.equal(packedTotal(value), dbs.totals.get(key), `bucket ${key.join(' ')}`);
    assert.equal(dbs.totals.getKeysCount(), dbs.counts.getKeysCount());
  } finally {
    await dbs.env.close();
  }
}

describe('retention', () => {
  it('keeps every read exact with one collection a minute and a short retention', () =>
    withTempFolder(async (path) => {
      const retention = 600;
      const time = manualClock(START);
      const store = openStackStore({ path, retentionSeconds: retention, clock: time.clock, maintenanceIntervalMs: 0 });
      const written: WrittenCollection[] = [];
      // Three hours of one collection a minute, maintained every ten minutes: no minute gets a bucket of its own.
      for (let minute = 0; minute < 180; minute++) {
        const at = START + minute * 60 + 7;
        const stacks = new Map([['main;serve', 3], [`main;job${minute % 4}`, 1]]);
        written.push({ host: 'web1', time: at, stacks });
        await store.write('web1', at, stacks);
        time.set(at + 53);
        if (minute % 10 === 9) {
          await store.maintain();
          const now = at + 53;
          const horizon = now - retention;
          for (const from of [0, now - 3600, horizon - 61, horizon, horizon + 1, now - 60]) {
            assert.deepEqual(sorted(store.read(['web1'], from, now)), expectedRead(written, ['web1'], horizon, from, now), `from ${from} at ${now}`);
          }
          assert.deepEqual(store.totals(['web1'], now - 3600, 60, 61).reduce((a, b) => a + b), total(store.read(['web1'], now - 3600, now)));
          assert.equal(store.firstTime(['web1']), expectedFirstTime(written, ['web1'], horizon));
        }
      }
      await store.close();
      await assertEveryBucketResolves(path);
      assert.deepEqual(await bucketsStartingBefore(path, time.clock() / 1000 - retention), []);
    }));

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`matches the naive model through random writes, late writes, maintenance and retention (seed ${seed})`, () =>
      withTempFolder(async (path) => {
        const random = prng(seed);
        const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
        const retention = pick([90, 700, 3 * 3600, DAY + 1800]);
        const hosts = ['h1', 'h2', 'h3'];
        const stackNames = ['a', 'a;b', 'a;b;c', 'a;d', 'e', 'e;f', 'g', 'g;h;i'];
        let now = START + Math.floor(random() * DAY);
        const time = manualClock(now);
        const store: StackStore = openStackStore({ path, retentionSeconds: retention, clock: time.clock, maintenanceIntervalMs: 0 });
        const written: WrittenCollection[] = [];
        const write = (host: string, at: number): Promise<void> => {
          const stacks = randomStacks(random, stackNames);
          written.push({ host, time: at, stacks });
          return store.write(host, at, stacks);
        };
        const check = (context: string) => {
          const horizon = now - retention;
          const range = (): [number, number] => {
            const span = 2 * retention + 2 * DAY;
            const from = pick([0, horizon, now - 3600, now - Math.floor(random() * span)]);
            return [from, pick([now, from + Math.floor(random() * span)])];
          };
          for (let i = 0; i < 4; i++) {
            const readHosts = pick([['h1'], ['h2'], hosts]);
            const [from, until] = range();
            assert.deepEqual(sorted(store.read(readHosts, from, until)), expectedRead(written, readHosts, horizon, from, until), `${context}: read ${readHosts} ${from}..${until}`);
          }
          const [from] = range();
          const step = pick([1, 7, 60, 600, 3600]);
          const steps = Math.min(200, Math.ceil((now - from) / step) + 1);
          const expected = Array.from({ length: steps }, (_, i) => total(expectedSum(written, hosts, Math.max(from + i * step, horizon), from + (i + 1) * step - 1)));
          assert.deepEqual(store.totals(hosts, from, step, steps), expected, `${context}: totals from ${from} step ${step}`);
          assert.equal(store.firstTime(hosts), expectedFirstTime(written, hosts, horizon), `${context}: firstTime`);
        };
        for (let op = 0; op < 250; op++) {
          const roll = random();
          if (roll < 0.3) {
            // Time moves on: mostly seconds to minutes, now and then hours.
            now += random() < 0.85 ? 1 + Math.floor(random() * 300) : Math.floor(random() * 4 * retention);
            time.set(now);
          } else if (roll < 0.55) {
            await write(pick(hosts), now);
          } else if (roll < 0.7) {
            // A late write, sometimes from before the horizon.
            await write(pick(hosts), now - Math.floor(random() * 1.5 * retention));
          } else if (roll < 0.78) {
            await Promise.all([write('h1', now), write('h2', now - Math.floor(random() * 120)), write('h1', now)]);
          } else if (roll < 0.9) {
            await store.maintain();
          } else {
            check(`seed ${seed} op ${op}`);
          }
        }
        await store.maintain();
        check(`seed ${seed} at the end`);
        await store.close();
        await assertEveryBucketResolves(path);
        assert.deepEqual(await bucketsStartingBefore(path, now - retention), [], `seed ${seed}: buckets no read can use`);
      }));
  }
});
