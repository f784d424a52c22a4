import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { withTempFolder } from './store-fixtures.js';

test('checkHealth writes through a real LMDB store, leaves the samples alone, and refuses once the store is closed', () =>
  withTempFolder(async (path) => {
    const store = openStackStore({ path, retentionSeconds: 86400, maintenanceIntervalMs: 0 });
    // Stamped now: reads see only what is inside retention.
    await store.write('web1', Math.floor(Date.now() / 1000), new Map([['main;work', 3]]));
    await store.checkHealth();
    await store.checkHealth();
    assert.deepEqual([...store.read(['web1'], 0, 2_000_000_000)], [['main;work', 3]]);
    assert.deepEqual(store.hosts(), ['web1']);
    await store.close();
    await assert.rejects(store.checkHealth(), /the stack store is closed/);
  }));
