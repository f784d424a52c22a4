import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { prng } from '../store/store-fixtures.js';
import { liveprofilerHandler, startFakeSampler, type FakeSampler } from '../support/fake-sampler.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { tempFolder } from '../support/temp-folder.js';

const SECRET = 'kill-loop-s3cr3t';
const SAMPLERS = 20;
const KILLS = 10;
/** Every body holds stacks whose counts sum to this, plus one marker stack of count 1 naming the body. */
const BODY_TOTAL = 100;
const MARKER = 'marker;';

/** The stacks of one body: a few of ten stacks, their counts summing to BODY_TOTAL, and the body's own marker. */
function bodyStacks(random: () => number, marker: string): Array<[string, number]> {
  const stacks: Array<[string, number]> = [];
  let left = BODY_TOTAL;
  for (let i = 0; left > 0; i++) {
    const count = i === 9 ? left : Math.min(left, 1 + Math.floor(random() * 30));
    stacks.push([`main;handler${i};work${i % 3}`, count]);
    left -= count;
  }
  stacks.push([`${MARKER}${marker}`, 1]);
  return stacks;
}

/** What a host's stored samples say about the bodies stored: their markers, and whether every one is whole. */
function storedBodies(counts: ReadonlyMap<string, number>): { markers: Set<string>; whole: boolean } {
  const markers = new Set<string>();
  let total = 0;
  let markerTotal = 0;
  for (const [stack, count] of counts) {
    total += count;
    if (!stack.startsWith(MARKER)) continue;
    markers.add(stack.slice(MARKER.length));
    markerTotal += count;
  }
  return { markers, whole: markerTotal === markers.size && total === markers.size * (BODY_TOTAL + 1) };
}

describe('kill -9 while collecting and pushing', () => {
  const folder = tempFolder('kill-loop');
  const samplers: FakeSampler[] = [];
  after(async () => {
    for (const sampler of samplers) await sampler.close();
  });

  it(`loses nothing acknowledged and stores nothing partial over ${KILLS} SIGKILLs`, async (t) => {
    const started = performance.now();
    const random = prng(20_161_129);
    const served = new Map<string, number>();
    for (let i = 0; i < SAMPLERS; i++) {
      const host = `s${i}`;
      served.set(host, 0);
      samplers.push(
        await startFakeSampler(
          liveprofilerHandler(SECRET, () => {
            const n = served.get(host)! + 1;
            served.set(host, n);
            return JSON.stringify({ stacks: bodyStacks(random, `${host}:${n}`).map(([frame, count]) => ({ frame, count })) });
          }),
        ),
      );
    }
    const hosts = samplers.map((sampler, i) => `s${i}=${sampler.hostPort}`).join(', ');
    const config = `[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts}\ninterval = 1\n`;
    const dbpath = path.join(folder, 'db');

    // A client pushing all along, two bodies in flight, to whichever server is up.
    let server: ServerProcess | null = null;
    let pushing = true;
    let pushesSent = 0;
    const acknowledged: string[] = [];
    const pushLoop = async () => {
      while (pushing) {
        const target = server;
        if (target === null) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const marker = `push:${++pushesSent}`;
        const body = bodyStacks(random, marker).map(([stack, count]) => `${stack} ${count}`).join('\n');
        try {
          const response = await fetch(`${target.url}/ingest?host=pusher`, {
            method: 'POST',
            body,
            headers: { 'Profiler-Token': SECRET },
            signal: AbortSignal.timeout(3000),
          });
          if (response.status === 200) acknowledged.push(marker);
          else await response.arrayBuffer();
        } catch {
          // Killed mid-request: not acknowledged, so it may or may not be stored, but never in part.
        }
      }
    };
    const pushers = [pushLoop(), pushLoop()];

    try {
      for (let kill = 0; kill < KILLS; kill++) {
        server = await startServer(config, { dbpath });
        await new Promise((resolve) => setTimeout(resolve, 200 + random() * 1000));
        const up = server;
        server = null;
        assert.equal(await up.stop('SIGKILL'), 'SIGKILL', 'killed, not exited');
      }
      server = await startServer(config, { dbpath });
      await new Promise((resolve) => setTimeout(resolve, 1200));
    } finally {
      // A restart that fails ends the test with its error, not with the pushers polling for a server forever.
      pushing = false;
      await Promise.all(pushers);
    }
    const last = server;
    server = null;
    assert.equal(await last.stop('SIGTERM'), 0);

    const store = openStackStore({ path: dbpath, retentionSeconds: 86400, maintenanceIntervalMs: 0 });
    try {
      const until = Date.now() / 1000 + 60;
      let collections = 0;
      for (const [host, count] of served) {
        const { markers, whole } = storedBodies(store.read([host], 0, until));
        assert.ok(whole, `${host}: a collection stored in part`);
        assert.ok(markers.size <= count, `${host}: ${markers.size} collections stored, ${count} served`);
        collections += markers.size;
      }
      const pushed = storedBodies(store.read(['pusher'], 0, until));
      assert.ok(pushed.whole, 'a push stored in part');
      const lost = acknowledged.filter((marker) => !pushed.markers.has(marker));
      assert.deepEqual(lost, [], 'acknowledged pushes missing from the store');
      assert.ok(collections > 0 && acknowledged.length > 0);
      t.diagnostic(
        `${KILLS} kills; ${pushesSent} pushes sent, ${acknowledged.length} acknowledged, ${pushed.markers.size} stored; ` +
          `${collections} collections stored of ${[...served.values()].reduce((a, b) => a + b)} served; ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await store.close();
    }
  });
});
