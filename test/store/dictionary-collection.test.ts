import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diskBytes } from '../../src/operability/disk-bytes.js';
import { openDatabases } from '../../src/store/layout.js';
import { collectDictionary, SWEEP_DELETES_PER_TRANSACTION } from '../../src/store/dictionary-collection.js';
import { openStackStore, type StackStoreOptions } from '../../src/store/lmdb-stack-store.js';
import { StackDictionary } from '../../src/store/stack-dictionary.js';
import { captureLog } from '../support/capture-log.js';
import { bucketsStartingBefore, expectedSum, manualClock, prng, sorted, withTempFolder, type WrittenCollection } from './store-fixtures.js';

const DAY = 86_400;
const START = 1_700_006_400; // a UTC midnight
/** Every maintenance collects the dictionary, so each test sees collections as often as it maintains. */
const ALWAYS = { entries: 0, fraction: 0 };

/** The dictionary as stored in `path` (the store must be closed): stack -> id. */
async function storedDictionary(path: string): Promise<Map<string, number>> {
  const dbs = openDatabases(path);
  try {
    const dictionary = new Map<string, number>();
    for (const { key, value } of dbs.stacks.getRange()) dictionary.set(value, key);
    assert.equal(dbs.stackIds.getKeysCount(), dictionary.size, 'stackIds and stacks hold the same entries');
    return dictionary;
  } finally {
    await dbs.env.close();
  }
}

function storeOptions(path: string, clock: () => number, extra: Partial<StackStoreOptions> = {}): StackStoreOptions {
  return { path, retentionSeconds: DAY, clock, maintenanceIntervalMs: 0, dictionaryCollection: ALWAYS, logger: captureLog().log, ...extra };
}

