import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

interface Timeline {
  from: number;
  until: number;
  step: number;
  samples: number[];
}

const NOW = DEFAULT_NOW;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('GET /timeline/:host/', () => {
  let visualizer: RunningVisualizer;
  /** Sample times and counts written for host 'web'. */
  const writes: Array<[number, number]> = [
    [NOW - 7 * 86400, 1],
    [NOW - 86400 - 17, 2],
    [NOW - 3600, 4],
    [NOW - 3599, 8],
    [NOW - 901, 16],
    [NOW - 37, 32],
    [NOW - 1, 64],
    [NOW, 128],
  ];

  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web', 'other'] });
    for (const [time, count] of writes) await visualizer.store.write('web', time, new Map([['main;tick', count]]));
    await visualizer.store.write('other', NOW - 10, new Map([['main;tick', 1000]]));
    await visualizer.store.maintain();
  });
  after(() => visualizer.close());

  async function timeline(host: string, query: string): Promise<Timeline> {
    const { status, body } = await getJson<Timeline>(visualizer, `/timeline/${encodeURIComponent(host)}/${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  }

  async function profileTotal(host: string, from: number, until: number): Promise<number> {
    const { body } = await getJson<{ value: number }>(visualizer, `/profile/${host}/?from=${from}&until=${until}`);
    return body.value;
  }

  test('the last five minutes in 2 s windows, each sample in the window holding its time', async () => {
    const body = await timeline('web', '?from=-5m');
    assert.equal(body.step, 2);
    assert.equal(body.from, NOW - 300);
    assert.equal(body.until, body.from + body.samples.length * body.step - 1);
    assert.ok(body.until >= NOW);
    const at = (time: number) => body.samples[Math.floor((time - body.from) / body.step)];
    assert.equal(at(NOW - 37), 32);
    assert.equal(at(NOW - 1), 64);
    assert.equal(at(NOW), 128);
    assert.equal(sum(body.samples), 32 + 64 + 128);
  });

  test('windows over any range add up to the profile over the range they cover', async () => {
    const ranges = ['?from=-5m', '?from=-1h', '?from=-3601s&until=-3599s', '?from=-2d', '?from=-30d', '', '?from=-1h&until=-15m', `?from=${NOW - 3600}&until=${NOW - 3600}`];
    for (const range of ranges) {
      const body = await timeline('web', range);
      assert.ok(body.samples.length <= 240, range);
      assert.equal(body.from % body.step, 0, range);
      assert.equal(sum(body.samples), await profileTotal('web', body.from, body.until), range);
    }
  });

  test('a range whose ends are aligned sums to exactly the samples inside it', async () => {
    // One hour ending at a whole minute in 30 s windows: from is already aligned.
    const body = await timeline('web', `?from=${NOW - 3600}&until=${NOW - 1}`);
    assert.deepEqual([body.from, body.until, body.step, body.samples.length], [NOW - 3600, NOW - 1, 15, 240]);
    assert.equal(sum(body.samples), 4 + 8 + 16 + 32 + 64);
    assert.equal(body.samples[0], 4 + 8);
  });

  test('_all adds every host window by window', async () => {
    const web = await timeline('web', '?from=-1m');
    const all = await timeline('_all', '?from=-1m');
    assert.deepEqual([all.from, all.step], [web.from, web.step]);
    const index = Math.floor((NOW - 10 - all.from) / all.step);
    assert.equal(all.samples[index] - web.samples[index], 1000);
    assert.equal(sum(all.samples), sum(web.samples) + 1000);
  });

  test('all data (no from) starts at the first sample kept, not in 1970', async () => {
    const body = await timeline('web', '');
    assert.ok(body.from <= NOW - 7 * 86400 && body.from > NOW - 7 * 86400 - body.step, `from ${body.from}`);
    assert.equal(sum(body.samples), 1 + 2 + 4 + 8 + 16 + 32 + 64 + 128);
    const empty = await timeline('other', '?until=-1d');
    assert.deepEqual([empty.samples.length, sum(empty.samples)], [1, 0]);
  });

  test('an unknown host is a 404', async () => {
    const { status, body } = await getJson(visualizer, '/timeline/ghost/');
    assert.equal(status, 404);
    assert.deepEqual(body, { error: 'unknown host: ghost' });
  });
});

describe('GET /timeline/_all/ over all data', () => {
  let visualizer: RunningVisualizer;
  // Host 'a' begins yesterday at 07:00, 'b' at 11:00: once rolled up, both sit in yesterday's day bucket.
  const writes: Array<[string, number, number]> = [
    ['a', NOW - 86400 - 5 * 3600, 1],
    ['b', NOW - 86400 - 3600, 2],
    ['b', NOW - 60, 4],
  ];

  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['a', 'b'] });
    for (const [host, time, count] of writes) await visualizer.store.write(host, time, new Map([['main;tick', count]]));
    await visualizer.store.maintain();
  });
  after(() => visualizer.close());

  test('starts at the oldest sample of any host, not of the last host read', async () => {
    const { status, body } = await getJson<Timeline>(visualizer, '/timeline/_all/?from=0');
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(body.from <= NOW - 86400 - 5 * 3600, `from ${body.from}`);
    assert.equal(sum(body.samples), 1 + 2 + 4);
    const profile = await getJson<{ value: number }>(visualizer, '/profile/_all/?from=0');
    assert.equal(profile.body.value, 1 + 2 + 4);
  });
});
