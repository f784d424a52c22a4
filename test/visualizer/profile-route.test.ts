import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlameNode } from '../../src/profile/flame-tree.js';
import { ACCEPTED_FORMS } from '../../src/profile/time-expression.js';
import { deepStack, firstPath } from '../profile/deep-stack.js';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

interface ProfileAnswer extends FlameNode {
  children: FlameNode[];
  meta: {
    host: string;
    from: number;
    until: number;
    threshold: number;
    maxNodes: number;
    nodes: number;
    prunedNodes: number;
    prunedSamples: number;
  };
}

const NOW = DEFAULT_NOW;

async function profile(visualizer: RunningVisualizer, host: string, query = ''): Promise<ProfileAnswer> {
  const { status, body } = await getJson<ProfileAnswer>(visualizer, `/profile/${encodeURIComponent(host)}/${query}`);
  // The message is built only on failure: JSON.stringify cannot write a very deep tree.
  if (status !== 200) assert.fail(`${host} ${query}: ${status} ${JSON.stringify(body)}`);
  return body;
}

async function total(visualizer: RunningVisualizer, host: string, query: string): Promise<number> {
  return (await profile(visualizer, host, query)).value;
}

describe('GET /profile/:host/', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web1', 'web2', 'idle'] });
  });
  after(() => visualizer.close());

  test('answers the merged tree of a host with meta describing the query', async () => {
    await visualizer.store.write('web1', NOW - 100, new Map([['main;serve;handle', 5], ['main;idle', 2]]));
    await visualizer.store.write('web1', NOW - 50, new Map([['main;serve;handle', 1], ['main;serve;parse', 3]]));
    const body = await profile(visualizer, 'web1');
    assert.deepEqual(body, {
      name: 'root',
      value: 11,
      children: [
        {
          name: 'main',
          value: 11,
          children: [
            { name: 'idle', value: 2 },
            {
              name: 'serve',
              value: 9,
              children: [{ name: 'handle', value: 6 }, { name: 'parse', value: 3 }],
            },
          ],
        },
      ],
      meta: {
        host: 'web1', from: 0, until: NOW, threshold: 0, maxNodes: 8000,
        nodes: 6, prunedNodes: 0, prunedSamples: 0,
      },
    });
  });

  test('a configured host without samples is an empty root, not an error', async () => {
    const body = await profile(visualizer, 'idle');
    assert.equal(body.value, 0);
    assert.deepEqual(body.children, []);
  });

  test('from and until are inclusive to the second', async () => {
    const t = NOW - 1000;
    await visualizer.store.write('web2', t, new Map([['edge', 7]]));
    assert.equal(await total(visualizer, 'web2', `?from=${t}&until=${t}`), 7);
    assert.equal(await total(visualizer, 'web2', `?from=${t - 1}&until=${t + 1}`), 7);
    assert.equal(await total(visualizer, 'web2', `?from=${t}`), 7);
    assert.equal(await total(visualizer, 'web2', `?until=${t}`), 7);
    assert.equal(await total(visualizer, 'web2', `?from=${t + 1}`), 0);
    assert.equal(await total(visualizer, 'web2', `?until=${t - 1}`), 0);
    assert.equal(await total(visualizer, 'web2', `?from=${t + 1}&until=${t + 1}`), 0);
    const { meta } = await profile(visualizer, 'web2', `?from=${t}&until=${t}`);
    assert.deepEqual([meta.from, meta.until], [t, t]);
  });

  test('an unknown host is a 404 naming it', async () => {
    const { status, body } = await getJson(visualizer, '/profile/nobody/');
    assert.equal(status, 404);
    assert.deepEqual(body, { error: 'unknown host: nobody' });
  });
});

