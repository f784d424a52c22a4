import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { gzipSync, deflateSync } from 'node:zlib';
import type { HostReport } from '../src/collector/host-report.js';
import { fixture } from './collector/formats/folded-dump.js';
import { deepStack } from './profile/deep-stack.js';
import { prng } from './store/store-fixtures.js';
import { startFakeSampler, type FakeSampler } from './support/fake-sampler.js';
import { distinctStacks, serviceLikeStacks } from './support/folded-bodies.js';
import { rawRequest, type RawAnswer } from './support/raw-request.js';
import { startServer, type ServerProcess } from './support/server-process.js';

const SECRET = 'hostile-s3cr3t';
const MAX_BODY = 32 * 1024 * 1024;
const NO_COUNT = 'line does not end in a sample count';

/** Values for path segments and query parameters, as they go on the wire (already URL-encoded). */
const VALUES = [
  '', '0', '-1', '-99999999999999999999', '9'.repeat(400), '1e308', '-1e308', '18446744073709551616', '0x10',
  'NaN', 'Infinity', '-Infinity', 'null', 'true', 'now-', '-1zillions', '99999999999999999999%20minutes%20ago',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2F..%2Fpackage.json', '%2e%2e', '%2E', '..%5c..%5c', '%00', 'a%00b', '%0d%0aSet-Cookie:%20x=1',
  '%ff%fe', '%', '%zz', '%C0%AF', '%ED%A0%80', '%E2%80%AE', '%F0%9F%98%80', '%EF%BF%BD', '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '_all', '__proto__', 'constructor', 'x'.repeat(8000), '+', '%20',
];

/** Every route, each with a place for a value. */
const ROUTES = [
  (v: string) => `/${v}`,
  (v: string) => `/?from=${v}`,
  (v: string) => `/graph/${v}/`,
  (v: string) => `/graph/_all/?from=${v}&zoom=${v}`,
  (v: string) => `/profile/${v}/`,
  (v: string) => `/profile/_all/?from=${v}`,
  (v: string) => `/profile/_all/?until=${v}`,
  (v: string) => `/profile/good/?threshold=${v}`,
  (v: string) => `/profile/good/?max_nodes=${v}`,
  (v: string) => `/profile/good/?from=${v}&until=${v}&threshold=${v}&max_nodes=${v}`,
  (v: string) => `/timeline/${v}/`,
  (v: string) => `/timeline/_all/?from=${v}`,
  (v: string) => `/timeline/good/?from=-1h&until=${v}`,
  (v: string) => `/hosts?${v}=${v}`,
  (v: string) => `/assets/${v}`,
  (v: string) => `/assets/${v}/graph.js`,
  (v: string) => `/vendor/${v}`,
  (v: string) => `/vendor/d3.min.js?${v}`,
];

/** Query strings that parse into lists and objects rather than strings. */
const SHAPES = ['from=1&from=2', 'from[]=1', 'from[a]=1', 'threshold[0]=0.1', 'max_nodes=5&max_nodes=6', '__proto__[from]=1', 'constructor[prototype][x]=1'];

