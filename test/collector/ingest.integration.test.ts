import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { openRawConnection, within } from '../support/raw-connection.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';
import { fixture, foldedDump } from './formats/folded-dump.js';

const SECRET = 'push-s3cr3t';
/** A backfill a day old: well inside the default 30-day retention. */
const BACKFILL_TIME = Math.floor(Date.now() / 1000) - 86400;

describe('POST /ingest', () => {
  let server: ServerProcess;
  const push = (query: string, body: RequestInit['body'], token: string | null = SECRET) =>
    getJson(`${server.url}/ingest?${query}`, { method: 'POST', body, headers: token === null ? {} : { 'Profiler-Token': token } });

  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\nmax_stacks = 1000\n`);
  });
  after(() => server.stop());

  test('stores a folded body at the given time and answers like /collector/ does for a host', async () => {
    const { status, body } = await push(`host=backfill&time=${BACKFILL_TIME}`, 'main(job);step(job) 7\nmain(job) 2\n');
    assert.equal(status, 200);
    assert.deepEqual(body, { host: 'backfill', entries: 2, stacks: 2, samples: 9, skipped: 0, skipped_reasons: {}, error: null });
  });

  test('stores a JSON body at now when no time is given', async () => {
    const { body } = await push('host=script', JSON.stringify({ stacks: [{ frame: 'a;b', count: 4 }] }));
    assert.equal(body.samples, 4);
  });

  test('refuses a wrong or missing secret with 403', async () => {
    assert.equal((await push('host=x', 'a 1', 'nope')).status, 403);
    assert.equal((await push('host=x', 'a 1', null)).status, 403);
  });

  test('refuses a stranger from the headers alone: 403 and a closed connection, the announced body never read', async () => {
    // 30 MB announced (under max_body_size, so only the secret can refuse it), a few bytes sent.
    const connection = await openRawConnection(server.port);
    connection.socket.write(
      'POST /ingest?host=bomb HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: gzip\r\n' +
        `Content-Length: ${30 * 1024 * 1024}\r\nProfiler-Token: nope\r\n\r\n\x1f\x8b\x08\x00`,
    );
    const answer = await connection.waitFor(/\r\n\r\n\{.*\}$/s, 10_000);
    assert.match(answer, /^HTTP\/1\.1 403 /);
    assert.match(answer, /\r\nconnection: close\r\n/i);
    assert.match(answer, /"error":"wrong or missing Profiler-Token"/);
    await within(connection.closed, 10_000, 'the server closes the connection instead of waiting for the body');
  });

  test('refuses a push older than the retention with 422 naming it, and stores nothing', async () => {
    const old = Math.floor(Date.now() / 1000) - 31 * 86400;
    const { status, body } = await push(`host=too-old&time=${old}`, 'a 1');
    assert.equal(status, 422);
    assert.match(body.error, /^time: \d+ is older than the retention \(\[global\] retention = 30d\)/);
    const { body: hosts } = await getJson(`${server.url}/hosts`);
    assert.ok(!JSON.stringify(hosts).includes('too-old'), 'the refused host is not listed');
  });

  test('refuses a time more than a few minutes ahead, and bad parameters, with a 400 naming them', async () => {
    const ahead = Math.floor(Date.now() / 1000) + 3600;
    const future = await push(`host=x&time=${ahead}`, 'a 1');
    assert.equal(future.status, 400);
    assert.match(future.body.error, /^time: .* in the future$/);
    assert.match((await push('host=x&time=yesterday', 'a 1')).body.error, /^time: cannot read/);
    assert.match((await push('time=1', 'a 1')).body.error, /^host: required/);
  });

  test('refuses a body in neither format with 400 and the reason', async () => {
    const { status, body } = await push('host=broken', '<html>nope</html>');
    assert.equal(status, 400);
    assert.match(body.error, /neither JSON nor folded/);
  });

  test('refuses a body that is not UTF-8, or whose frames hold control characters, whole and with the reason', async () => {
    for (const [fixturePath, reason] of [
      ['folded/latin1.txt', 'body is not UTF-8 text (nor a binary format we read)'],
      ['folded/control-characters.txt', 'entry 2: a frame holds the unprintable character U+001B; the body is refused'],
      ['folded/bidi-override.txt', 'entry 2: a frame holds the unprintable character U+202E; the body is refused'],
      ['liveprofiler-json/control-characters.json', 'entry 2: a frame holds the unprintable character U+0000; the body is refused'],
    ]) {
      const { status, body } = await push('host=garbage', readFileSync(fixture(fixturePath)));
      assert.equal(status, 400, fixturePath);
      assert.equal(body.error, reason);
    }
  });

  test('skips counts above 2^32 and stacks deeper than 10,000 frames, counting each reason', async () => {
    const deep = Array.from({ length: 10_001 }, (_, i) => `f${i}`).join(';');
    const { status, body } = await push(`host=bounds&time=${BACKFILL_TIME}`, `${readFileSync(fixture('folded/counts-beyond-2-32.txt'), 'utf8')}${deep} 1\n${deep.slice(deep.indexOf(';') + 1)} 1\n`);
    assert.equal(status, 200);
    assert.deepEqual(body, {
      host: 'bounds', entries: 3, stacks: 3, samples: 4294967299, skipped: 4,
      skipped_reasons: { 'more than 4294967296 samples of one stack': 1, 'count is not a whole number from 0 to 4294967296': 2, 'deeper than 10000 frames': 1 },
      error: null,
    });
  });

  test('sums of the largest counts accepted stay exact in /profile and /timeline', async () => {
    const time = BACKFILL_TIME + 100;
    for (let round = 0; round < 3; round++) assert.equal((await push(`host=exact&time=${time}`, 'big 4294967296\n')).status, 200);
    const skipped = await push(`host=exact&time=${time}`, `big ${Number.MAX_SAFE_INTEGER}\n`);
    assert.deepEqual(skipped.body.skipped_reasons, { 'count is not a whole number from 0 to 4294967296': 1 });
    const profile = await getJson(`${server.url}/profile/exact/?from=${time}&until=${time}`);
    const timeline = await getJson(`${server.url}/timeline/exact/?from=${time - 59}&until=${time}`);
    assert.equal(profile.body.value, 3 * 2 ** 32);
    assert.equal(timeline.body.samples.reduce((sum: number, samples: number) => sum + samples, 0), 3 * 2 ** 32);
  });

  test('refuses a body with more distinct stacks than [collector] max_stacks, storing nothing', async () => {
    const lines = (count: number) => Array.from({ length: count }, (_, i) => `main;s${i} 1`).join('\n');
    assert.equal((await push(`host=many&time=${BACKFILL_TIME}`, lines(1000))).body.stacks, 1000);
    const { status, body } = await push(`host=many&time=${BACKFILL_TIME + 1}`, lines(1001));
    assert.equal(status, 400);
    assert.equal(body.error, 'more than 1000 distinct stacks in one body (the [collector] max_stacks limit); the body is refused');
  });

  test('checks host names: printable, bounded, not _all or a dot segment; "/" and markup are plain text', async () => {
    for (const [name, reason] of [
      ['_all', 'host: the name is reserved for all hosts merged'],
      ['..', 'host: the name cannot be a URL path segment'],
      ['web\u0000', 'host: the name holds the unprintable character U+0000'],
      ['\u202eweb', 'host: the name holds the unprintable character U+202E'],
      ['x'.repeat(201), 'host: the name is longer than 200 characters'],
      [' web', 'host: the name starts or ends with white space'],
    ]) {
      const { status, body } = await push(`host=${encodeURIComponent(name)}`, 'a 1');
      assert.equal(status, 400, JSON.stringify(name));
      assert.equal(body.error, reason);
    }
    for (const name of ['../x', '<script>alert(1)</script>', 'ünïcödé 主机']) {
      assert.equal((await push(`host=${encodeURIComponent(name)}`, 'main(app) 3')).status, 200, name);
      const { status, body } = await getJson(`${server.url}/profile/${encodeURIComponent(name)}/`);
      assert.equal(status, 200, name);
      assert.equal(body.value, 3);
      assert.equal(body.meta.host, name);
    }
  });

  test('what was pushed reads back at its time, exactly', async () => {
    const store = openStackStore({ path: server.dbpath, retentionSeconds: 86400 * 365 * 10, maintenanceIntervalMs: 0 });
    try {
      assert.equal(foldedDump(store.read(['backfill'], BACKFILL_TIME, BACKFILL_TIME)), 'main(job) 2\nmain(job);step(job) 7');
      assert.equal(store.read(['backfill'], BACKFILL_TIME + 1, BACKFILL_TIME + 86400 * 365).size, 0);
      assert.equal(foldedDump(store.read(['script'], 0, Date.now() / 1000 + 60)), 'a;b 4');
    } finally {
      await store.close();
    }
  });
});
