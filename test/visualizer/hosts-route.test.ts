import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
