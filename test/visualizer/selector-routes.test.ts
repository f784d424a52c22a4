import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

const T = DEFAULT_NOW - 60;
/** Each series holds one stack named after it, with a count that tells them apart in a sum. */
const SERIES: [string, number][] = [
  ['web1', 1],
  ['myapp{__type__=cpu,region=eu-west,zone=a}', 10],
  ['myapp{__type__=wall,region=eu-west,zone=a}', 100],
  ['myapp{__type__=cpu,region=us-east}', 1000],
  ['walker{__type__=wall,region=eu-north}', 10000],
];

describe('selectors in place of a host', () => {
  let visualizer: RunningVisualizer;
  const path = (route: string, selector: string) => `/${route}/${encodeURIComponent(selector)}/`;
  const total = async (selector: string) => {
    const { status, body } = await getJson<{ value: number; error?: string }>(visualizer, path('profile', selector));
    assert.equal(status, 200, `${selector}: ${body.error}`);
    return body.value;
  };

  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web1'] });
    for (const [name, count] of SERIES) await visualizer.store.write(name, T, new Map([[`main;${name}`, count]]));
  });
  after(() => visualizer.close());

  test('a host, a series, an app, labels and regexes select what they say; reads never mix profile types', async () => {
    assert.equal(await total('web1'), 1);
    assert.equal(await total('myapp{__type__=wall,region=eu-west,zone=a}'), 100);
    assert.equal(await total('myapp'), 1010, 'the app: its CPU series only');
    assert.equal(await total('myapp{__type__="wall"}'), 100);
    assert.equal(await total('myapp{region="eu-west"}'), 10);
    assert.equal(await total('{region=~"eu.*"}'), 10, 'CPU of eu-west; walker is wall only');
    assert.equal(await total('{region=~"eu.*",__type__="wall"}'), 10100);
    assert.equal(await total('walker'), 10000, 'a selector matching only wall series reads them');
    assert.equal(await total('_all'), 1011, 'everything CPU: configured hosts are CPU samples');
  });

  test('/timeline takes selectors too', async () => {
    const { status, body } = await getJson<{ samples: number[] }>(visualizer, `${path('timeline', 'myapp{__type__="wall"}')}?from=${T - 10}&until=${T + 10}`);
    assert.equal(status, 200);
    assert.equal(body.samples.reduce((sum, count) => sum + count, 0), 100);
  });

  test('a selector matching nothing is a 404 naming it; one that cannot be read is a 400 saying why', async () => {
    const missing = await getJson<{ error: string }>(visualizer, path('profile', 'myapp{region="mars"}'));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'unknown host: myapp{region="mars"}');
    const bad = await getJson<{ error: string }>(visualizer, path('profile', 'myapp{region="eu"'));
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^selector "myapp\{region=\\"eu\\"": missing "}" at character 18$/);
    const badRegex = await getJson<{ error: string }>(visualizer, path('timeline', '{region=~"(eu"}'));
    assert.equal(badRegex.status, 400);
    assert.match(badRegex.body.error, /regex "\(eu": missing "\)"/);
  });

  test('the graph page opens for a selector that matches, and 404s for one that does not', async () => {
    assert.equal((await fetch(`${visualizer.url}${path('graph', 'myapp{region="eu-west"}')}`)).status, 200);
    assert.equal((await fetch(`${visualizer.url}${path('graph', 'myapp{region="mars"}')}`)).status, 404);
  });

  test('GET /labels lists label names; /labels/:name/values their values, sorted', async () => {
    assert.deepEqual((await getJson(visualizer, '/labels')).body, { labels: ['__type__', 'region', 'zone'] });
    assert.deepEqual((await getJson(visualizer, '/labels/region/values')).body, { label: 'region', values: ['eu-north', 'eu-west', 'us-east'] });
    assert.deepEqual((await getJson(visualizer, '/labels/__type__/values')).body, { label: '__type__', values: ['cpu', 'wall'] });
    const unknown = await getJson(visualizer, '/labels/planet/values');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: 'no series has the label planet' });
  });
});
