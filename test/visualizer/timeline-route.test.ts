import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

interface Timeline {
  from: number;
  until: number;
  step: number;
  interval: number;
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

  test('irregular pushes: windows no finer than the median gap between the collections in the range and the one before', async () => {
    // web's collections from five minutes ago, and the one before: NOW, NOW-1, NOW-37, NOW-901; the median gap is 36 s.
    const body = await timeline('web', '?from=-5m');
    assert.deepEqual([body.interval, body.step], [36, 60]);
    assert.equal(body.from, NOW - 300);
    assert.equal(body.until, body.from + body.samples.length * body.step - 1);
    assert.deepEqual(body.samples, [0, 0, 0, 0, 32 + 64, 128]);
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
    // A day ending at a whole hour in 15-minute windows: from is already aligned.
    const body = await timeline('web', `?from=${NOW - 86400}&until=${NOW - 1}`);
    assert.deepEqual([body.from, body.until, body.step, body.samples.length], [NOW - 86400, NOW - 1, 900, 96]);
    assert.equal(sum(body.samples), 4 + 8 + 16 + 32 + 64);
    assert.deepEqual([body.samples[92], body.samples[94], body.samples[95]], [4 + 8, 16, 32 + 64]);
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
  });

  test('a host with no data in the range gets an axis of ordinary steps, however sparse its data elsewhere', async () => {
    const body = await timeline('web', `?from=${NOW - 86400 + 60}&until=${NOW - 86400 + 600}`);
    assert.deepEqual([body.interval, body.step, sum(body.samples)], [1, 5, 0]);
  });

  test('all data of a host with none is the hour up to until, not a single second', async () => {
    const empty = await timeline('other', '?until=-1d');
    assert.deepEqual([empty.from, empty.until, empty.step, empty.interval], [NOW - 86400 - 3600, NOW - 86400 + 29, 30, 1]);
    assert.equal(sum(empty.samples), 0);
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

describe('GET /timeline/:host/ of hosts collected on a schedule', () => {
  let visualizer: RunningVisualizer;
  /** One collection a minute for three hours: 1706, 1661, ... samples. */
  const minutely = (minutesAgo: number) => 1650 + ((minutesAgo * 37) % 60);

  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['minutely', 'fast'] });
    for (let m = 0; m < 180; m++) await visualizer.store.write('minutely', NOW - m * 60, new Map([['main;serve', minutely(m)]]));
    for (let k = 0; k < 300; k++) await visualizer.store.write('fast', NOW - 2 * k, new Map([['main;serve', k + 1]]));
    await visualizer.store.maintain();
  });
  after(() => visualizer.close());

  const timeline = async (host: string, query: string): Promise<Timeline> => {
    const { status, body } = await getJson<Timeline>(visualizer, `/timeline/${host}/${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };

  test('ten minutes of a once-a-minute host are one-minute windows with one collection each, not a comb', async () => {
    const body = await timeline('minutely', '?from=10 minutes ago');
    assert.deepEqual([body.from, body.until, body.step, body.interval], [NOW - 600, NOW + 59, 60, 60]);
    assert.deepEqual(body.samples, Array.from({ length: 11 }, (_, i) => minutely(10 - i)));
  });

  test('a week of it is still hourly windows; an hour in the past is one-minute windows', async () => {
    assert.equal((await timeline('minutely', '?from=last week')).step, 3600);
    const hour = await timeline('minutely', `?from=${NOW - 7200}&until=${NOW - 3601}`);
    assert.deepEqual([hour.step, hour.samples.length], [60, 60]);
    assert.ok(hour.samples.every((samples) => samples >= 1650), JSON.stringify(hour.samples));
  });

  test('a host collected every 2 s keeps 2 s windows over five minutes', async () => {
    const body = await timeline('fast', '?from=-5m');
    assert.deepEqual([body.from, body.step, body.interval, body.samples.length], [NOW - 300, 2, 2, 151]);
    assert.deepEqual(body.samples, Array.from({ length: 151 }, (_, i) => 151 - i));
  });

  test('_all is drawn at the coarsest interval of the hosts with data in the range', async () => {
    const all = await timeline('_all', '?from=-5m');
    assert.deepEqual([all.step, all.interval], [60, 60]);
    assert.equal(sum(all.samples), sum((await timeline('fast', '?from=-5m')).samples) + [0, 1, 2, 3, 4, 5].reduce((total, m) => total + minutely(m), 0));
  });
});

describe('GET /timeline/:host/ of a host pushed every 10 minutes for a day, then pulled every 10 s for two minutes', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['shop'] });
    for (let time = NOW - 86400; time < NOW - 120; time += 600) await visualizer.store.write('shop', time, new Map([['main;serve', 600]]));
    for (let time = NOW - 120; time <= NOW; time += 10) await visualizer.store.write('shop', time, new Map([['main;serve', 10]]));
  });
  after(() => visualizer.close());

  test('the last minutes are drawn at the pull interval, the day and the hour holding both at the push interval', async () => {
    const recent = await getJson<Timeline>(visualizer, '/timeline/shop/?from=-2m');
    assert.deepEqual([recent.body.interval, recent.body.step], [10, 10]);
    // Ten-second windows over the hour would show each push as a spike ten minutes from the next.
    const hour = await getJson<Timeline>(visualizer, '/timeline/shop/?from=-1h');
    assert.deepEqual([hour.body.interval, hour.body.step], [600, 600]);
    assert.deepEqual(hour.body.samples, [600, 600, 600, 600, 600, 600 + 12 * 10, 10]);
    const day = await getJson<Timeline>(visualizer, `/timeline/shop/?from=-1d&until=${NOW - 3600}`);
    assert.deepEqual([day.body.interval, day.body.step], [600, 600]);
    assert.ok(day.body.samples.every((samples) => samples === 600), 'one push in every window');
  });
});