describe('dictionary collection', () => {
  it('drops a stack whose buckets all expired; when it comes back it gets a new id and exactly its new counts', () =>
    withTempFolder(async (path) => {
      const time = manualClock(START);
      let store = openStackStore(storeOptions(path, time.clock));
      await store.write('web1', START + 10, new Map([['main;gone', 5], ['main;stays', 1]]));
      await store.close();
      const before = await storedDictionary(path);
      // Its day bucket ends at START + DAY and expires a retention later; main;stays is written again meanwhile.
      store = openStackStore(storeOptions(path, time.clock));
      time.set(START + 2 * DAY + 5);
      await store.write('web1', START + 2 * DAY, new Map([['main;stays', 2]]));
      await store.maintain();
      await store.close();
      const between = await storedDictionary(path);
      assert.deepEqual([...between.keys()], ['main;stays'], 'main;gone is collected, main;stays kept');
      assert.equal(between.get('main;stays'), before.get('main;stays'));

      store = openStackStore(storeOptions(path, time.clock));
      await store.write('web1', START + 2 * DAY + 3, new Map([['main;gone', 3]]));
      assert.deepEqual(sorted(store.read(['web1'], 0, START + 3 * DAY)), [['main;gone', 3], ['main;stays', 2]]);
      await store.maintain();
      assert.deepEqual(sorted(store.read(['web1'], 0, START + 3 * DAY)), [['main;gone', 3], ['main;stays', 2]]);
      await store.close();
      const after = await storedDictionary(path);
      assert.ok(after.get('main;gone')! > before.get('main;stays')!, 'ids are never reused');
      assert.notEqual(after.get('main;gone'), before.get('main;gone'));
    }));

  it('sweeps more garbage than one transaction deletes, around kept ids, non-ASCII stacks included, and each comes back under a new id', () =>
    withTempFolder(async (path) => {
      const time = manualClock(START);
      let store = openStackStore(storeOptions(path, time.clock));
      // Ids in write order: 6,000 garbage, 100 kept, 6,000 garbage: more than a sweep transaction deletes (SWEEP_DELETES_PER_TRANSACTION), on both sides of kept ids.
      const gone = (from: number) => new Map(Array.from({ length: 6000 }, (_, i) => [`main;überall;日本;gone${from + i}`, 1]));
      const kept = new Map(Array.from({ length: 100 }, (_, i) => [`main;stays${i}`, 1]));
      await store.write('web1', START + 10, gone(0));
      await store.write('web1', START + 11, kept);
      await store.write('web1', START + 12, gone(6000));
      await store.close();
      const before = await storedDictionary(path);
      store = openStackStore(storeOptions(path, time.clock));
      time.set(START + 2 * DAY + 5);
      await store.write('web1', START + 2 * DAY, kept);
      await store.maintain();
      await store.close();
      const between = await storedDictionary(path);
      assert.deepEqual([...between.keys()].sort(), [...kept.keys()].sort(), 'only the kept stacks are left, in both databases');

      store = openStackStore(storeOptions(path, time.clock));
      await store.write('web1', START + 2 * DAY + 3, new Map([['main;überall;日本;gone7', 4]]));
      assert.deepEqual(sorted(store.read(['web1'], START + 2 * DAY + 3, START + 2 * DAY + 3)), [['main;überall;日本;gone7', 4]]);
      await store.close();
      const after = await storedDictionary(path);
      assert.ok(after.get('main;überall;日本;gone7')! > before.get('main;überall;日本;gone6007')!, 'a new id, above every earlier one');
    }));

  it('sweeps in transactions of at most SWEEP_DELETES_PER_TRANSACTION deletes, each counted as stored', () =>
    withTempFolder(async (path) => {
      const dbs = openDatabases(path);
      try {
        /** Entries each transaction removed from stackIds, as the database counts them before and after it. */
        const removedPerTransaction: number[] = [];
        const commit = <T>(work: () => T): Promise<T> =>
          dbs.env.childTransaction(() => {
            const before = dbs.stackIds.getKeysCount();
            const result = work();
            removedPerTransaction.push(before - dbs.stackIds.getKeysCount());
            return result;
          }) as Promise<T>;
        const dictionary = new StackDictionary(dbs, commit);
        // No bucket references them: every one is garbage, two and a half transactions' worth.
        const garbage = Math.floor(2.5 * SWEEP_DELETES_PER_TRANSACTION);
        await dictionary.idsOf(Array.from({ length: garbage }, (_, i) => `main;überall;gone${i}`));
        removedPerTransaction.length = 0;
        const result = await collectDictionary({ dbs, dictionary, commit, settleWrites: async () => {}, stillOpen: () => true });
        assert.deepEqual(result, { kept: 0, deleted: garbage });
        assert.equal(dbs.stackIds.getKeysCount() + dbs.stacks.getKeysCount(), 0);
        const sweeps = removedPerTransaction.filter((removed) => removed > 0);
        assert.deepEqual(sweeps, [SWEEP_DELETES_PER_TRANSACTION, SWEEP_DELETES_PER_TRANSACTION, garbage - 2 * SWEEP_DELETES_PER_TRANSACTION]);
      } finally {
        await dbs.env.close();
      }
    }));

  it('keeps only the stacks written since the cutoff: no coarser bucket straddling it is built or kept, and every read is unchanged', () =>
    withTempFolder(async (path) => {
      const time = manualClock(START);
      const store = openStackStore(storeOptions(path, time.clock));
      const hosts = ['web1', 'web2'];
      const written: WrittenCollection[] = [];
      let now = START;
      // Three days of a collection every 20 minutes from each host, maintained after each: one new stack each, and one always there.
      for (let step = 0; step < 3 * 72; step++) {
        now = START + 1234 + step * 1200;
        time.set(now);
        for (const host of hosts) {
          const stacks = new Map([['main;serve', 2], [`main;job;${host}-${step}`, 1]]);
          written.push({ host, time: now, stacks });
          await store.write(host, now, stacks);
        }
        await store.maintain();
        if (step % 9 !== 0) continue;
        const horizon = now - DAY;
        for (const from of [0, horizon - 3600, horizon, horizon + 1, Math.ceil(horizon / DAY) * DAY, Math.ceil(horizon / 3600) * 3600, now - 6 * 3600]) {
          for (const some of [hosts, ['web2']]) {
            assert.deepEqual(sorted(store.read(some, from, now)), sorted(expectedSum(written, some, Math.max(from, horizon), now)), `step ${step}: ${some} from ${from}`);
          }
        }
      }
      await store.close();
      const cutoff = now - DAY;
      assert.deepEqual(await bucketsStartingBefore(path, cutoff), []);
      const kept = new Set(written.filter(({ time: at }) => at >= cutoff).flatMap(({ stacks }) => [...stacks.keys()]));
      assert.deepEqual([...(await storedDictionary(path)).keys()].sort(), [...kept].sort());
    }));

  it('changes no read: the same answers before and after each collection, and as a naive model (seeded)', async () => {
    for (const seed of [1, 2, 3, 4]) {
      await withTempFolder(async (path) => {
        const random = prng(seed);
        const below = (n: number) => Math.floor(random() * n);
        const retention = [600, 3600, DAY][below(3)];
        const time = manualClock(START);
        const store = openStackStore(storeOptions(path, time.clock, { retentionSeconds: retention }));
        const hosts = ['a', 'b', 'c'];
        const written: WrittenCollection[] = [];
        let now = START;
        for (let step = 0; step < 40; step++) {
          // Clock steps from a second to more than a day: stacks expire, and some come back.
          now += [1, 7, 60, 601, 3599, DAY + 17][below(6)];
          time.set(now);
          for (let i = 0; i < 1 + below(3); i++) {
            const stacks = new Map<string, number>();
            for (let j = 0; j < 1 + below(20); j++) stacks.set(`main;f${below(8)};g${below(60)}`, 1 + below(4));
            const collection = { host: hosts[below(hosts.length)], time: now - below(120), stacks };
            written.push(collection);
            await store.write(collection.host, collection.time, collection.stacks);
          }
          const ranges = Array.from({ length: 4 }, () => {
            const from = now - below(2 * retention + 3600);
            return { hosts: hosts.slice(below(3)), from, until: from + below(2 * retention) };
          });
          const read = () => ranges.map(({ hosts: some, from, until }) => sorted(store.read(some, from, until)));
          const beforeCollection = read();
          await store.maintain();
          assert.deepEqual(read(), beforeCollection, `seed ${seed}, step ${step}`);
          const expected = ranges.map(({ hosts: some, from, until }) => sorted(expectedSum(written, some, Math.max(from, now - retention), until)));
          assert.deepEqual(beforeCollection, expected, `seed ${seed}, step ${step}: the model`);
        }
        await store.close();
      });
    }
  });

  it('keeps every id a write hands out while a collection is under way', () =>
    withTempFolder(async (path) => {
      const time = manualClock(START);
      const { log, lines } = captureLog();
      const store = openStackStore(storeOptions(path, time.clock, { logger: log, dictionaryCollection: { entries: 1, fraction: 0 } }));
      // Stacks of host a, written once and expired: garbage the collection would sweep, unless a write uses them again.
      const comeback = Array.from({ length: 400 }, (_, i) => `main;comeback${i}`);
      await store.write('a', START, new Map(comeback.map((stack) => [stack, 1])));
      // Thousands of buckets of host z, which sorts after a: the mark is still reading them when the writes below commit.
      for (let second = 0; second < 6000; second += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, i) => store.write('z', START + 2 * DAY + second + i, new Map([[`z;${(second + i) % 50}`, 1]]))));
      }
      time.set(START + 2 * DAY + 6000);
      const written = new Map<string, number>();
      let collecting = true;
      const maintenance = store.maintain().finally(() => (collecting = false));
      let during = 0;
      for (let i = 0; collecting || i < 20; i++) {
        const stack = comeback[i % comeback.length];
        // A fresh second each, into host a's buckets, which the mark has passed.
        await store.write('a', START + 2 * DAY + i, new Map([[stack, 1]]));
        written.set(stack, (written.get(stack) ?? 0) + 1);
        if (collecting) during++;
      }
      await maintenance;
      const collected = lines.find((line) => line.msg === 'stack dictionary collected');
      assert.ok(collected, 'a collection ran');
      assert.ok(during > 1, `writes committed while it ran (${during})`);
      assert.deepEqual(sorted(store.read(['a'], 0, START + 3 * DAY)), sorted(written));
      await store.close();
      const stored = await storedDictionary(path);
      for (const stack of written.keys()) assert.ok(stored.has(stack), `${stack} is still in the dictionary`);
    }));

  it('stops the dictionary growing on disk once old stacks expire', () =>
    withTempFolder(async (path) => {
      const time = manualClock(START);
      const store = openStackStore(storeOptions(path, time.clock, { dictionaryCollection: { entries: 2000, fraction: 0.5 } }));
      const sizes: number[] = [];
      let next = 0;
      // Eight days of 3,000 new stacks every six hours, one day kept.
      for (let step = 0; step < 8 * 4; step++) {
        const now = START + step * 6 * 3600;
        time.set(now);
        const stacks = new Map<string, number>();
        for (let i = 0; i < 3000; i++) stacks.set(`main;serve;handler${next % 97};${'x'.repeat(200)};leaf${next++}`, 1);
        await store.write('web1', now, stacks);
        await store.maintain();
        if (step % 4 === 3) sizes.push(diskBytes(path));
      }
      await store.close();
      const stored = await storedDictionary(path);
      // What retention keeps (five collections: a day and the one at the cutoff), and what grew since the last collection.
      assert.ok(stored.size <= 1.5 * 5 * 3000, `${stored.size} stacks stored`);
      const [, , , fourthDay] = sizes;
      assert.ok(sizes.at(-1)! <= fourthDay * 1.2, `store size by day (bytes): ${sizes.join(', ')}`);
    }));
});
