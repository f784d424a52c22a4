import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { startFakeSampler } from '../support/fake-sampler.js';
import { getJson, startServer } from '../support/server-process.js';

const SECRET = 'tick';

test('scheduled pulls of a host happen on the interval and never overlap, even when the host is slower than the interval', async () => {
  // Each answer takes 1.5 s while the interval is 1 s: overlapping pulls would show two requests at once.
  const slow = await startFakeSampler(async (_req, res) => {
    await sleep(1500);
    res.writeHead(200).end(JSON.stringify({ stacks: [{ frame: 'slow(app)', count: 1 }] }));
  });
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${slow.hostPort}\ninterval = 1\ntimeout = 5\n`);
  try {
    await sleep(5000);
    const runs = slow.requests.length;
    assert.ok(runs >= 2, `expected at least 2 scheduled runs in 5 s, saw ${runs}`);
    assert.ok(runs <= 4, `a host's pulls wait for each other: at most one per 1.5 s, saw ${runs}`);
    assert.equal(slow.maxActive, 1);
    // A manual collection during a scheduled one never starts a second pull of the host.
    await getJson(`${server.url}/collector/`);
    assert.equal(slow.maxActive, 1);
  } finally {
    await server.stop();
    await slow.close();
  }
});

test('SIGTERM during a collection exits 0 and leaves no partial write', async () => {
  let answer: () => void = () => undefined;
  const hanging = await startFakeSampler(
    (_req, res) =>
      new Promise<void>((resolve) => {
        answer = () => {
          res.writeHead(200).end(JSON.stringify({ stacks: [{ frame: 'late(app)', count: 1 }] }));
          resolve();
        };
      }),
  );
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hanging.hostPort}\ninterval = 3600\ntimeout = 30\n`);
  try {
    const collection = fetch(`${server.url}/collector/`).catch(() => null);
    while (hanging.requests.length === 0) await sleep(20);
    const exitCode = await server.stop('SIGTERM');
    answer();
    await collection;
    assert.equal(exitCode, 0);
    assert.ok(server.logs.some((line) => line.msg === 'stopped'));
    const store = openStackStore({ path: server.dbpath, retentionSeconds: 86400, maintenanceIntervalMs: 0 });
    assert.equal(store.read([hanging.hostPort], 0, Date.now() / 1000 + 60).size, 0);
    await store.close();
  } finally {
    await hanging.close();
  }
});
