import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { totalSamples } from '../../src/profile/stack-counts.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { openRawConnection, within } from '../support/raw-connection.js';
import { startServer } from '../support/server-process.js';

const SECRET = 'shutdown-s3cr3t';
const STACKS = 3000;
/** A push of STACKS distinct stacks: stack i counted i + 1 times. */
const BODY = Array.from({ length: STACKS }, (_, i) => `main(job);step${i}(job);work(job) ${i + 1}`).join('\n');
const SAMPLES = (STACKS * (STACKS + 1)) / 2;

function pushHead(host: string, time: number): string {
  return (
    `POST /ingest?host=${host}&time=${time} HTTP/1.1\r\nHost: 127.0.0.1\r\nProfiler-Token: ${SECRET}\r\n` +
    `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(BODY)}\r\n\r\n`
  );
}

describe('shutting down (real server, SIGTERM)', () => {
  test('a push in flight gets its 200 and its data is stored; a new request on a kept-alive connection gets 503', async () => {
    const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\n[server]\nshutdown_grace = 20\n`);
    const time = Math.floor(Date.now() / 1000) - 60;
    const push = await openRawConnection(server.port);
    push.socket.write(pushHead('slowpush', time) + BODY.slice(0, BODY.length / 2));
    // A kept-alive connection whose next request has begun: not idle, so not closed at once.
    const keptAlive = await openRawConnection(server.port);
    keptAlive.socket.write('GET /hosts HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await sleep(1000); // both partial requests reach the server and are parsed, so neither connection is idle

    const exited = server.stop('SIGTERM');
    await server.waitForLog('shutting down');
    keptAlive.socket.write('\r\n');
    const refused = await keptAlive.waitFor(/"error":"shutting down"\}/, 10_000);
    assert.match(refused, /^HTTP\/1\.1 503 /);
    assert.match(refused, /\r\nconnection: close\r\n/i);
    assert.match(refused, /\r\ncontent-security-policy: /i);

    push.socket.write(BODY.slice(BODY.length / 2));
    const answer = await push.waitFor(/"error":null\}$/, 10_000);
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.match(answer, /\r\nconnection: close\r\n/i, 'the client is told not to reuse the connection');
    assert.match(answer, new RegExp(`"stacks":${STACKS},"samples":${SAMPLES},`));
    assert.equal(await exited, 0, server.stderr());
    assert.ok(!server.logs.some((line) => line.msg?.toString().includes('dropped')));

    const store = openStackStore({ path: server.dbpath, retentionSeconds: 86400, maintenanceIntervalMs: 0 });
    try {
      const stored = store.read(['slowpush'], time, time);
      assert.equal(stored.size, STACKS);
      assert.equal(totalSamples(stored), SAMPLES);
    } finally {
      await store.close();
    }
  });

  test('a request still unfinished when [server] shutdown_grace ends is dropped, and the server exits 0', async () => {
    const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\n[server]\nshutdown_grace = 1\n`);
    const stuck = await openRawConnection(server.port);
    stuck.socket.write(pushHead('stuck', Math.floor(Date.now() / 1000)) + BODY.slice(0, 100));
    await sleep(300);
    assert.equal(await within(server.stop('SIGTERM'), 10_000, 'exit after the grace'), 0, server.stderr());
    await within(stuck.closed, 1_000, 'the stuck connection closed');
    const dropped = await server.waitForLog('requests still running after [server] shutdown_grace were dropped', 0).catch(() => null);
    assert.equal(dropped?.dropped, 1);
  });
});
