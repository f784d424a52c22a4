import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DiffNode } from '../../src/profile/stack-tries-to-diff-tree.js';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

interface DiffAnswer extends DiffNode {
  children: DiffNode[];
  meta: {
    host: string; from: number; until: number; baseHost: string; baseFrom: number; baseUntil: number;
    targetTotal: number; baselineTotal: number; nodes: number; prunedNodes: number; prunedTarget: number; prunedBaseline: number;
  };
}

const NOW = DEFAULT_NOW;
const HOUR = 3600;

function find(node: DiffNode, path: string): DiffNode {
  let current = node;
  for (const name of path.split(';')) {
    const child = current.children?.find((candidate) => candidate.name === name);
    assert.ok(child, `no ${name} under ${current.name}`);
    current = child;
  }
  return current;
}

describe('GET /diff/:host/', () => {
  let visualizer: RunningVisualizer;
  const diff = async (host: string, query: string) => {
    const { status, body } = await getJson<DiffAnswer>(visualizer, `/diff/${host}/?${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };

  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web1', 'web2'] });
    // Yesterday's hour: a quiet service. Today's hour: twice the traffic, and a regression in render.
    await visualizer.store.write('web1', NOW - 25 * HOUR + 10, new Map([['main;render', 20], ['main;db', 60], ['main;old', 20]]));
    await visualizer.store.write('web1', NOW - HOUR + 10, new Map([['main;render', 120], ['main;db', 80], ['main;new;x', 0], ['main;new', 0]]));
    await visualizer.store.write('web1', NOW - HOUR + 20, new Map([['main;new;x', 100]]));
    await visualizer.store.write('web2', NOW - HOUR + 10, new Map([['main;render', 10], ['main;db', 30]]));
  });
  after(() => visualizer.close());

  test('both sides exact per node, shares compared, stacks on one side only present', async () => {
    const body = await diff('web1', `from=-1h&until=now&base_from=${NOW - 25 * HOUR}&base_until=${NOW - 24 * HOUR}`);
    assert.equal(body.meta.targetTotal, 300);
    assert.equal(body.meta.baselineTotal, 100);
    assert.deepEqual([body.target, body.baseline], [300, 100]);
    const render = find(body, 'main;render');
    assert.deepEqual([render.target, render.baseline], [120, 20]);
    // 40% of the target against 20% of the baseline: grew by 20 points of share.
    assert.ok(Math.abs(render.delta - 0.2) < 1e-12, String(render.delta));
    assert.deepEqual([find(body, 'main;new;x').target, find(body, 'main;new;x').baseline], [100, 0]);
    assert.deepEqual([find(body, 'main;old').target, find(body, 'main;old').baseline], [0, 20]);
    assert.ok(find(body, 'main;db').delta < 0);
    assert.equal(body.meta.baseHost, 'web1');
  });

  test('without a baseline range the period of the same length just before is compared', async () => {
    const body = await diff('web1', `from=${NOW - 2 * HOUR}&until=${NOW - HOUR - 1}`);
    assert.deepEqual([body.meta.baseFrom, body.meta.baseUntil], [NOW - 3 * HOUR, NOW - 2 * HOUR - 1]);
  });

  test('base_offset moves the target range back: the same hour a day earlier', async () => {
    const body = await diff('web1', `from=${NOW - HOUR}&until=${NOW}&base_offset=24h`);
    assert.deepEqual([body.meta.baseFrom, body.meta.baseUntil], [NOW - 25 * HOUR, NOW - 24 * HOUR]);
    assert.equal(body.meta.baselineTotal, 100);
  });

  test('another host as the baseline', async () => {
    const body = await diff('web1', 'from=-1h&base_from=-1h&base_host=web2');
    assert.equal(body.meta.baseHost, 'web2');
    assert.equal(body.meta.baselineTotal, 40);
    assert.deepEqual([find(body, 'main;db').target, find(body, 'main;db').baseline], [80, 30]);
  });

  test('the node cap applies, with each side of every (other) exact', async () => {
    const body = await diff('web1', `from=-1h&base_from=${NOW - 25 * HOUR}&base_until=${NOW - 24 * HOUR}&max_nodes=4`);
    assert.ok(body.meta.nodes <= 4);
    const main = find(body, 'main');
    assert.equal(main.children!.reduce((sum, child) => sum + child.target, 0), 300);
    assert.equal(main.children!.reduce((sum, child) => sum + child.baseline, 0), 100);
  });

  test('path: the detail under one node of the comparison; a path on neither side is a 404', async () => {
    const range = `from=-1h&base_from=${NOW - 25 * HOUR}&base_until=${NOW - 24 * HOUR}`;
    const body = await diff('web1', `${range}&path=main%3Bnew&max_nodes=2`);
    assert.deepEqual((body.meta as { path?: string[] }).path, ['main', 'new']);
    const main = find(body, 'main');
    assert.deepEqual(main.children!.map((child) => [child.name, child.target, child.baseline]), [['new', 100, 0], ['(other)', 200, 100]]);
    assert.deepEqual([find(body, 'main;new;x').target, find(body, 'main;new;x').baseline], [100, 0]);
    const { status, body: error } = await getJson<{ error: string }>(visualizer, `/diff/web1/?${range}&path=main%3Bnowhere`);
    assert.equal(status, 404);
    assert.match(error.error, /^path: /);
  });

  test('bad parameters are 400s naming them; unknown hosts are 404s', async () => {
    const cases: Array<[string, string]> = [
      ['from=-1h&base_from=garbage', 'base_from'],
      ['from=-1h&base_from=-1h&base_until=-2h', 'base_from'],
      ['from=-1h&base_until=-1h', 'base_from'],
      ['base_until=now', 'base_from'],
      ['from=-1h&max_nodes=1', 'max_nodes'],
      ['from=-1h&threshold=2', 'threshold'],
      ['from=-1h&base_offset=yesterday', 'base_offset'],
      ['from=-1h&base_offset=1.5', 'base_offset'],
      ['from=-1h&base_offset=1d&base_from=-2d', 'base_offset'],
    ];
    for (const [query, parameter] of cases) {
      const { status, body } = await getJson<{ error: string }>(visualizer, `/diff/web1/?${query}`);
      assert.equal(status, 400, query);
      assert.ok(body.error.startsWith(`${parameter}: `), `${query}: ${body.error}`);
    }
    // The target is all data: there is no "period before" to default to.
    assert.equal((await getJson(visualizer, '/diff/web1/')).status, 400);
    assert.equal((await getJson(visualizer, '/diff/nobody/?from=-1h')).status, 404);
    assert.equal((await getJson(visualizer, '/diff/web1/?from=-1h&base_host=nobody')).status, 404);
  });
});
