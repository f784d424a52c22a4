import assert from 'node:assert/strict';
import { globalAgent } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createCollector } from '../../src/collector/collector.js';
import { createMetrics } from '../../src/operability/metrics.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { captureLog } from '../support/capture-log.js';
import { liveprofilerHandler, startFakeSampler } from '../support/fake-sampler.js';
import { tempFolder } from '../support/temp-folder.js';

const SECRET = 'pull-starts-s3cr3t';
const HOSTS = 20;

/** Requests to `hostPort` the default agent (node-fetch's) holds: on a socket, or waiting for one. */
function requestsTo(hostPort: string): number {
  const count = (lists: NodeJS.ReadOnlyDict<unknown[]>) => Object.entries(lists).filter(([name]) => name.startsWith(`${hostPort}:`)).reduce((sum, [, list]) => sum + (list?.length ?? 0), 0);
  return count(globalAgent.sockets) + count(globalAgent.requests);
}

test("a tick's pulls are sent one per turn of the event loop, not all in the turn that starts the round", async () => {
  const folder = tempFolder('pull-starts');
  const store = openStackStore({ path: join(folder, 'db'), retentionSeconds: 86400, maintenanceIntervalMs: 0 });
  const sampler = await startFakeSampler(liveprofilerHandler(SECRET, () => JSON.stringify({ stacks: [{ frame: 'main;pulled', count: 3 }] })));
  const hosts = Array.from({ length: HOSTS }, (_, i) => ({ name: `web${i}`, url: `${sampler.origin}/liveprofiler` }));
  const metrics = createMetrics({ storePath: join(folder, 'db') });
  const collector = createCollector({ hosts, secret: SECRET, timeoutMs: 5000, maxBodyBytes: 1 << 20, maxStacks: 1000, maxConcurrent: HOSTS, maxBufferedBytes: 8 << 20, store, log: captureLog().log, clock: Date.now, metrics });
  try {
    const round = collector.tick();
    // The turn that started the round, then the next: at most one request apiece.
    await nextTurn();
    assert.ok(requestsTo(sampler.hostPort) <= 2, `${requestsTo(sampler.hostPort)} requests sent in the round's first turns`);
    const report = await round;
    assert.deepEqual(report.hosts.map((host) => host.error), new Array(HOSTS).fill(null));
  } finally {
    await collector.close();
    await sampler.close();
    await store.close();
  }
});
