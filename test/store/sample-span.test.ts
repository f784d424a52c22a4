import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { manualClock, withTempFolder } from './store-fixtures.js';

const START = 1_700_006_400; // a UTC midnight
const DAY = 86400;

it('sampleSpan gives the first and last second with samples of the hosts inside a range, rolled up or not, and follows retention', () =>
  withTempFolder(async (path) => {
    const time = manualClock(START + 3 * DAY);
    const store = openStackStore({ path, retentionSeconds: 4 * DAY, clock: time.clock, maintenanceIntervalMs: 0 });
    for (let minute = 0; minute < 100; minute++) await store.write('web', START + minute * 60, new Map([['main;tick', 1]]));
    await store.write('db', START + 45, new Map([['main;tick', 1]]));
    await store.write('db', START + 99 * 60 + 7, new Map([['main;tick', 1]]));

    for (const round of ['before maintain', 'after maintain']) {
      assert.deepEqual(store.sampleSpan(['web'], START, START + 99 * 60), { first: START, last: START + 99 * 60 }, round);
      assert.deepEqual(store.sampleSpan(['web'], START + 1, START + 99 * 60 - 1), { first: START + 60, last: START + 98 * 60 }, round);
      assert.deepEqual(store.sampleSpan(['web', 'db'], START + 1, START + DAY), { first: START + 45, last: START + 99 * 60 + 7 }, round);
      assert.deepEqual(store.sampleSpan(['db', 'db'], START + 46, START + 99 * 60 + 6), null, round);
      assert.deepEqual(store.sampleSpan(['web'], START + 61, START + 119), null, round);
      assert.deepEqual(store.sampleSpan(['nobody'], 0, START + DAY), null, round);
      assert.deepEqual(store.sampleSpan([], 0, START + DAY), null, round);
      await store.maintain();
    }
    // Retention: the horizon passes the first minutes without any write.
    time.set(START + 4 * DAY + 90);
    assert.deepEqual(store.sampleSpan(['web'], 0, START + DAY), { first: START + 120, last: START + 99 * 60 }, 'horizon at START + 90');
    time.set(START + 5 * DAY);
    assert.equal(store.sampleSpan(['web', 'db'], 0, START + 5 * DAY), null, 'everything past retention');
    await store.close();
  }));
