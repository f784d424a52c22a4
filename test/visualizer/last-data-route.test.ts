import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

const NOW = DEFAULT_NOW;
const DAY = 86_400;

describe('GET /last-data/:host/', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['quiet', 'never'], retentionSeconds: 7 * DAY });
    const { store } = visualizer;
    await store.write('quiet', NOW - 3 * DAY, new Map([['a', 1]]));
    await store.write('quiet', NOW - 2 * DAY - 5, new Map([['a', 1]]));
    await store.recordSuccess('quiet', NOW - 2 * DAY);
    await store.write('shop{region="eu"}', NOW - 600, new Map([['b', 1]]));
    await store.write('shop{region="us"}', NOW - 60, new Map([['b', 1]]));
    await store.write('expired', NOW - 8 * DAY, new Map([['c', 1]]));
  });
  after(() => visualizer.close());

  test('says when the newest sample was stamped and when a collection last succeeded', async () => {
    assert.deepEqual(await getJson(visualizer, '/last-data/quiet/'), {
      status: 200,
      body: { now: NOW, lastSample: NOW - 2 * DAY - 5, lastSuccess: NOW - 2 * DAY },
    });
  });

  test('of a selector, the newest of its series', async () => {
    assert.deepEqual((await getJson(visualizer, `/last-data/${encodeURIComponent('shop')}/`)).body, { now: NOW, lastSample: NOW - 60, lastSuccess: null });
    assert.deepEqual((await getJson(visualizer, '/last-data/_all/')).body, { now: NOW, lastSample: NOW - 60, lastSuccess: NOW - 2 * DAY });
  });

  test('null for a host with nothing stored, or nothing inside retention', async () => {
    assert.deepEqual((await getJson(visualizer, '/last-data/never/')).body, { now: NOW, lastSample: null, lastSuccess: null });
    assert.deepEqual((await getJson(visualizer, '/last-data/expired/')).body, { now: NOW, lastSample: null, lastSuccess: null });
  });

  test('404 for an unknown host, 400 for a selector it cannot read', async () => {
    assert.equal((await getJson(visualizer, '/last-data/nobody/')).status, 404);
    assert.equal((await getJson(visualizer, `/last-data/${encodeURIComponent('shop{')}/`)).status, 400);
  });
});
