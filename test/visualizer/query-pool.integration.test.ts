import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { parseFoldedStacks } from '../../src/collector/formats/folded.js';
import { DEFAULT_BODY_LIMITS } from '../../src/collector/formats/parsed-samples.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { serviceLikeStacks } from '../support/folded-bodies.js';
import { parseExposition, sampleValue, type Exposition } from '../support/prometheus-exposition.js';
import { rawRequest } from '../support/raw-request.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { tempFolder } from '../support/temp-folder.js';

/** Distinct stacks of the large host: a profile whose tree takes a worker a good while (seconds on a loaded machine). */
const LARGE_STACKS = 100_000;
/** Enough for a JSON answer worth gzipping. */
const MEDIUM_STACKS = 200;
const SMALL = new Map([['main;serve;handle', 5], ['main;idle', 2]]);

/** A store folder holding `large` (`largeStacks` distinct stacks), `medium` and `small`, written a minute ago. */
async function storeWithLargeProfile(largeStacks = LARGE_STACKS): Promise<string> {
  const dbpath = path.join(tempFolder('query-pool'), 'db');
  const store = openStackStore({ path: dbpath, retentionSeconds: 86400, maintenanceIntervalMs: 0 });
  const time = Math.floor(Date.now() / 1000) - 60;
  await store.write('large', time, parseFoldedStacks(serviceLikeStacks(largeStacks).toString(), { ...DEFAULT_BODY_LIMITS, maxStacks: largeStacks }).stacks);
  await store.write('small', time, SMALL);
  await store.write('medium', time, parseFoldedStacks(serviceLikeStacks(MEDIUM_STACKS).toString()).stacks);
  await store.close();
  return dbpath;
}

/** A read-only server over `dbpath` with `[server]` settings, once its query worker has opened the store. */
async function serverOver(dbpath: string, settings: string): Promise<ServerProcess> {
  const server = await startServer(`retention = 1d\n[collector]\nenabled = 0\n[server]\n${settings}`, { dbpath });
  await workersReady(server, 1);
  return server;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** performance.now() when the whole body had arrived. */
  doneAt: number;
}

async function get(server: ServerProcess, route: string): Promise<Answer> {
  const response = await fetch(server.url + route);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, doneAt: performance.now() };
}

/** Resolves once `count` query workers have opened the store since the server started. */
async function workersReady(server: ServerProcess, count: number): Promise<void> {
  while (server.logs.filter((line) => line.msg === 'query worker ready').length < count) await sleep(50);
}

async function assertSmallProfile(answer: Answer | Promise<Answer>): Promise<void> {
  const { status, text } = await answer;
  assert.equal(status, 200, text);
  assert.equal(JSON.parse(text).value, 7);
}

async function scrape(server: ServerProcess): Promise<Exposition> {
  return parseExposition((await get(server, '/metrics')).text);
}

/** The queries_total counter of each outcome that is not zero. */
function queryOutcomes(exposition: Exposition): Record<string, number> {
  const counted = exposition.samples.filter((sample) => sample.name === 'liveprofiler_queries_total' && sample.value > 0);
  return Object.fromEntries(counted.map((sample) => [sample.labels.outcome, sample.value]));
}

/** The large profile, asked in full: no pruning below the default node cap, every stack read and built. */
const LARGE_QUERY = '/profile/large/?threshold=0';