describe('hostile input, against the real server process', () => {
  const samplers: FakeSampler[] = [];
  let server: ServerProcess;
  let collection: { hosts: HostReport[] };
  let collectionProbes: Probes;

  const get = (path: string) => rawRequest(server.url, 'GET', path);
  const ingest = (query: string, body: Uint8Array, headers: Record<string, string> = {}, between?: () => Promise<void>) => {
    // Sent in two halves, so another request can be made while this one is open.
    const half = Math.floor(body.length / 2);
    const parts = between ? [body.subarray(0, half), body.subarray(half)] : [body];
    return rawRequest(server.url, 'POST', `/ingest?${query}`, { headers: { 'Profiler-Token': SECRET, ...headers }, parts, between });
  };
  const json = (answer: RawAnswer) => JSON.parse(answer.body.toString()) as HostReport & { error: string | null };
  const report = (host: string) => collection.hosts.find((h) => h.host === host)!;

  before(async () => {
    const bodies: Record<string, { body: Uint8Array; headers?: Record<string, string> }> = {
      longline: { body: Buffer.from(`main(app) 1\na${' '.repeat(2 ** 20)}b x\n`) },
      deep: { body: Buffer.from(`${deepStack(10_000)} 2\n`) },
      deeper: { body: Buffer.from(`${deepStack(10_001)} 2\nmain(app) 1\n`) },
      million: { body: distinctStacks(1_000_000) },
      bomb: { body: gzipSync(Buffer.alloc(64 * 1024 * 1024)), headers: { 'Content-Encoding': 'gzip' } },
      badgzip: { body: randomBytes(4096, 1), headers: { 'Content-Encoding': 'gzip' } },
      latin1: { body: readFileSync(fixture('folded/latin1.txt')) },
      binary: { body: randomBytes(64 * 1024, 2) },
      control: { body: readFileSync(fixture('folded/control-characters.txt')) },
      good: { body: Buffer.from('main(app);work(app) 5\n') },
    };
    const hosts: string[] = [];
    for (const [name, { body, headers }] of Object.entries(bodies)) {
      const sampler = await startFakeSampler((req, res) => {
        if (req.headers['profiler-token'] !== SECRET) return void res.writeHead(403).end();
        res.writeHead(200, headers).end(body);
      });
      samplers.push(sampler);
      hosts.push(`${name}=${sampler.hostPort}`);
    }
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = ${hosts.join(', ')}\ninterval = 3600\ntimeout = 20\n`);
    const probes = new Probes(server.url);
    const answer = await probes.during(get('/collector/'));
    collectionProbes = probes;
    collection = JSON.parse(answer.body.toString());
  });
  after(async () => {
    await server?.stop();
    await Promise.all(samplers.map((sampler) => sampler.close()));
  });

  test('every route, fuzzed in its path and query, answers without a 500', async () => {
    const failures: string[] = [];
    const paths = [...ROUTES.flatMap((route) => VALUES.map(route)), ...SHAPES.flatMap((query) => [`/profile/_all/?${query}`, `/timeline/_all/?${query}`, `/graph/_all/?${query}`])];
    for (const path of paths) {
      const { status } = await get(path);
      if (status >= 500) failures.push(`${status} GET ${path.slice(0, 100)}`);
    }
    for (const value of VALUES) {
      for (const query of [`host=${value}`, `host=fuzz&time=${value}`, `host=${value}&time=${value}`]) {
        const { status } = await ingest(query, Buffer.from('main(app) 1\n'));
        if (status >= 500) failures.push(`${status} POST /ingest?${query.slice(0, 100)}`);
      }
    }
    for (const query of SHAPES.map((shape) => `host=fuzz&${shape.replaceAll('from', 'time').replaceAll('threshold', 'host').replaceAll('max_nodes', 'host')}`)) {
      const { status } = await ingest(query, Buffer.from('main(app) 1\n'));
      if (status >= 500) failures.push(`${status} POST /ingest?${query}`);
    }
    for (const value of VALUES.slice(0, 5)) {
      const { status } = await get(`/collector/?x=${value}`);
      if (status >= 500) failures.push(`${status} GET /collector/?x=${value}`);
    }
    assert.deepEqual(failures, [], `${paths.length} paths tried`);
    const errors = server.logs.filter((line) => Number(line.level) >= 50);
    assert.deepEqual(errors, [], 'nothing logged as an error');
  });

  test('a 1 MB line is read at once and skipped as a bad entry, pushed or pulled', async () => {
    const probes = new Probes(server.url);
    const pushed = json(await ingest('host=longline-push', Buffer.from(`main(app) 1\na${' '.repeat(2 ** 20)}b x\n`), {}, () => probes.once()));
    assert.deepEqual([pushed.error, pushed.entries, pushed.skipped_reasons], [null, 1, { [NO_COUNT]: 1 }]);
    assert.deepEqual([report('longline').error, report('longline').entries, report('longline').skipped_reasons], [null, 1, { [NO_COUNT]: 1 }]);
    probes.assertAnswered();
  });

  test('a 10,000-frame stack is stored and served; a deeper one is skipped with its reason', async () => {
    assert.deepEqual([report('deep').error, report('deep').stacks], [null, 1]);
    assert.deepEqual([report('deeper').stacks, report('deeper').skipped_reasons], [1, { 'deeper than 10000 frames': 1 }]);
    const pushed = json(await ingest('host=deep-push', Buffer.from(`${deepStack(10_000)} 1\n${deepStack(10_001)} 1\n`)));
    assert.deepEqual([pushed.stacks, pushed.skipped_reasons], [1, { 'deeper than 10000 frames': 1 }]);
    for (const host of ['deep', 'deep-push', '_all']) {
      const { status, body } = await get(`/profile/${host}/?max_nodes=20000`);
      assert.equal(status, 200, host);
      assert.ok(body.toString().includes('"name":"f9999"'), `${host} serves the deepest frame`);
    }
  });

  test('1 M distinct stacks are refused whole, naming [collector] max_stacks, and nothing is stored', async () => {
    const reason = 'more than 100000 distinct stacks in one body (the [collector] max_stacks limit); the body is refused';
    assert.equal(report('million').error, reason);
    const probes = new Probes(server.url);
    const pushed = await ingest('host=million-push', distinctStacks(1_000_000), {}, () => probes.once());
    assert.deepEqual([pushed.status, json(pushed).error], [400, reason]);
    probes.assertAnswered();
    for (const host of ['million', 'million-push']) {
      const stored = JSON.parse((await get(`/profile/${host}/`)).body.toString()) as { value: number };
      assert.equal(stored.value, 0, host);
    }
  });

  test('a payload at the max_stacks limit is stored; how long it blocks the server is printed', async () => {
    const probes = new Probes(server.url);
    const atLimit = serviceLikeStacks(100_000);
    const started = performance.now();
    const pushed = await probes.during(ingest('host=at-limit', atLimit));
    const took = performance.now() - started;
    assert.deepEqual([pushed.status, json(pushed).stacks], [200, 100_000]);
    console.log(
      `100,000 distinct stacks (${(atLimit.length / 1e6).toFixed(1)} MB) pushed in ${took.toFixed(0)} ms; ` +
        `longest wait for GET /hosts meanwhile: ${probes.longestMs.toFixed(0)} ms over ${probes.answered} requests. ` +
        `During the collection of 1 M stacks, gzip bomb and the rest: ${collectionProbes.longestMs.toFixed(0)} ms.`,
    );
  });

  test('gzip and deflate bombs are refused once the inflated size passes the cap, pushed or pulled', async () => {
    assert.equal(report('bomb').error, `body larger than the ${MAX_BODY} byte cap`);
    const probes = new Probes(server.url);
    const bombs: Array<[string, Uint8Array]> = [['gzip', gzipSync(Buffer.alloc(64 * 1024 * 1024))], ['deflate', deflateSync(Buffer.alloc(64 * 1024 * 1024))]];
    for (const [encoding, bomb] of bombs) {
      assert.ok(bomb.length < 128 * 1024, 'small compressed');
      const pushed = await ingest('host=bomb-push', bomb, { 'Content-Encoding': encoding }, () => probes.once());
      assert.equal(pushed.status, 413, encoding);
    }
    probes.assertAnswered();
  });

  test('a body that claims gzip but is not is a clear 4xx or host error', async () => {
    assert.match(report('badgzip').error ?? '', /^request failed: .*(incorrect header check|Z_DATA_ERROR)/);
    const pushed = await ingest('host=badgzip-push', randomBytes(4096, 3), { 'Content-Encoding': 'gzip' });
    assert.equal(pushed.status, 400);
  });

  test('invalid UTF-8, binary garbage and control characters are refused whole with the reason', async () => {
    const notText = 'body is not UTF-8 text (nor a binary format we read)';
    assert.equal(report('latin1').error, notText);
    assert.equal(report('binary').error, notText);
    assert.equal(report('control').error, 'entry 2: a frame holds the unprintable character U+001B; the body is refused');
    for (let seed = 10; seed < 30; seed++) {
      const pushed = await ingest(`host=binary-${seed}`, randomBytes(256 + seed * 97, seed));
      assert.equal(pushed.status, 400, `random body ${seed}`);
    }
    // Each refusal is recorded for its host, for the index page; no sample is stored.
    const stored = JSON.parse((await get('/profile/binary-10/')).body.toString()) as { value: number };
    assert.equal(stored.value, 0);
  });

  test('the server answered every other request while the bad ones were processed, and is still up', async () => {
    collectionProbes.assertAnswered();
    assert.equal(report('good').samples, 5);
    assert.equal((await get('/hosts')).status, 200);
  });
});

/**
 * GET /hosts again and again while something else runs: every answer must be
 * a 200; the longest wait is a figure for the report (never asserted).
 */
class Probes {
  answered = 0;
  longestMs = 0;
  private readonly failures: string[] = [];

  constructor(private readonly origin: string) {}

  async once(): Promise<void> {
    const started = performance.now();
    const { status } = await rawRequest(this.origin, 'GET', '/hosts');
    this.longestMs = Math.max(this.longestMs, performance.now() - started);
    if (status === 200) this.answered += 1;
    else this.failures.push(`GET /hosts answered ${status}`);
  }

  /** Probes until `work` settles, and returns its result. */
  async during<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const finished = work.finally(() => (done = true));
    await this.once();
    while (!done) await this.once();
    return finished;
  }

  assertAnswered(): void {
    assert.deepEqual(this.failures, []);
    assert.ok(this.answered > 0, 'at least one request was answered meanwhile');
  }
}

function randomBytes(length: number, seed: number): Buffer {
  const random = prng(seed);
  return Buffer.from(Uint8Array.from({ length }, () => Math.floor(random() * 256)));
}
