import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { parsePprofByType } from '../../src/collector/formats/pprof.js';
import { totalSamples } from '../../src/profile/stack-counts.js';
import { openStackStore } from '../../src/store/lmdb-stack-store.js';
import { encodeForm } from '../support/multipart-form.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';
import { fixture, foldedDump } from './formats/folded-dump.js';
import { DEFAULT_BODY_LIMITS } from '../../src/collector/formats/parsed-samples.js';

const SECRET = 'pyro-s3cr3t';
const BEARER = { Authorization: `Bearer ${SECRET}` };
const MAX_BODY = 64 * 1024;
/** A day ago: inside the default retention, which pushes before it are refused for. */
const T0 = Math.floor(Date.now() / 1000) - 86400;
const pprofFixture = (name: string) => readFileSync(fixture(`pprof/${name}`));

describe('POST /ingest as Pyroscope speaks it', () => {
  let server: ServerProcess;
  const push = (query: string, body: Uint8Array | string, headers: Record<string, string> = BEARER) =>
    getJson(`${server.url}/ingest?${query}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });
  const readBack = async (series: string, from: number, until: number) => {
    const store = openStackStore({ path: server.dbpath, retentionSeconds: 86400 * 365 * 10, maintenanceIntervalMs: 0 });
    try {
      return store.read([series], from, until);
    } finally {
      await store.close();
    }
  };

  before(async () => {
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = 127.0.0.1:9\ninterval = 3600\nmax_body_size = ${MAX_BODY}\n`);
  });
  after(() => server.stop());

  test('a folded push with labels becomes the series APP{__type__=cpu,labels sorted}, stamped at until', async () => {
    const name = encodeURIComponent('pyapp{zone=a, env="prod"}');
    const { status, body } = await push(`name=${name}&from=${T0}&until=${T0 + 10}&format=folded&spyName=pyspy&sampleRate=100&units=samples&aggregationType=sum`, 'main;work 5\nmain 1\n');
    assert.equal(status, 200);
    assert.deepEqual(body, [{ host: 'pyapp{__type__=cpu,env=prod,zone=a}', entries: 2, stacks: 2, samples: 6, skipped: 0, skipped_reasons: {}, error: null }]);
    assert.equal(foldedDump(await readBack('pyapp{__type__=cpu,env=prod,zone=a}', T0 + 10, T0 + 10)), 'main 1\nmain;work 5');
    assert.equal((await readBack('pyapp{__type__=cpu,env=prod,zone=a}', T0, T0 + 9)).size, 0);
  });

  test('format=lines is folded text too, and a missing format means folded', async () => {
    assert.equal((await push(`name=lines&until=${T0}&format=lines`, 'a;b 2')).body[0].samples, 2);
    assert.equal((await push(`name=plain&until=${T0}`, 'a;b 3')).body[0].samples, 3);
  });

  test('pprof as the profile field of a multipart form, secret as a Basic password', async () => {
    const { body: form, contentType } = await encodeForm({ profile: pprofFixture('go-cpu.pb.gz'), sample_type_config: '{}' });
    const basic = `Basic ${Buffer.from(`pyroscope:${SECRET}`).toString('base64')}`;
    const { status, body } = await push(`name=goapp&until=${T0 + 100}&format=pprof&spyName=gospy`, form, { Authorization: basic, 'Content-Type': contentType });
    assert.equal(status, 200, JSON.stringify(body));
    const expected = parsePprofByType(pprofFixture('go-cpu.pb.gz'), DEFAULT_BODY_LIMITS)![0];
    assert.deepEqual(body.map((report: { host: string }) => report.host), ['goapp{__type__=cpu}']);
    assert.equal(foldedDump(await readBack('goapp{__type__=cpu}', T0 + 100, T0 + 100)), foldedDump(expected.stacks));
  });

  test('raw pprof with Profiler-Token; a wall profile is the wall series', async () => {
    const { status, body } = await push(`name=nodeapp&until=${T0 + 200}&format=pprof`, pprofFixture('node-datadog-wall.pb'), { 'Profiler-Token': SECRET });
    assert.equal(status, 200);
    assert.equal(body[0].host, 'nodeapp{__type__=wall}');
    assert.equal(body[0].samples, totalSamples(parsePprofByType(pprofFixture('node-datadog-wall.pb'), DEFAULT_BODY_LIMITS)![0].stacks));
  });

  test('refuses a wrong or missing secret with 403, in every header form', async () => {
    assert.equal((await push('name=x', 'a 1', { Authorization: 'Bearer nope' })).status, 403);
    assert.equal((await push('name=x', 'a 1', { Authorization: `Basic ${Buffer.from('u:nope').toString('base64')}` })).status, 403);
    assert.equal((await push('name=x', 'a 1', {})).status, 403);
  });

  test('bad parameters are a 400 naming the parameter', async () => {
    const future = Math.floor(Date.now() / 1000) + 3600;
    const cases: [string, RegExp][] = [
      [`name=${encodeURIComponent('{region=eu}')}`, /^name: .* names no application/],
      [`name=${encodeURIComponent('app{__type__=wall}')}`, /^name: .* which the server sets/],
      [`name=${encodeURIComponent('app{a=~"x"}')}`, /^name: .* with "=~"/],
      [`name=${encodeURIComponent('app{a=1')}`, /^name: .* missing "}"/],
      ['name=app&format=jfr', /^format: "jfr" is not read here/],
      ['name=app&units=bytes', /^units: only samples/],
      ['name=app&aggregationType=average', /^aggregationType: only sum/],
      [`name=app&until=${future}`, /^until: .* in the future/],
      ['name=app&from=20&until=10', /^from: 20 is after until/],
      ['name=app&until=yesterday', /^until: cannot read/],
      ['name=app&sampleRate=fast', /^sampleRate:/],
      ['name=a&name=b', /^name: given more than once/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await push(query, 'a 1');
      assert.equal(status, 400, query);
      assert.match(body.error, message, query);
    }
  });

  test('unreadable bodies are a 400 with the reason, and nothing is stored', async () => {
    const heap = await push('name=heapy&format=pprof', pprofFixture('node-datadog-heap.pb.gz'));
    assert.equal(heap.status, 400);
    assert.match(heap.body.error, /no CPU or wall samples/);
    const bomb = await push('name=bomb&format=pprof', gzipSync(Buffer.alloc(MAX_BODY * 4)));
    assert.match(bomb.body.error, new RegExp(`inflates past the ${MAX_BODY} byte cap`));
    const { body: form, contentType } = await encodeForm({ other: 'x' });
    const noProfile = await push('name=form&format=pprof', form, { ...BEARER, 'Content-Type': contentType });
    assert.match(noProfile.body.error, /no "profile" field/);
    assert.match((await push('name=text&format=pprof', 'a;b 1')).body.error, /not a pprof profile/);
    const { body: hosts } = await getJson(`${server.url}/hosts`);
    const names = hosts.hosts.map((host: { name: string }) => host.name).join(' ');
    assert.doesNotMatch(names, /heapy|bomb|form|text/);
  });

  test('the body cap of today\'s push holds here too', async () => {
    const { status } = await push('name=big', Buffer.alloc(MAX_BODY + 1, 'a'));
    assert.equal(status, 413);
  });
});
