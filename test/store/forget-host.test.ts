import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUCKETS_PER_TRANSACTION } from '../../src/store/forget-host.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { expectedSum, manualClock, prng, sorted, withTempFolder, type WrittenCollection } from './store-fixtures.js';

const DAY = 86_400;
const START = 1_700_006_400; // a UTC midnight

const sumOf = (counts: Map<string, number>) => [...counts.values()].reduce((sum, count) => sum + count, 0);

describe('forgetting a host', () => {
  it('deletes its samples at every level, its rollups and status; other hosts read exactly as before', () =>
    withTempFolder(async (path) => {
      const random = prng(7);
      const span = 3 * DAY;
      const time = manualClock(START + span);
      const store = openStackStore({ path, retentionSeconds: 30 * DAY, clock: time.clock, maintenanceIntervalMs: 0 });
      const written: WrittenCollection[] = [];
      // The hosts share stacks: the dictionary entries of the forgotten one must stay for the others.
      const stacks = ['main;a', 'main;b', 'main;b;c', 'typo;only'];
      for (let i = 0; i < 600; i++) {
        const host = ['web1', 'web2', 'typo-host'][i % 3];
        const at = START + Math.floor(random() * span);
        const collection = new Map([[stacks[i % 3], 1 + Math.floor(random() * 50)]]);
        if (host === 'typo-host') collection.set('typo;only', 3);
        written.push({ host, time: at, stacks: collection });
        await store.write(host, at, collection);
      }
      await store.recordSuccess('typo-host', START + span - 5);
      await store.recordError('typo-host', START + span - 1, 'connect ECONNREFUSED');
      await store.maintain();
      const others = ['web1', 'web2'];
      const ranges: Array<[number, number]> = [[START, START + span], [START + 3600, START + DAY + 59], [START + 7, START + 8]];
      const before = ranges.map(([from, until]) => store.read(others, from, until));
      const totalsBefore = store.totals(others, START, 3600, 72);

      const forgotten = await store.forget('typo-host');

      const typoSamples = sumOf(expectedSum(written, ['typo-host'], START, START + span));
      assert.equal(forgotten.samples, typoSamples);
      assert.ok(forgotten.buckets > 200, `${forgotten.buckets} buckets, of several levels`);
      assert.equal(forgotten.transactions, 1);
      assert.deepEqual(store.hosts(), ['web1', 'web2']);
      assert.deepEqual(store.status('typo-host'), { lastSuccess: null, lastError: null });
      assert.deepEqual(store.read(['typo-host'], START, START + span), new Map());
      assert.deepEqual(store.totals(['typo-host'], START, DAY, 3), [0, 0, 0]);
      assert.equal(store.firstTime(['typo-host']), null);
      assert.deepEqual(store.sampleTimes('typo-host', START + span, 5), []);
      ranges.forEach(([from, until], i) => {
        assert.deepEqual(sorted(store.read(others, from, until)), sorted(expectedSum(written, others, from, until)), `${from}..${until}`);
        assert.deepEqual(sorted(store.read(others, from, until)), sorted(before[i]));
      });
      assert.deepEqual(store.totals(others, START, 3600, 72), totalsBefore);
      // Maintenance has nothing of it to bring back, and the name can be used afresh.
      await store.maintain();
      assert.deepEqual(store.hosts(), ['web1', 'web2']);
      await store.write('typo-host', START + span, new Map([['main;a', 2]]));
      assert.deepEqual(sorted(store.read(['typo-host'], START, START + span)), [['main;a', 2]]);
      await store.close();
    }));

  it('deletes a host with more buckets than one transaction takes across several, and leaves a host whose name extends it', () =>
    withTempFolder(async (path) => {
      const count = BUCKETS_PER_TRANSACTION + 300;
      const time = manualClock(START + count);
      const store = openStackStore({ path, retentionSeconds: 30 * DAY, clock: time.clock, maintenanceIntervalMs: 0 });
      await Promise.all(Array.from({ length: count }, (_, i) => store.write('old', START + i, new Map([['main;a', 1]]))));
      await store.write('old2', START, new Map([['main;a', 5]]));
      await store.write('ol', START, new Map([['main;a', 7]]));
      await store.maintain();

      const forgotten = await store.forget('old');

      assert.equal(forgotten.samples, count);
      assert.ok(forgotten.buckets > count, `${forgotten.buckets} buckets: every second's, and the coarser ones`);
      assert.equal(forgotten.transactions, Math.ceil((forgotten.buckets + 1) / BUCKETS_PER_TRANSACTION));
      assert.ok(forgotten.transactions >= 2);
      assert.deepEqual(store.hosts(), ['ol', 'old2']);
      assert.deepEqual(store.read(['old'], START, START + count), new Map());
      assert.deepEqual(sorted(store.read(['old2', 'ol'], START, START + count)), [['main;a', 12]]);
      await store.close();
    }));

  it('of a host it never stored forgets nothing in one transaction', () =>
    withTempFolder(async (path) => {
      const store = openStackStore({ path, retentionSeconds: DAY, clock: manualClock(START).clock, maintenanceIntervalMs: 0 });
      await store.write('web1', START, new Map([['main', 1]]));
      assert.deepEqual(await store.forget('nobody'), { buckets: 0, samples: 0, transactions: 1 });
      assert.deepEqual(store.hosts(), ['web1']);
      await store.close();
    }));
});
