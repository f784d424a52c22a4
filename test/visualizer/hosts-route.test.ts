import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SPARK_HOSTS } from '../../src/visualizer/sparklines.js';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

const NOW = DEFAULT_NOW;

describe('GET /hosts', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web2', 'web1', 'down'] });
  });
  after(() => visualizer.close());

  test('with nothing stored it lists the configured hosts in config order, never seen', async () => {
    const { status, body } = await getJson(visualizer, '/hosts');
    assert.equal(status, 200);
    const never = { configured: true, lastSuccess: null, lastError: null, samplesLastHour: 0 };
    assert.deepEqual(body, {
      now: NOW,
      hosts: ['web2', 'web1', 'down'].map((name) => ({ name, app: name, labels: {}, ...never })),
    });
  });

  test('configured hosts first, then stored-only hosts sorted, each with its status', async () => {
    const { store } = visualizer;
    // The last hour is NOW-3599..NOW inclusive: 2 + 4 count, 1 is one second too old.
    await store.write('web1', NOW - 3600, new Map([['a', 1]]));
    await store.write('web1', NOW - 3599, new Map([['a', 2]]));
    await store.write('web1', NOW, new Map([['a;b', 4]]));
    await store.recordSuccess('web1', NOW);
    await store.recordError('down', NOW - 60, 'connect ECONNREFUSED 10.0.0.9:8000');
    await store.write('zeta', NOW - 10, new Map([['z', 5]]));
    await store.write('alpha', NOW - 7200, new Map([['a', 9]]));

    const { body } = await getJson(visualizer, '/hosts');
    assert.deepEqual(body, {
      now: NOW,
      hosts: [
        { name: 'web2', app: 'web2', labels: {}, configured: true, lastSuccess: null, lastError: null, samplesLastHour: 0 },
        { name: 'web1', app: 'web1', labels: {}, configured: true, lastSuccess: NOW, lastError: null, samplesLastHour: 6 },
        {
          name: 'down', app: 'down', labels: {}, configured: true, lastSuccess: null,
          lastError: { time: NOW - 60, reason: 'connect ECONNREFUSED 10.0.0.9:8000' }, samplesLastHour: 0,
        },
        { name: 'alpha', app: 'alpha', labels: {}, configured: false, lastSuccess: null, lastError: null, samplesLastHour: 0 },
        { name: 'zeta', app: 'zeta', labels: {}, configured: false, lastSuccess: null, lastError: null, samplesLastHour: 5 },
      ],
    });
  });

  test('now and the last hour follow the clock', async () => {
    visualizer.setNow(NOW + 3599.9);
    try {
      const { body } = await getJson<{ now: number; hosts: Array<{ name: string; samplesLastHour: number }> }>(
        visualizer,
        '/hosts',
      );
      assert.equal(body.now, NOW + 3599);
      assert.equal(body.hosts.find((host) => host.name === 'web1')?.samplesLastHour, 4);
    } finally {
      visualizer.setNow(NOW);
    }
  });
});

describe('GET /hosts?spark=', () => {
  let visualizer: RunningVisualizer;
  // NOW is a whole hour, so the hour's last minute window is NOW..NOW+59 and the first NOW-3540.
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web1', 'idle'] });
    const { store } = visualizer;
    await store.write('web1', NOW, new Map([['a', 1]]));
    await store.write('web1', NOW - 61, new Map([['a', 2]]));
    await store.write('web1', NOW - 3540, new Map([['a', 4]]));
    await store.write('web1', NOW - 3541, new Map([['a', 8]])); // a second before the hour's first window
    await store.write('pushed', NOW - 20 * 3600, new Map([['b', 16]]));
  });
  after(() => visualizer.close());

  test('1h: one line per listed host, minute windows ending with the one holding now', async () => {
    const { status, body } = await getJson<{ hosts: Array<{ name: string }>; spark: Record<string, unknown> }>(visualizer, '/hosts?spark=1h');
    assert.equal(status, 200);
    assert.deepEqual(body.hosts.map((host) => host.name), ['web1', 'idle', 'pushed']);
    const web1 = new Array(60).fill(0);
    web1[0] = 4;
    web1[57] = 2;
    web1[59] = 1;
    assert.deepEqual(body.spark, { span: '1h', from: NOW - 3540, step: 60, steps: 60, samples: [web1, new Array(60).fill(0), new Array(60).fill(0)], omitted: 0 });
  });

  test('1d: quarter hours over the day; without spark, no lines', async () => {
    const { body } = await getJson<{ spark: { from: number; step: number; samples: number[][] } }>(visualizer, '/hosts?spark=1d');
    assert.equal(body.spark.from, NOW - 95 * 900);
    assert.equal(body.spark.step, 900);
    assert.deepEqual(body.spark.samples.map((line) => line.reduce((sum, count) => sum + count, 0)), [15, 0, 16]);
    assert.equal(body.spark.samples[2][95 - 80], 16, 'twenty hours ago is window 15');
    assert.equal('spark' in (await getJson<object>(visualizer, '/hosts')).body, false);
  });

  test('draws at most MAX_SPARK_HOSTS lines, the first of the listing, and says how many it left out', async () => {
    const fleet = await startVisualizer({ configuredHosts: ['web1'] });
    try {
      await Promise.all(Array.from({ length: MAX_SPARK_HOSTS + 2 }, (_, i) => fleet.store.write(`pushed${i}`, NOW, new Map([['a', 1]]))));
      const { body } = await getJson<{ hosts: unknown[]; spark: { samples: number[][]; omitted: number } }>(fleet, '/hosts?spark=1h');
      assert.equal(body.hosts.length, MAX_SPARK_HOSTS + 3);
      assert.equal(body.spark.samples.length, MAX_SPARK_HOSTS);
      assert.equal(body.spark.omitted, 3);
      assert.deepEqual(body.spark.samples[0], new Array(60).fill(0), 'web1, configured, comes first');
    } finally {
      await fleet.close();
    }
  });

  test('any other span is a 400 naming the parameter', async () => {
    for (const query of ['spark=2h', 'spark=1h&spark=1d', 'spark=__proto__']) {
      const { status, body } = await getJson<{ error: string }>(visualizer, `/hosts?${query}`);
      assert.equal(status, 400, query);
      assert.match(body.error, /^spark: /);
    }
  });
});
