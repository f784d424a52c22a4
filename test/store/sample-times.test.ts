import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { manualClock, withTempFolder } from './store-fixtures.js';

const START = 1_700_006_400; // a UTC midnight

it('sampleTimes lists the seconds collections were stamped with, newest first, up to until, rolled up or not', () =>
  withTempFolder(async (path) => {
    const time = manualClock(START + 3 * 86400);
    const store = openStackStore({ path, retentionSeconds: 30 * 86400, clock: time.clock, maintenanceIntervalMs: 0 });
    for (let minute = 0; minute < 100; minute++) await store.write('web', START + minute * 60, new Map([['main;tick', 1]]));
    await store.write('web', START + 30.5, new Map([['main;tick', 1]])); // a fraction belongs to its whole second
    await store.write('web', START + 30, new Map([['main;tock', 1]])); // the same second again counts once
    await store.write('other', START + 45, new Map([['main;tick', 1]]));

    for (const round of ['before maintain', 'after maintain']) {
      assert.deepEqual(store.sampleTimes('web', START + 99 * 60, 3), [START + 99 * 60, START + 98 * 60, START + 97 * 60], round);
      assert.deepEqual(store.sampleTimes('web', START + 99 * 60 - 1, 2), [START + 98 * 60, START + 97 * 60], round);
      assert.deepEqual(store.sampleTimes('web', START + 60, 10), [START + 60, START + 30, START], round);
      assert.deepEqual(store.sampleTimes('web', START - 1, 10), [], round);
      assert.deepEqual(store.sampleTimes('web', START + 86400, 0), [], round);
      assert.equal(store.sampleTimes('web', START + 86400, 1000).length, 101, round);
      assert.deepEqual(store.sampleTimes('other', START + 86400, 10), [START + 45], round);
      assert.deepEqual(store.sampleTimes('nobody', START + 86400, 10), [], round);
      await store.maintain();
    }
    assert.throws(() => store.sampleTimes('web', START, -1), RangeError);
    await store.close();
  }));
