import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import express from 'express';
import { createCollector, type Collector } from '../../src/collector/collector.js';
import { collectorRoutes } from '../../src/collector/routes.js';
import { jsonErrorHandler } from '../../src/http-error.js';
import { createMetrics } from '../../src/operability/metrics.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { StoreWriteError, type StackStore } from '../../src/store/stack-store.js';
import { captureLog } from '../support/capture-log.js';
import { liveprofilerHandler, startFakeSampler, type FakeSampler } from '../support/fake-sampler.js';
import { getJson } from '../support/server-process.js';
import { tempFolder } from '../support/temp-folder.js';

const SECRET = 'store-failure-s3cr3t';
const NOW = 1_714_564_800;

/** What the injected store does to each kind of write. */
interface Faults {
  write: Error | null;
  status: Error | null;
}

/** A real LMDB store whose writes fail on demand, as a full or broken disk makes them fail. */
function faultyStore(inner: StackStore, faults: Faults): StackStore {
  const failWith = <T>(fault: Error | null, write: () => Promise<T>): Promise<T> => (fault ? Promise.reject(fault) : write());
  return {
    write: (host, time, stacks) => failWith(faults.write, () => inner.write(host, time, stacks)),
    recordSuccess: (host, time) => failWith(faults.status, () => inner.recordSuccess(host, time)),
    recordError: (host, time, reason) => failWith(faults.status, () => inner.recordError(host, time, reason)),
    read: (hosts, from, until) => inner.read(hosts, from, until),
    readIds: (hosts, from, until) => inner.readIds(hosts, from, until),
    stackOfId: (id) => inner.stackOfId(id),
    totals: (hosts, from, step, steps) => inner.totals(hosts, from, step, steps),
    firstTime: (hosts) => inner.firstTime(hosts),
    sampleTimes: (host, until, limit) => inner.sampleTimes(host, until, limit),
    sampleSpan: (hosts, from, until) => inner.sampleSpan(hosts, from, until),
    readLatest: () => inner.readLatest(),
    revision: (host) => inner.revision(host),
    hostsRevision: () => inner.hostsRevision(),
    hosts: () => inner.hosts(),
    status: (host) => inner.status(host),
    maintain: () => inner.maintain(),
    forget: (host) => failWith(faults.write, () => inner.forget(host)),
    checkHealth: () => failWith(faults.write, () => inner.checkHealth()),
    close: () => inner.close(),
  };
}

const NO_SPACE = new StoreWriteError('no space left for the store (ENOSPC: No space left on device)', 'out of space', true);

describe('a store that cannot write, seen from the collector and /ingest', () => {
  const faults: Faults = { write: null, status: null };
  const { log, lines } = captureLog();
  let folder: string;
  let inner: StackStore;
  let sampler: FakeSampler;
  let collector: Collector;
  let server: Server;
  let url: string;

  before(async () => {
    folder = tempFolder('store-failure');
    const clock = () => NOW * 1000;
    const metrics = createMetrics({ storePath: join(folder, 'db') });
    inner = openStackStore({ path: join(folder, 'db'), retentionSeconds: 86400, clock, maintenanceIntervalMs: 0 });
    const store = faultyStore(inner, faults);
    sampler = await startFakeSampler(liveprofilerHandler(SECRET, () => JSON.stringify({ stacks: [{ frame: 'main;pulled', count: 3 }] })));
    const hosts = ['web1', 'web2', 'web3'].map((name) => ({ name, url: `${sampler.origin}/liveprofiler` }));
    collector = createCollector({ hosts, secret: SECRET, timeoutMs: 5000, maxBodyBytes: 1 << 20, maxStacks: 100_000, maxConcurrent: 8, maxBufferedBytes: 8 << 20, store, log, clock, metrics });
    const app = express();
    app.use(collectorRoutes({ collector, store, log, clock, secret: SECRET, maxBodyBytes: 1 << 20, retentionSeconds: 86400, maxStacks: 100_000, metrics, configuredHosts: [] }));
    app.use(jsonErrorHandler(log));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    faults.write = null;
    faults.status = null;
    lines.length = 0;
  });
  after(async () => {
    await collector.close();
    await new Promise((resolve) => server.close(resolve));
    await sampler.close();
    await inner.close();
  });

  const push = (host: string, body: string) =>
    getJson(`${url}/ingest?host=${host}&time=${NOW}`, { method: 'POST', body, headers: { 'Profiler-Token': SECRET } });

  test('a full disk: /ingest answers 507 with the reason, every host reports it, and nothing is logged per host', async () => {
    faults.write = NO_SPACE;
    faults.status = NO_SPACE;
    const pushed = await push('pusher', 'main;pushed 5\n');
    assert.equal(pushed.status, 507);
    assert.equal(pushed.body.error, `store write failed: ${NO_SPACE.message}`);
    for (let tick = 0; tick < 3; tick++) {
      const report = await collector.tick();
      assert.deepEqual(report.hosts.map((host) => host.error), Array(3).fill(`store write failed: ${NO_SPACE.message}`));
    }
    // The store logs a failed commit once per kind; the collector adds nothing per host and tick.
    assert.deepEqual(lines.filter((line) => (line.level as number) >= 40), []);
    assert.deepEqual(inner.read(['pusher', 'web1'], 0, NOW), new Map());
  });

  test('another store failure is a 503, logged with the host', async () => {
    faults.write = new Error('store is corrupt: stack id 7 is not in the dictionary');
    const pushed = await push('pusher', 'main;pushed 5\n');
    assert.equal(pushed.status, 503);
    assert.match(pushed.body.error, /^store write failed: store is corrupt/);
    assert.deepEqual(
      lines.filter((line) => line.msg === 'collection failed').map((line) => line.host),
      ['pusher'],
    );
    faults.write = new StoreWriteError('the commit failed: MDB_PANIC', 'code -30795', false);
    assert.equal((await push('pusher', 'main;pushed 5\n')).status, 503);
  });

  test('writes resume by themselves, and a status that cannot be recorded does not fail stored samples', async () => {
    faults.status = NO_SPACE;
    const pushed = await push('resumed', 'main;pushed 5\n');
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.equal(pushed.body.error, null);
    const report = await collector.tick();
    assert.deepEqual(report.hosts.map((host) => host.error), [null, null, null]);
    assert.deepEqual([...inner.read(['resumed'], NOW, NOW)], [['main;pushed', 5]]);
    assert.deepEqual([...inner.read(['web1', 'web2', 'web3'], NOW, NOW)], [['main;pulled', 9]]);
  });

  test('forgetting a host the store cannot delete from answers 507 (or 503) with the reason; the host stays', async () => {
    await inner.write('typo', NOW, new Map([['main', 1]]));
    const forget = () => getJson(`${url}/hosts/typo`, { method: 'DELETE', headers: { 'Profiler-Token': SECRET } });
    faults.write = NO_SPACE;
    assert.deepEqual(await forget(), { status: 507, body: { error: `could not forget typo, some of its samples may be left: ${NO_SPACE.message}` } });
    faults.write = new StoreWriteError('the commit failed: MDB_PANIC', 'code -30795', false);
    assert.equal((await forget()).status, 503);
    assert.ok(inner.hosts().includes('typo'));
    faults.write = null;
    assert.equal((await forget()).status, 200);
  });

  test('a body the server cannot read stays a 400', async () => {
    assert.equal((await push('pusher', '<html>nope</html>')).status, 400);
  });
});
