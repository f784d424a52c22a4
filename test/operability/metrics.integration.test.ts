import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { liveprofilerHandler, startFakeSampler, type FakeSampler } from '../support/fake-sampler.js';
import { getJson, startServer, type ServerProcess } from '../support/server-process.js';
import { familyOf, parseExposition, sampleValue, type Exposition } from '../support/prometheus-exposition.js';

const SECRET = 'metrics';
const PULLED = JSON.stringify({ stacks: [{ frame: 'main(app);work(app)', count: 5 }, { frame: 'main(app);idle(app)', count: 2 }] });
const PUSHED = 'main(job);step(job) 7\nmain(job) 4\n';

describe('GET /metrics and /healthz on the real server', () => {
  let server: ServerProcess;
  let good: FakeSampler;
  let refusing: FakeSampler;
  let scrape: Exposition;
  let contentType: string;

  before(async () => {
    good = await startFakeSampler(liveprofilerHandler(SECRET, () => PULLED));
    refusing = await startFakeSampler(liveprofilerHandler('not ours', () => PULLED));
    server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = good=${good.hostPort}, refusing=${refusing.hostPort}\ninterval = 3600\n`);
    assert.equal((await getJson(`${server.url}/collector/`)).status, 200);
    const push = await fetch(`${server.url}/ingest?host=job`, { method: 'POST', body: PUSHED, headers: { 'Profiler-Token': SECRET } });
    assert.equal(push.status, 200);
    assert.equal((await getJson(`${server.url}/profile/good/`)).status, 200);
    assert.equal((await getJson(`${server.url}/timeline/good/?from=-1h`)).status, 200);
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    contentType = response.headers.get('content-type') ?? '';
    scrape = parseExposition(await response.text());
  });
  after(async () => {
    await server?.stop();
    await Promise.all([good.close(), refusing.close()]);
  });

  test('is the Prometheus text format, every sample in a family with HELP and TYPE', () => {
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    assert.ok(scrape.samples.length > 50);
    for (const sample of scrape.samples) {
      const family = familyOf(scrape, sample.name);
      assert.ok(family !== undefined, `${sample.name} has no # TYPE`);
      assert.ok(scrape.helped.has(family), `${family} has no # HELP`);
    }
  });

  test('counts each host pull by outcome and a reason from a fixed set, never free text', () => {
    assert.equal(sampleValue(scrape, 'liveprofiler_host_collections_total', { host: 'good', outcome: 'ok', reason: 'none' }), 1);
    assert.equal(sampleValue(scrape, 'liveprofiler_host_collections_total', { host: 'refusing', outcome: 'failed', reason: 'http_status' }), 1);
    assert.equal(scrape.samples.filter((sample) => sample.name === 'liveprofiler_host_collections_total').length, 2);
    assert.equal(sampleValue(scrape, 'liveprofiler_host_pull_duration_seconds_count'), 2);
    assert.equal(sampleValue(scrape, 'liveprofiler_collection_duration_seconds_count', { trigger: 'manual' }), 1);
  });

  test('counts samples and body bytes ingested, pulled and pushed apart', () => {
    assert.equal(sampleValue(scrape, 'liveprofiler_ingested_samples_total', { source: 'pull' }), 7);
    assert.equal(sampleValue(scrape, 'liveprofiler_ingested_bytes_total', { source: 'pull' }), Buffer.byteLength(PULLED));
    assert.equal(sampleValue(scrape, 'liveprofiler_ingested_samples_total', { source: 'push' }), 11);
    assert.equal(sampleValue(scrape, 'liveprofiler_ingested_bytes_total', { source: 'push' }), Buffer.byteLength(PUSHED));
  });

  test('times requests under their route pattern, reports the store size and the event-loop delay', () => {
    for (const route of ['/collector/', '/ingest', '/profile/:host/', '/timeline/:host/']) {
      assert.equal(sampleValue(scrape, 'liveprofiler_request_duration_seconds_count', { route }), 1, route);
    }
    assert.ok(!scrape.samples.some((sample) => sample.labels.route?.includes('good')), 'paths asked for never become labels');
    assert.ok(sampleValue(scrape, 'liveprofiler_store_size_bytes')! > 0);
    assert.ok(sampleValue(scrape, 'nodejs_eventloop_lag_seconds')! >= 0);
    assert.ok(sampleValue(scrape, 'nodejs_eventloop_lag_p99_seconds')! >= 0);
  });

  test('GET /healthz answers 200 {"status":"ok"} while the store reads and writes', async () => {
    const { status, body } = await getJson(`${server.url}/healthz`);
    assert.equal(status, 200);
    assert.deepEqual(body, { status: 'ok' });
  });
});
