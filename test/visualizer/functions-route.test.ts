import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionCost } from '../../src/profile/stack-trie-to-functions.js';
import { randomStacks } from '../support/seeded-random.js';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

interface FunctionsAnswer {
  total: number;
  functions: FunctionCost[];
  meta: { host: string; from: number; until: number; sort: string; limit: number | null; count: number };
}

const NOW = DEFAULT_NOW;

describe('GET /functions/:host/', () => {
  let visualizer: RunningVisualizer;
  const functions = async (path: string) => {
    const { status, body } = await getJson<FunctionsAnswer>(visualizer, path);
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };

  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web1', 'web2'] });
    await visualizer.store.write('web1', NOW - 600, new Map([['main;f;g;f;h', 10], ['main;f', 3]]));
    await visualizer.store.write('web1', NOW - 60, new Map([['main;g', 2], ['main;f;f;f', 1]]));
    await visualizer.store.write('web2', NOW - 60, new Map([['main;g', 5]]));
  });
  after(() => visualizer.close());

  test('self and total per function, recursion counted once, sorted by self', async () => {
    const body = await functions('/functions/web1/');
    assert.equal(body.total, 16);
    assert.deepEqual(body.functions, [
      { name: 'h', self: 10, total: 10 },
      { name: 'f', self: 4, total: 14 },
      { name: 'g', self: 2, total: 12 },
      { name: 'main', self: 0, total: 16 },
    ]);
    assert.deepEqual(body.meta, { host: 'web1', from: 0, until: NOW, sort: 'self', limit: null, count: 4 });
  });

  test('sort and limit; ranges and _all as /profile reads them', async () => {
    assert.deepEqual((await functions('/functions/web1/?sort=total&limit=2')).functions.map((f) => f.name), ['main', 'f']);
    assert.deepEqual((await functions('/functions/web1/?sort=name')).functions.map((f) => f.name), ['f', 'g', 'h', 'main']);
    const recent = await functions('/functions/web1/?from=-5m');
    assert.equal(recent.total, 3);
    const all = await functions('/functions/_all/?from=-5m');
    assert.equal(all.total, 8);
    assert.deepEqual(all.functions[0], { name: 'g', self: 7, total: 7 });
  });

  test('exact on a profile far past the node cap of /profile', async () => {
    const stacks = randomStacks(61, { names: 400, stacks: 20_000, maxDepth: 12, maxCount: 9 });
    await visualizer.store.write('web2', NOW - 7200, stacks);
    const body = await functions(`/functions/web2/?until=${NOW - 3600}`);
    let total = 0;
    const self = new Map<string, number>();
    for (const [stack, count] of stacks) {
      total += count;
      const leaf = stack.slice(stack.lastIndexOf(';') + 1);
      self.set(leaf, (self.get(leaf) ?? 0) + count);
    }
    assert.equal(body.total, total);
    assert.equal(body.functions.length, body.meta.count);
    for (const fn of body.functions) assert.equal(fn.self, self.get(fn.name) ?? 0, fn.name);
  });

  test('bad parameters are 400s naming them; an unknown host is a 404', async () => {
    for (const [query, parameter] of [['sort=cost', 'sort'], ['limit=0', 'limit'], ['limit=-3', 'limit'], ['limit=x', 'limit'], ['from=nonsense', 'from'], ['sort=self&sort=total', 'sort']]) {
      const { status, body } = await getJson<{ error: string }>(visualizer, `/functions/web1/?${query}`);
      assert.equal(status, 400, query);
      assert.ok(body.error.startsWith(`${parameter}: `), `${query}: ${body.error}`);
    }
    assert.equal((await getJson(visualizer, '/functions/nobody/')).status, 404);
  });
});