describe('queries answered by worker threads (real server)', () => {
  test('/hosts is answered while a large /profile is being built', async () => {
    const server = await serverOver(await storeWithLargeProfile(), 'query_workers = 1\n');
    try {
      const large = get(server, LARGE_QUERY);
      await sleep(200); // the large query has reached its worker
      const hosts = await get(server, '/hosts');
      assert.equal(hosts.status, 200);
      assert.deepEqual(JSON.parse(hosts.text).hosts.map((host: { name: string }) => host.name), ['large', 'medium', 'small']);
      const profile = await large;
      assert.equal(profile.status, 200);
      assert.equal(JSON.parse(profile.text).value > 0, true);
      assert.ok(hosts.doneAt < profile.doneAt, '/hosts did not wait for the profile');
    } finally {
      await server.stop();
    }
  });

  test('an idle worker collects its heap once after a job that grew it, using less than the job left it; a job that left little does not arm it', async () => {
    const server = await serverOver(await storeWithLargeProfile(), 'query_workers = 1\n');
    const idleCollections = () => server.logs.filter((line) => line.msg === 'query worker collected its heap while idle');
    try {
      // Its first query learns the shapes of 100,000 stacks: far more than the worker's idle threshold.
      assert.equal((await get(server, LARGE_QUERY)).status, 200);
      while (idleCollections().length < 1) await sleep(50);
      const { heapUsedBefore, heapUsed } = idleCollections()[0] as { heapUsedBefore: number; heapUsed: number };
      assert.ok(heapUsed < heapUsedBefore, `heap used ${heapUsedBefore} -> ${heapUsed} bytes`);
      await sleep(4_000); // more than twice the idle wait: an idle worker collects only once
      assert.equal(idleCollections().length, 1);
      // A small profile leaves next to nothing: collecting the whole heap for it would only cost the next query its optimised code.
      await assertSmallProfile(get(server, '/profile/small/'));
      assert.equal((await get(server, '/profile/medium/')).status, 200);
      await sleep(4_000);
      assert.equal(idleCollections().length, 1);
    } finally {
      await server.stop();
    }
  });

  test('query workers run below the main thread\'s priority (Linux: a nice value per thread)', { skip: process.platform !== 'linux' && 'per-thread nice values are Linux only' }, async () => {
    const server = await serverOver(await storeWithLargeProfile(), 'query_workers = 2\n');
    try {
      await workersReady(server, 2);
      const pid = server.child.pid!;
      const niceOf = (thread: string) => Number(readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
      const threads = readdirSync(`/proc/${pid}/task`);
      assert.equal(niceOf(String(pid)), 0, 'the main thread keeps its priority');
      assert.equal(threads.filter((thread) => niceOf(thread) === 10).length, 2, 'one niced thread per worker');
    } finally {
      await server.stop();
    }
  });

  test('a query beyond a full queue is refused at once with 503 and Retry-After; the queued ones are answered', async () => {
    const server = await serverOver(await storeWithLargeProfile(), 'query_workers = 1\nquery_queue = 1\n');
    try {
      const running = get(server, LARGE_QUERY);
      await sleep(200);
      const queued = get(server, '/profile/small/');
      await sleep(200);
      const load = await scrape(server);
      assert.equal(sampleValue(load, 'liveprofiler_query_jobs', { state: 'running' }), 1);
      assert.equal(sampleValue(load, 'liveprofiler_query_jobs', { state: 'queued' }), 1);
      const refused = await get(server, '/functions/small/');
      assert.equal(refused.status, 503);
      assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
      assert.match(JSON.parse(refused.text).error, /^busy: 1 queries are already waiting \(\[server\] query_queue\); retry in \d+ s$/);
      const [first, second] = await Promise.all([running, queued]);
      assert.ok(refused.doneAt < first.doneAt, 'refused without waiting for a worker');
      assert.equal(first.status, 200);
      await assertSmallProfile(second);
      const after = await scrape(server);
      assert.deepEqual(queryOutcomes(after), { answered: 2, busy: 1 });
      assert.equal(sampleValue(after, 'liveprofiler_query_wait_seconds_count'), 2);
      assert.ok(sampleValue(after, 'liveprofiler_query_wait_seconds_sum')! >= 0.2, 'the queued query waited for the running one');
    } finally {
      await server.stop();
    }
  });

  test('a worker that dies (out of its memory) fails its query with a 500 naming why; the next query gets a new worker', async () => {
    // Twice the large profile: its whole tree needs more than 24 MB, so the smallest limit, 16 MB, is surely passed.
    const server = await serverOver(await storeWithLargeProfile(2 * LARGE_STACKS), 'query_workers = 1\nquery_memory = 16MB\n');
    try {
      const died = await get(server, LARGE_QUERY);
      assert.equal(died.status, 500);
      assert.deepEqual(JSON.parse(died.text), { error: "the query's worker thread died: out of memory (more than [server] query_memory, 16 MB)" });
      const logged = await server.waitForLog('query worker died');
      assert.equal(logged.host, 'large');
      await assertSmallProfile(get(server, '/profile/small/'));
      assert.deepEqual(queryOutcomes(await scrape(server)), { worker_died: 1, answered: 1 });
    } finally {
      await server.stop();
    }
  });

  test('a query running past [server] query_timeout gets a 503 saying so; its worker is replaced', async () => {
    const server = await serverOver(await storeWithLargeProfile(), 'query_workers = 1\nquery_timeout = 0.5\n');
    try {
      const late = await get(server, LARGE_QUERY);
      assert.equal(late.status, 503);
      assert.match(JSON.parse(late.text).error, /^query: not answered within 0.5 s \(\[server\] query_timeout\)/);
      // Its replacement is started at once; under tsx it takes longer to boot than the next query may wait.
      await workersReady(server, 2);
      await assertSmallProfile(get(server, '/profile/small/'));
      assert.deepEqual(queryOutcomes(await scrape(server)), { timeout: 1, answered: 1 });
    } finally {
      await server.stop();
    }
  });

  test('query answers are gzipped for a client that takes gzip: the same bytes, inflated, as without; HEAD has their headers and no body', async () => {
    const server = await serverOver(await storeWithLargeProfile(), 'query_workers = 1\n');
    try {
      // A fixed end: the answers name their range, and a default `until` (now) may tick between the two requests.
      const until = Math.floor(Date.now() / 1000);
      for (const route of [`/profile/medium/?until=${until}`, `/profile/medium/?format=folded&until=${until}`, `/functions/medium/?until=${until}`, `/diff/medium/?base_from=0&base_until=1&until=${until}`]) {
        const plain = await rawRequest(server.url, 'GET', route);
        const gzipped = await rawRequest(server.url, 'GET', route, { headers: { 'Accept-Encoding': 'gzip' } });
        assert.equal(plain.status, 200, route);
        assert.equal(plain.headers['content-encoding'], undefined, route);
        assert.equal(gzipped.headers['content-encoding'], 'gzip', route);
        assert.equal(gzipped.headers['content-type'], plain.headers['content-type'], route);
        assert.match(String(gzipped.headers.vary), /Accept-Encoding/i, route);
        assert.deepEqual(gunzipSync(gzipped.body), plain.body, route);
        assert.equal(plain.headers['content-length'], String(plain.body.length), route);
        const head = await rawRequest(server.url, 'HEAD', route, { headers: { 'Accept-Encoding': 'gzip' } });
        assert.equal(head.status, 200, route);
        assert.equal(head.headers['content-type'], plain.headers['content-type'], route);
        assert.equal(head.headers['content-disposition'], plain.headers['content-disposition'], route);
        assert.equal(head.headers['content-length'], String(plain.body.length), route);
        assert.equal(head.body.length, 0, route);
      }
    } finally {
      await server.stop();
    }
  });

  test('SIGTERM lets a query in flight finish and answer before the server exits', async () => {
    const server = await serverOver(await storeWithLargeProfile(), 'query_workers = 1\nshutdown_grace = 60\n');
    const large = get(server, LARGE_QUERY);
    await sleep(200);
    const exited = server.stop('SIGTERM');
    await server.waitForLog('shutting down');
    const profile = await large;
    assert.equal(profile.status, 200);
    assert.equal(JSON.parse(profile.text).meta.host, 'large');
    assert.equal(await exited, 0);
  });
});