describe('time expressions reaching /profile', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['app'] });
    // 1 two hours ago, 10 half an hour ago, 100 a minute ago, 1000 now.
    await visualizer.store.write('app', NOW - 7200, new Map([['old', 1]]));
    await visualizer.store.write('app', NOW - 1800, new Map([['half', 10]]));
    await visualizer.store.write('app', NOW - 60, new Map([['recent', 100]]));
    await visualizer.store.write('app', NOW, new Map([['current', 1000]]));
  });
  after(() => visualizer.close());

  test('every form of "one hour ago" selects the same samples', async () => {
    const forms = [
      '-1h', '-60m', '-60minutes', '-3600s', '-1hour', 'now-1h', 'now - 60 min', '1 hour ago', '60 minutes ago',
      String(NOW - 3600), `${NOW - 3600}.5`, '2024-05-01T11:00:00Z', '2024-05-01T13:00:00+02:00', '2024-05-01 11:00',
    ];
    for (const form of forms) {
      const body = await profile(visualizer, 'app', `?from=${encodeURIComponent(form)}`);
      assert.equal(body.meta.from, NOW - 3600, form);
      assert.equal(body.value, 1110, form);
    }
  });

  test('until takes the same forms, and now is the current second', async () => {
    assert.equal(await total(visualizer, 'app', '?until=30%20minutes%20ago'), 11);
    assert.equal(await total(visualizer, 'app', '?until=-31m'), 1);
    assert.equal(await total(visualizer, 'app', '?from=now'), 1000);
    assert.equal(await total(visualizer, 'app', '?from=-1m&until=now-1s'), 100);
    assert.equal(await total(visualizer, 'app', '?from=-2d&until=now'), 1111);
    assert.equal(await total(visualizer, 'app', '?from=-1w'), 1111);
  });

  test('relative times follow the clock', async () => {
    visualizer.setNow(NOW + 3600);
    try {
      assert.equal(await total(visualizer, 'app', '?from=-1h'), 1000);
      assert.equal((await profile(visualizer, 'app')).meta.until, NOW + 3600);
    } finally {
      visualizer.setNow(NOW);
    }
  });

  test('blank from and until mean all stored data', async () => {
    const body = await profile(visualizer, 'app', '?from=&until=');
    assert.deepEqual([body.meta.from, body.meta.until, body.value], [0, NOW, 1111]);
  });
});

describe('pruning on /profile', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['busy'] });
    // root 100: a 60 (x 50, y 10), b 30, c 10.
    await visualizer.store.write('busy', NOW - 10, new Map([['a;x', 50], ['a;y', 10], ['b', 30], ['c', 10]]));
  });
  after(() => visualizer.close());

  test('threshold folds nodes under threshold * total into (other), keeping totals exact', async () => {
    const body = await profile(visualizer, 'busy', '?threshold=0.2');
    assert.deepEqual(body.children, [
      { name: 'a', value: 60, children: [{ name: 'x', value: 50 }, { name: '(other)', value: 10, other: true }] },
      { name: 'b', value: 30 },
      { name: '(other)', value: 10, other: true },
    ]);
    assert.equal(body.value, 100);
    assert.deepEqual(body.meta, {
      host: 'busy', from: 0, until: NOW, threshold: 0.2, maxNodes: 8000, nodes: 6, prunedNodes: 2, prunedSamples: 20,
    });
  });

  test('max_nodes caps the nodes, counting root and (other)', async () => {
    const body = await profile(visualizer, 'busy', '?max_nodes=4');
    assert.deepEqual(body.children, [
      { name: 'a', value: 60, children: [{ name: '(other)', value: 60, other: true }] },
      { name: '(other)', value: 40, other: true },
    ]);
    assert.equal(body.value, 100);
    assert.deepEqual(
      [body.meta.maxNodes, body.meta.nodes, body.meta.prunedNodes, body.meta.prunedSamples],
      [4, 4, 4, 100],
    );
  });

  test('threshold and max_nodes together', async () => {
    const body = await profile(visualizer, 'busy', '?threshold=0.35&max_nodes=100');
    assert.deepEqual(body.children, [
      { name: 'a', value: 60, children: [{ name: 'x', value: 50 }, { name: '(other)', value: 10, other: true }] },
      { name: '(other)', value: 40, other: true },
    ]);
  });
});

describe('_all', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['one', 'two'] });
    await visualizer.store.write('one', NOW - 5, new Map([['main;work', 3]]));
    await visualizer.store.write('two', NOW - 5, new Map([['main;work', 4], ['main;sleep', 1]]));
    // A host no longer configured still has its samples in the store.
    await visualizer.store.write('retired', NOW - 5, new Map([['main;work', 10]]));
  });
  after(() => visualizer.close());

  test('merges every configured and stored host', async () => {
    const body = await profile(visualizer, '_all');
    assert.equal(body.meta.host, '_all');
    assert.deepEqual(body.children, [
      { name: 'main', value: 18, children: [{ name: 'sleep', value: 1 }, { name: 'work', value: 17 }] },
    ]);
  });

  test('a stored host that is not configured is still served on its own', async () => {
    assert.equal(await total(visualizer, 'retired', ''), 10);
  });
});

