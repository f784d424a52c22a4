import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { open } from 'lmdb';
import { openDatabases } from '../../src/store/layout.js';
import { LEVEL_SECONDS } from '../../src/store/levels.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { STACKS_PER_TURN } from '../../src/store/stack-dictionary.js';
import { incompressibleText } from '../support/seeded-random.js';
import { expectedSum, manualClock, prng, sorted, withTempFolder, type WrittenCollection } from './store-fixtures.js';

const DAY = 86_400;
const START = 1_700_006_400; // a UTC midnight

const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, count) => sum + count, 0);

describe('LMDB stack store', () => {
  it('reads exact sums with both range ends inclusive, at bucket edges, before and after rollups', () =>
    withTempFolder(async (path) => {
      const time = manualClock(START + 2 * 3600);
      const store = openStackStore({ path, retentionSeconds: 30 * DAY, clock: time.clock, maintenanceIntervalMs: 0 });
      const at = (offset: number, stacks: Array<[string, number]>) => store.write('web1', START + offset, new Map(stacks));
      await at(59, [['main;a', 1]]);
      await at(60, [['main;b', 2]]);
      await at(3599, [['main;a', 4], ['main;<module>(__main__)', 8]]);
      await at(3600, [['main;b', 16]]);
      await at(3600.7, [['main;b', 32]]); // fractional seconds belong to their whole second
      const expectations: Array<[number, number, Array<[string, number]>]> = [
        [59, 59, [['main;a', 1]]],
        [59, 60, [['main;a', 1], ['main;b', 2]]],
        [60, 3599, [['main;<module>(__main__)', 8], ['main;a', 4], ['main;b', 2]]],
        [3599, 3600, [['main;<module>(__main__)', 8], ['main;a', 4], ['main;b', 48]]],
        [0, 7200, [['main;<module>(__main__)', 8], ['main;a', 5], ['main;b', 50]]],
        [3601, 7200, []],
      ];
      for (const round of ['before maintain', 'after maintain']) {
        for (const [from, until, expected] of expectations) {
          assert.deepEqual(sorted(store.read(['web1'], START + from, START + until)), expected, `${round}: ${from}..${until}`);
        }
        await store.maintain();
      }
      assert.deepEqual(store.read(['web1'], START + 10, START + 5), new Map());
      await store.close();
    }));

  it('equals the direct sum over random ranges, hosts merged, after rollups and after late writes into rolled periods', () =>
    withTempFolder(async (path) => {
      const random = prng(42);
      const vocabulary = Array.from({ length: 60 }, (_, i) => `root;handler${i % 7};leaf${i}`);
      const randomCollection = () => {
        const stacks = new Map<string, number>();
        for (let i = 0; i < 8; i++) stacks.set(vocabulary[Math.floor(random() * random() * vocabulary.length)], 1 + Math.floor(random() * 500));
        return stacks;
      };
      const span = 3 * DAY;
      const time = manualClock(START + span);
      const store = openStackStore({ path, retentionSeconds: 30 * DAY, clock: time.clock, maintenanceIntervalMs: 0 });
      const written: WrittenCollection[] = [];
      const write = (host: string, at: number) => {
        const stacks = randomCollection();
        written.push({ host, time: at, stacks });
        return store.write(host, at, stacks);
      };
      // web1 every 10 s for the first day then every 5 min; web2 once a minute: periods with one and many finer buckets.
      const writes: Array<Promise<void>> = [];
      for (let at = START; at < START + span; at += at < START + DAY ? 10 : 300) writes.push(write('web1', at));
      for (let at = START + 7; at < START + span; at += 60) writes.push(write('web2', at));
      await Promise.all(writes);
      const checkRandomRanges = (label: string) => {
        for (let i = 0; i < 300; i++) {
          const from = START - 100 + Math.floor(random() * (span + 200));
          const until = from + Math.floor(random() * random() * (span + 200 - (from - START)));
          const hosts = i % 3 === 0 ? ['web1', 'web2'] : i % 3 === 1 ? ['web1'] : ['web2'];
          assert.deepEqual(sorted(store.read(hosts, from, until)), sorted(expectedSum(written, hosts, from, until)), `${label}: ${hosts} ${from}..${until}`);
        }
        // Windows of whole minutes, hours and days (read at those levels), of neither, and from a fraction of a second.
        for (const [from, step, steps] of [[START - 600, 900, 300], [START + 17, 3601, 75], [START, DAY, 3], [START - 3600, 7200, 40], [START + 60, 600, 200], [START + 0.5, 600, 200], [START - 0.25, 60, 500]]) {
          const expected = Array.from({ length: steps }, (_, i) => total(expectedSum(written, ['web1', 'web2'], from + i * step, from + (i + 1) * step - 1)));
          assert.deepEqual(store.totals(['web1', 'web2'], from, step, steps), expected, `${label}: totals every ${step} s`);
        }
      };
      await store.maintain();
      checkRandomRanges('after maintain');
      await Promise.all(Array.from({ length: 40 }, (_, i) => write(i % 2 ? 'web1' : 'web2', START + Math.floor(random() * (span - 3600)))));
      checkRandomRanges('after late writes');
      time.set(START + span + DAY);
      await store.maintain();
      checkRandomRanges('after a second maintain');
      await store.close();
    }));

  it('answers totals per window equal to the sums read over the same windows', () =>
    withTempFolder(async (path) => {
      const random = prng(3);
      const time = manualClock(START + DAY);
      const store = openStackStore({ path, retentionSeconds: 30 * DAY, clock: time.clock, maintenanceIntervalMs: 0 });
      for (let at = START; at < START + DAY; at += 30) {
        await store.write(at % 60 ? 'a' : 'b', at, new Map([[`s${Math.floor(random() * 9)}`, 1 + Math.floor(random() * 90)]]));
      }
      await store.maintain();
      for (const [from, step, steps] of [[START - 600, 900, 100], [START + 17, 3601, 20], [START, DAY, 1]]) {
        const expected = Array.from({ length: steps }, (_, i) => total(store.read(['a', 'b'], from + i * step, from + (i + 1) * step - 1)));
        assert.deepEqual(store.totals(['a', 'b'], from, step, steps), expected);
      }
      assert.ok(store.totals(['a'], START, DAY, 1)[0] > 0);
      assert.throws(() => store.totals(['a'], START, 0, 3), /step must be a positive integer/);
      await store.close();
    }));

  it('tells the time of the oldest sample kept, through rollups, late writes and retention', () =>
    withTempFolder(async (path) => {
      const time = manualClock(START + DAY + 700);
      let store = openStackStore({ path, retentionSeconds: 30 * DAY, clock: time.clock, maintenanceIntervalMs: 0 });
      assert.equal(store.firstTime(['web1']), null);
      const writes: Array<Promise<void>> = [];
      // From 23:00:05 into the next day, so maintenance builds the first day's bucket, which starts at midnight.
      for (let at = START + DAY - 3600 + 5; at <= START + DAY + 600; at += 10) writes.push(store.write('web1', at, new Map([['main;a', 2]])));
      writes.push(store.write('web2', START + DAY + 42, new Map([['main;b', 1]])));
      writes.push(store.write('web3', START + DAY - 1800, new Map([['main;c', 1]])));
      await Promise.all(writes);
      await store.recordSuccess('idle', START);
      assert.equal(store.firstTime(['web1']), START + DAY - 3600 + 5);
      await store.maintain();
      assert.equal(store.firstTime(['web1']), START + DAY - 3600 + 5, 'the day bucket alone would say midnight');
      assert.equal(store.firstTime(['web2']), START + DAY + 42);
      assert.equal(store.firstTime(['web2', 'web1', 'web2']), START + DAY - 3600 + 5);
      assert.equal(store.firstTime(['web1', 'web3']), START + DAY - 3600 + 5, 'the oldest of all hosts, not of the last one');
      assert.equal(store.firstTime(['idle', 'nobody']), null, 'a status is not a sample');
      await store.write('web2', START + 1234, new Map([['main;late', 1]]));
      assert.equal(store.firstTime(['web1', 'web2']), START + 1234, 'a late write into rolled periods');
      await store.close();

      // Samples 20:30:00..23:59:50 every 10 s, 2 h retention. At midnight the horizon is 22:00:00; at 00:01:40 it is 22:01:40,
      // when maintenance has deleted the seconds and minutes before it but kept the hour bucket of 22:00, whose first
      // 100 s no read may see any more.
      await withTempFolder(async (otherPath) => {
        const end = START + DAY;
        time.set(end);
        store = openStackStore({ path: otherPath, retentionSeconds: 7200, clock: time.clock, maintenanceIntervalMs: 0 });
        const more: Array<Promise<void>> = [];
        for (let at = end - 3.5 * 3600; at < end; at += 10) more.push(store.write('web1', at, new Map([['main;a', 1]])));
        await Promise.all(more);
        assert.equal(store.firstTime(['web1']), end - 2 * 3600, 'samples before the horizon are out of sight before maintenance');
        await store.maintain();
        assert.equal(store.firstTime(['web1']), end - 2 * 3600);
        time.set(end + 100);
        await store.maintain();
        const horizon = end + 100 - 7200;
        assert.deepEqual(store.read(['web1'], 0, horizon - 1), new Map(), 'nothing before the horizon');
        assert.equal(store.read(['web1'], end - 2 * 3600, end - 3600 - 1).get('main;a'), 350, 'the 22:00 hour counts from the horizon on');
        assert.deepEqual(store.totals(['web1'], end - 2 * 3600, 3600, 2), [350, 360]);
        assert.equal(store.firstTime(['web1']), horizon);
        await store.close();
      });
    }));

  it('stores nothing of a write with an invalid count, not even its new stacks', () =>
    withTempFolder(async (path) => {
      const store = openStackStore({ path, retentionSeconds: DAY, clock: manualClock(START).clock, maintenanceIntervalMs: 0 });
      // Above 2^32 a sum over millions of collections could pass 2^53 and stop being exact.
      for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) {
        await assert.rejects(store.write('web1', START, new Map([['new;stack', 3], ['bad;stack', bad]])), /must be an integer from 0 to 4294967296/);
        // A large body is checked a piece at a time: the bad count sits past the first piece.
        const large = new Map(Array.from({ length: 2 * STACKS_PER_TURN + 1 }, (_, i): [string, number] => [`large;${i}`, i === STACKS_PER_TURN + 5 ? bad : 1]));
        await assert.rejects(store.write('web1', START, large), new RegExp(`count of stack "large;${STACKS_PER_TURN + 5}" must be an integer from 0 to 4294967296`));
      }
      await assert.rejects(store.write('web1', Number.NaN, new Map([['a', 1]])), /time must be Unix seconds/);
      await store.write('web1', START, new Map()); // an empty collection is fine and stores nothing
      await store.write('web1', START, new Map([['zero', 0]]));
      // A large body whose counts are all zero, checked a piece at a time, stores nothing either.
      await store.write('web1', START, new Map(Array.from({ length: STACKS_PER_TURN + 1 }, (_, i): [string, number] => [`zero;${i}`, 0])));
      assert.deepEqual(store.read(['web1'], 0, START * 2), new Map());
      assert.deepEqual(store.hosts(), []);
      await store.close();
      const dbs = openDatabases(path);
      assert.equal(dbs.stacks.getKeysCount(), 0);
      assert.equal(dbs.counts.getKeysCount(), 0);
      await dbs.env.close();
    }));

  it('writes a collection of known stacks, packed before its transaction, exactly as one of new stacks', () =>
    withTempFolder(async (path) => {
      const store = openStackStore({ path, retentionSeconds: DAY, clock: manualClock(START).clock, maintenanceIntervalMs: 0 });
      await store.write('web1', START, new Map([['known;a', 1], ['known;b', 2]]));
      // Every stack known: checked as a new body is, so a bad count stores nothing, wherever it sits.
      await assert.rejects(store.write('web1', START + 1, new Map([['known;a', 5], ['known;b', -1]])), /count of stack "known;b" must be an integer/);
      await assert.rejects(store.write('web1', START + 1, new Map([['known;a', 5], ['known;b', 2 ** 32 + 1]])), /must be an integer from 0 to 4294967296/);
      // Zero counts are dropped; a body of known stacks whose counts are all zero stores nothing.
      await store.write('web1', START + 1, new Map([['known;b', 0], ['known;a', 7]]));
      await store.write('web1', START + 2, new Map([['known;a', 0]]));
      // Known and new stacks together, and the same second written again by known stacks only: summed.
      await store.write('web1', START + 3, new Map([['known;a', 1], ['new;c', 4]]));
      await Promise.all([store.write('web1', START + 3, new Map([['new;c', 1], ['known;b', 3]])), store.write('web1', START + 3, new Map([['known;a', 2]]))]);
      assert.deepEqual(sorted(store.read(['web1'], START + 1, START + 1)), [['known;a', 7]]);
      assert.deepEqual(sorted(store.read(['web1'], START + 3, START + 3)), [['known;a', 3], ['known;b', 3], ['new;c', 5]]);
      assert.deepEqual(store.sampleTimes('web1', START + 10, 10), [START + 3, START + 1, START]);
      assert.deepEqual(store.totals(['web1'], START, 1, 4), [3, 7, 0, 11]);
      await store.close();
    }));

  it('merges concurrent writes to the same second, its total with it, and stores each stack once', () =>
    withTempFolder(async (path) => {
      const store = openStackStore({ path, retentionSeconds: DAY, clock: manualClock(START).clock, maintenanceIntervalMs: 0 });
      const writes = Array.from({ length: 200 }, (_, i) =>
        store.write(i % 2 ? 'web1' : 'web2', START, new Map([['shared;stack', 1], [`own;stack${i % 10}`, i]])),
      );
      await Promise.all(writes);
      const web1 = store.read(['web1'], START, START);
      assert.equal(web1.get('shared;stack'), 100);
      assert.equal(web1.get('own;stack1'), 1 + 11 + 21 + 31 + 41 + 51 + 61 + 71 + 81 + 91 + 101 + 111 + 121 + 131 + 141 + 151 + 161 + 171 + 181 + 191);
      assert.equal(store.read(['web1', 'web2'], START, START).get('shared;stack'), 200);
      // The second's total follows its merged counts: 100 shared samples and the odd i from 1 to 199.
      assert.deepEqual(store.totals(['web1'], START, 1, 1), [100 + 100 * 100]);
      await store.close();
      const dbs = openDatabases(path);
      assert.equal(dbs.stacks.getKeysCount(), 11);
      await dbs.env.close();
    }));

  it('keeps exactly the data inside retention, at every level, and stops growing the file', () =>
    withTempFolder(async (path) => {
      const retention = 2 * 3600;
      const time = manualClock(START);
      let store = openStackStore({ path, retentionSeconds: retention, clock: time.clock, maintenanceIntervalMs: 0 });
      const written: WrittenCollection[] = [];
      let at = START;
      const runCycle = async () => {
        // an hour of collections every 10 s, written concurrently, then maintenance
        const writes: Array<Promise<void>> = [];
        for (const end = at + 3600; at < end; at += 10) {
          const stacks = new Map([[`stack${(at / 10) % 50}`, 3], ['common', 1]]);
          written.push({ host: 'web1', time: at, stacks });
          writes.push(store.write('web1', at, stacks));
        }
        await Promise.all(writes);
        time.set(at + 30);
        await store.maintain();
      };
      for (let cycle = 0; cycle < 30; cycle++) await runCycle();
      const cutoff = at + 30 - retention;
      assert.deepEqual(store.read(['web1'], 0, cutoff - 1), new Map(), 'nothing before the cutoff');
      assert.deepEqual(sorted(store.read(['web1'], cutoff, at)), sorted(expectedSum(written, ['web1'], cutoff, at)));
      assert.ok(store.read(['web1'], cutoff, at).size > 0);
      // Windows straddle the cutoff, where each level was expired along its own bucket edges.
      const windows = Array.from({ length: 40 }, (_, i) => total(store.read(['web1'], cutoff - 3017 + i * 300, cutoff - 3017 + (i + 1) * 300 - 1)));
      assert.deepEqual(store.totals(['web1'], cutoff - 3017, 300, 40), windows, 'totals after retention');
      assert.ok(windows.some((sum) => sum > 0) && windows[0] === 0);
      await store.close();

      const dbs = openDatabases(path);
      assert.deepEqual(dbs.totals.getKeys().asArray, dbs.counts.getKeys().asArray, 'a total beside every bucket and none without one');
      const levelsSeen = new Set<number>();
      for (const [, level, start] of dbs.counts.getKeys()) {
        levelsSeen.add(level);
        assert.ok(start + LEVEL_SECONDS[level] > cutoff, `level ${level} bucket at ${start} ended before the cutoff ${cutoff}`);
      }
      // No day has ended inside a 2 h retention, so there is no day bucket to keep.
      assert.deepEqual([...levelsSeen].sort(), [0, 1, 2]);
      await dbs.env.close();

      store = openStackStore({ path, retentionSeconds: retention, clock: time.clock, maintenanceIntervalMs: 0 });
      const sizeAfter = async (cycles: number) => {
        for (let cycle = 0; cycle < cycles; cycle++) await runCycle();
        return (await stat(join(path, 'data.mdb'))).size;
      };
      const first = await sizeAfter(30);
      const second = await sizeAfter(30);
      assert.ok(second <= first * 1.1, `the file kept growing past retention: ${first} then ${second} bytes`);
      await store.close();
    }));

  it('maps its file once however much the file grows, so no page is resident twice', { skip: process.platform !== 'linux' && 'reads /proc/self/maps' }, () =>
    withTempFolder(async (path) => {
      const store = openStackStore({ path, retentionSeconds: DAY, clock: manualClock(START + 600).clock, maintenanceIntervalMs: 0 });
      // 8 MB of distinct stacks: lmdb-js's own first map is 128 KB, which this outgrows six times over.
      const random = prng(3);
      for (let write = 0; write < 8; write++) {
        await store.write('web1', START + write, new Map(Array.from({ length: 4000 }, (_, i) => [`main;stack_${write}_${i};${incompressibleText(random, 240)}`, 1])));
      }
      assert.ok((await stat(join(path, 'data.mdb'))).size > 8 * 1024 * 1024);
      const maps = (await readFile('/proc/self/maps', 'utf8')).split('\n').filter((line) => line.endsWith(join(path, 'data.mdb')));
      assert.equal(maps.length, 1, maps.join('\n'));
      await store.close();
    }));

  it('shares its folder with a second store, which reads what the first wrote; hosts and status round-trip', () =>
    withTempFolder(async (path) => {
      const options = { path, retentionSeconds: DAY, clock: manualClock(START + 600).clock, maintenanceIntervalMs: 0 };
      const first = openStackStore(options);
      const second = openStackStore(options);
      await first.write('web2', START, new Map([['a;b', 5]]));
      await second.write('web2', START, new Map([['a;b', 1], ['a;c', 2]]));
      await first.recordSuccess('web1', START + 1);
      await first.recordError('web1', START + 2, 'connect ECONNREFUSED 10.0.0.5:8000');
      await second.recordSuccess('batch', START + 3);
      assert.deepEqual(sorted(second.read(['web2'], START, START)), [['a;b', 6], ['a;c', 2]]);
      assert.deepEqual(sorted(first.read(['web2'], START, START)), [['a;b', 6], ['a;c', 2]]);
      assert.deepEqual(second.hosts(), ['batch', 'web1', 'web2']);
      assert.deepEqual(second.status('web1'), { lastSuccess: START + 1, lastError: { time: START + 2, reason: 'connect ECONNREFUSED 10.0.0.5:8000' } });
      assert.deepEqual(first.status('web2'), { lastSuccess: null, lastError: null });
      await first.close();
      await second.maintain();
      assert.deepEqual(sorted(second.read(['web2'], 0, START + 600)), [['a;b', 6], ['a;c', 2]]);
      await second.close();
      await assert.rejects(second.write('web2', START, new Map([['a', 1]])), /closed/);
    }));

  it('rolls up a fleet whose catch-up spans several maintenance transactions, every host exactly', () =>
    withTempFolder(async (path) => {
      const random = prng(7);
      const time = manualClock(START + 2 * 3600);
      const store = openStackStore({ path, retentionSeconds: DAY, clock: time.clock, maintenanceIntervalMs: 0 });
      const hosts = Array.from({ length: 25 }, (_, i) => `web${i}`);
      const written: WrittenCollection[] = [];
      const writes: Array<Promise<void>> = [];
      for (let at = START; at < START + 3600; at += 10) {
        for (const host of hosts) {
          const stacks = new Map([[`main;handler${Math.floor(random() * 40)}`, 1 + Math.floor(random() * 3)], ['main;idle', 1]]);
          written.push({ host, time: at, stacks });
          writes.push(store.write(host, at, stacks));
        }
      }
      await Promise.all(writes);
      await store.maintain();
      for (const host of hosts) {
        assert.deepEqual(sorted(store.read([host], START, START + 3599)), sorted(expectedSum(written, [host], START, START + 3599)), host);
        assert.deepEqual(sorted(store.read([host], START + 55, START + 1805)), sorted(expectedSum(written, [host], START + 55, START + 1805)), host);
      }
      await store.close();
      const dbs = openDatabases(path);
      const hourBuckets = dbs.counts.getKeys().filter(([, level]) => level === 2).map(([host]) => host);
      assert.deepEqual([...hourBuckets].sort(), [...hosts].sort(), 'one hour bucket per host');
      await dbs.env.close();
    }));

  it('stores no minute bucket for a minute of one collection, yet builds its hours and reads it exactly', () =>
    withTempFolder(async (path) => {
      const random = prng(11);
      const time = manualClock(START + 2 * 3600 + 60);
      const store = openStackStore({ path, retentionSeconds: DAY, clock: time.clock, maintenanceIntervalMs: 0 });
      const written: WrittenCollection[] = [];
      const write = (at: number) => {
        const stacks = new Map([[`main;job${Math.floor(random() * 5)}`, 1 + Math.floor(random() * 4)], ['main;idle', 2]]);
        written.push({ host: 'web', time: at, stacks });
        return store.write('web', at, stacks);
      };
      for (let minute = 0; minute < 120; minute++) await write(START + minute * 60 + 13);
      await store.maintain();
      const levelsStored = async () => {
        const dbs = openDatabases(path);
        const levels = Array.from(dbs.counts.getKeys(), ([, level]) => level);
        await dbs.env.close();
        return [0, 1, 2].map((level) => levels.filter((stored) => stored === level).length);
      };
      assert.deepEqual(await levelsStored(), [120, 0, 2], 'seconds, minutes, hours stored');
      // A late write into a minute already rolled up: that minute then holds two seconds, still read through them.
      await write(START + 30 * 60 + 41);
      await write(START + 31 * 60 + 13);
      assert.deepEqual(await levelsStored(), [121, 0, 2]);
      for (const [from, until] of [[START, START + 7199], [START + 60, START + 3659], [START + 1800, START + 1900], [START + 3600, START + 7199]]) {
        assert.deepEqual(sorted(store.read(['web'], from, until)), sorted(expectedSum(written, ['web'], from, until)), `${from}..${until}`);
      }
      const expected = Array.from({ length: 12 }, (_, i) => total(expectedSum(written, ['web'], START + i * 600, START + (i + 1) * 600 - 1)));
      assert.deepEqual(store.totals(['web'], START, 600, 12), expected);
      await store.close();
    }));

  it('upgrades a format-3 folder in place: its empty stand-in buckets go, and every read and total stays the same', () =>
    withTempFolder(async (path) => {
      const random = prng(12);
      const time = manualClock(START + 2 * 3600 + 60);
      const options = { path, retentionSeconds: DAY, clock: time.clock, maintenanceIntervalMs: 0 };
      let store = openStackStore(options);
      const written: WrittenCollection[] = [];
      for (let minute = 0; minute < 120; minute++) {
        const stacks = new Map([[`main;job${Math.floor(random() * 5)}`, 1 + Math.floor(random() * 4)], ['main;idle', 2]]);
        written.push({ host: 'web', time: START + minute * 60 + 13, stacks });
        await store.write('web', START + minute * 60 + 13, stacks);
      }
      await store.maintain();
      await store.close();
      // As format 3 left it: beside each lone second, an empty minute bucket standing in for it, with that second's total.
      let dbs = openDatabases(path);
      const seconds = Array.from(dbs.counts.getKeys({ start: ['web', 0, 0], end: ['web', 1, 0] }));
      await dbs.env.transaction(() => {
        for (const [, , second] of seconds) {
          const minute = second - (second % 60);
          dbs.counts.put(['web', 1, minute], Buffer.alloc(0));
          dbs.totals.put(['web', 1, minute], dbs.totals.get(['web', 0, second])!);
        }
        dbs.meta.put('countsFormat', 3);
      });
      await dbs.env.close();

      store = openStackStore(options);
      for (const [from, until] of [[START, START + 7199], [START + 60, START + 3659], [START + 1800, START + 1900], [START + 3600, START + 7199]]) {
        assert.deepEqual(sorted(store.read(['web'], from, until)), sorted(expectedSum(written, ['web'], from, until)), `${from}..${until}`);
      }
      const expected = Array.from({ length: 12 }, (_, i) => total(expectedSum(written, ['web'], START + i * 600, START + (i + 1) * 600 - 1)));
      assert.deepEqual(store.totals(['web'], START, 600, 12), expected);
      await store.close();
      dbs = openDatabases(path);
      assert.equal(dbs.meta.get('countsFormat'), 5);
      assert.equal(dbs.counts.getKeysCount({ start: ['web', 1, 0], end: ['web', 2, 0] }), 0, 'no minute bucket left');
      assert.equal(dbs.totals.getKeysCount({ start: ['web', 1, 0], end: ['web', 2, 0] }), 0, 'no minute total left');
      assert.equal(dbs.counts.getKeysCount(), 122, '120 seconds and 2 hours kept');
      await dbs.env.close();
    }));

  it('refuses, untouched, a folder whose counts were packed in another format', () =>
    withTempFolder(async (path) => {
      const options = { path, retentionSeconds: DAY, clock: manualClock(START).clock, maintenanceIntervalMs: 0 };
      const store = openStackStore(options);
      await store.write('web1', START, new Map([['a;b', 5]]));
      await store.close();
      const dbs = openDatabases(path);
      await dbs.meta.remove('countsFormat'); // as a folder written before formats were recorded
      await dbs.env.close();
      assert.throws(() => openStackStore(options), /is in format 1, but this version reads format 5/);
      let env = open({ path });
      await env.openDB({ name: 'meta' }).put('countsFormat', 2); // as a folder written before totals were kept beside buckets
      await env.close();
      assert.throws(() => openStackStore(options), /is in format 2, but this version reads format 5/);
      env = open({ path });
      assert.equal(env.openDB({ name: 'counts', encoding: 'binary' }).getKeysCount(), 1);
      assert.equal(env.openDB({ name: 'meta' }).get('countsFormat'), 2);
      await env.close();
    }));
});
