import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { createApp } from '../../src/app.js';
import { createCollector } from '../../src/collector/collector.js';
import { parseConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/log.js';
import { createMetrics } from '../../src/operability/metrics.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { STACK_CACHE_CHARS } from '../../src/store/stack-cache.js';
import type { StackStore } from '../../src/store/stack-store.js';
import { QueryPool } from '../../src/visualizer/query-pool.js';
import { manualClock, withTempFolder } from '../store/store-fixtures.js';
import { getJson } from '../support/server-process.js';

/** The whole app in-process over `store`, on a free loopback port. */
async function withApp(store: StackStore, clock: () => number, dbpath: string, run: (url: string) => Promise<void>): Promise<void> {
  const { config } = parseConfig(`[global]\ndbpath = ${dbpath}\n[collector]\nsecret_header = s\nhosts = 127.0.0.1:9\n`, path.join(dbpath, 'config.ini'));
  const log = createLogger('silent');
  const metrics = createMetrics({ storePath: dbpath });
  const collector = createCollector({ hosts: [], secret: 's', timeoutMs: 1000, maxBodyBytes: 1024, maxStacks: 1000, maxConcurrent: 1, maxBufferedBytes: 1024, store, log, clock, metrics });
  const queries = new QueryPool({ worker: { dbpath, retentionSeconds: 86400, configuredHosts: [], stackCacheChars: STACK_CACHE_CHARS }, size: 1, maxQueued: 1, timeoutMs: 10_000, log, metrics });
  const server = createApp({ config, store, collector, log, clock, sampler: null, metrics, queries }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await collector.close();
    await queries.close();
  }
}

test('GET /healthz answers 503 with the reason while the store cannot be written, and 200 again once it can, without a restart', () =>
  withTempFolder(async (folder) => {
    const time = manualClock(1_700_000_000);
    const lmdb = openStackStore({ path: folder, retentionSeconds: 86400, clock: time.clock, maintenanceIntervalMs: 0 });
    let diskFull = true;
    // The real store, with its write failing the way a full disk makes LMDB fail.
    const store: StackStore = Object.create(lmdb, {
      checkHealth: { value: () => (diskFull ? Promise.reject(new Error('MDB_MAP_FULL: Environment mapsize limit reached')) : lmdb.checkHealth()) },
    });
    try {
      await withApp(store, time.clock, folder, async (url) => {
        const failing = await getJson(`${url}/healthz`);
        assert.equal(failing.status, 503);
        assert.deepEqual(failing.body, { status: 'unavailable', reason: 'store check failed: MDB_MAP_FULL: Environment mapsize limit reached' });
        diskFull = false;
        // An answer stays fresh for a second, so polling /healthz hard costs at most one store write a second.
        assert.equal((await getJson(`${url}/healthz`)).status, 503);
        time.set(1_700_000_001);
        const recovered = await getJson(`${url}/healthz`);
        assert.equal(recovered.status, 200);
        assert.deepEqual(recovered.body, { status: 'ok' });
      });
    } finally {
      await lmdb.close();
    }
  }));

test('GET /healthz answers 503 once the real store is closed', () =>
  withTempFolder(async (folder) => {
    const time = manualClock(1_700_000_000);
    const store = openStackStore({ path: folder, retentionSeconds: 86400, clock: time.clock, maintenanceIntervalMs: 0 });
    await withApp(store, time.clock, folder, async (url) => {
      assert.equal((await getJson(`${url}/healthz`)).status, 200);
      await store.close();
      time.set(1_700_000_002);
      const closed = await getJson(`${url}/healthz`);
      assert.equal(closed.status, 503);
      assert.equal(closed.body.reason, 'store check failed: the stack store is closed');
    });
  }));