describe('a stack 10,000 frames deep', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['deep', 'shallow'] });
    await visualizer.store.write('deep', NOW - 60, new Map([[deepStack(10_000), 3]]));
    await visualizer.store.write('shallow', NOW - 60, new Map([['f0;g', 2]]));
  });
  after(() => visualizer.close());

  test('is served whole, for its host and for _all, when max_nodes has room for it', async () => {
    const own = await profile(visualizer, 'deep', '?max_nodes=10001');
    assert.deepEqual(firstPath(own), deepStack(10_000).split(';'));
    assert.equal(own.meta.nodes, 10_001);
    const all = await profile(visualizer, '_all', '?max_nodes=20000');
    assert.equal(all.value, 5);
    assert.deepEqual(firstPath(all), deepStack(10_000).split(';'));
  });

  test('is cut at the default node cap like any profile, its deepest frames in "(other)"', async () => {
    const { meta, ...tree } = await profile(visualizer, 'deep');
    assert.equal(meta.nodes, 8000);
    assert.deepEqual(firstPath(tree).slice(-2), ['f7997', '(other)']);
    assert.equal(meta.prunedSamples, 3);
  });
});

describe('host names that need encoding', () => {
  const awkward = ['web/1', 'api?v=2&x', 'batch job #3', 'böse-ホスト☃', '100%', '<b>x</b>', '.hidden'];
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: awkward.slice(0, 3) });
    for (const [index, host] of awkward.entries()) {
      await visualizer.store.write(host, NOW - 1, new Map([[`frame of ${host}`, index + 1]]));
    }
  });
  after(() => visualizer.close());

  test('each round-trips through encodeURIComponent to its own samples', async () => {
    for (const [index, host] of awkward.entries()) {
      const body = await profile(visualizer, host);
      assert.equal(body.meta.host, host);
      assert.deepEqual(body.children, [{ name: `frame of ${host}`, value: index + 1 }], host);
    }
  });
});

describe('bad parameters', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web1'] });
  });
  after(() => visualizer.close());

  const cases: Array<[string, string]> = [
    ['from=yesterdayish', `from: cannot read 'yesterdayish' as a time; accepted: ${ACCEPTED_FORMS}`],
    ['until=soon', `until: cannot read 'soon' as a time; accepted: ${ACCEPTED_FORMS}`],
    ['from=-3y', `from: unknown unit 'y' in '-3y'; accepted: ${ACCEPTED_FORMS}`],
    ['until=2024-02-30', `until: '2024-02-30' is not a real date and time; accepted: ${ACCEPTED_FORMS}`],
    ['from=today&tz=Mars%2FBase', "tz: 'Mars/Base' is not a time zone (use an IANA name such as Europe/Berlin, or UTC)"],
    ['from=100&until=99', 'from: 100 is after until 99 (from must not be later than until)'],
    ['from=now%2B1h', `from: ${NOW + 3600} is after until ${NOW} (from must not be later than until)`],
    ['from=1&from=2', 'from: give it once, as a single value'],
    ['threshold=1.5', "threshold: '1.5' is not a fraction between 0 and 1 (e.g. 0.01 for 1%)"],
    ['threshold=-0.1', "threshold: '-0.1' is not a fraction between 0 and 1 (e.g. 0.01 for 1%)"],
    ['threshold=half', "threshold: 'half' is not a fraction between 0 and 1 (e.g. 0.01 for 1%)"],
    ['threshold=0x1', "threshold: '0x1' is not a fraction between 0 and 1 (e.g. 0.01 for 1%)"],
    ['max_nodes=1', "max_nodes: '1' is not a whole number of at least 2"],
    ['max_nodes=10.5', "max_nodes: '10.5' is not a whole number of at least 2"],
    ['max_nodes=lots', "max_nodes: 'lots' is not a whole number of at least 2"],
  ];

  test('each is a 400 whose message names the parameter first', async () => {
    for (const [query, error] of cases) {
      const { status, body } = await getJson(visualizer, `/profile/web1/?${query}`);
      assert.equal(status, 400, query);
      assert.deepEqual(body, { error }, query);
    }
  });

  test('the timeline refuses bad times the same way', async () => {
    for (const [query, error] of cases.filter(([query]) => /^(from|until)=/.test(query))) {
      const { status, body } = await getJson(visualizer, `/timeline/web1/?${query}`);
      assert.equal(status, 400, query);
      assert.deepEqual(body, { error }, query);
    }
  });

  test('an unknown host is checked before the parameters', async () => {
    const { status } = await getJson(visualizer, '/profile/nobody/?from=yesterdayish');
    assert.equal(status, 404);
  });

  test('accepted edge values', async () => {
    for (const query of ['from=yesterday&until=yesterday', 'from=last%20week&tz=Asia%2FTokyo', 'threshold=0', 'threshold=1', 'threshold=.5', 'threshold=1e-3', 'max_nodes=2', 'max_nodes=1000000']) {
      const { status } = await getJson(visualizer, `/profile/web1/?${query}`);
      assert.equal(status, 200, query);
    }
  });
});
