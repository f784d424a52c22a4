import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compactToFlameTree } from '../../public/assets/compact-profile.js';
import { parseFoldedStacks } from '../../src/collector/formats/folded.js';
import type { FlameNode } from '../../src/profile/flame-tree.js';
import { totalSamples } from '../../src/profile/stack-counts.js';
import { foldedDump } from '../collector/formats/folded-dump.js';
import { readPprof, readSpeedscope } from '../support/export-readers.js';
import { DEFAULT_NOW, getJson, startVisualizer, type RunningVisualizer } from './harness.js';

interface ViewAnswer extends FlameNode {
  children: FlameNode[];
  meta: { nodes: number; prunedNodes: number; focus?: string; view?: string; path?: string[] };
}

const NOW = DEFAULT_NOW;
const STACKS = new Map([
  ['<module>(__main__);serve(app);handle(app);render(app)', 50],
  ['<module>(__main__);serve(app);handle(app);handle(app);db(app)', 30],
  ['<module>(__main__);serve(app);idle(app)', 15],
  ['<module>(__main__);cron(app);db(app)', 5],
]);

describe('GET /profile/:host/ views and exports', () => {
  let visualizer: RunningVisualizer;
  const view = async (query: string) => {
    const { status, body } = await getJson<ViewAnswer>(visualizer, `/profile/web%2F1/?${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };
  const download = async (query: string) => {
    const response = await fetch(`${visualizer.url}/profile/web%2F1/?${query}`);
    assert.equal(response.status, 200, query);
    return response;
  };

  before(async () => {
    visualizer = await startVisualizer({ configuredHosts: ['web/1'] });
    await visualizer.store.write('web/1', NOW - 120, STACKS);
  });
  after(() => visualizer.close());

  test('focus with view=callees: rooted at the function, its total, recursion once', async () => {
    const body = await view('focus=handle(app)&view=callees');
    assert.equal(body.name, 'handle(app)');
    assert.equal(body.value, 80);
    assert.deepEqual(body.children, [
      { name: 'handle(app)', value: 30, children: [{ name: 'db(app)', value: 30 }] },
      { name: 'render(app)', value: 50 },
    ]);
    assert.equal(body.meta.focus, 'handle(app)');
    assert.equal(body.meta.view, 'callees');
  });

  test('focus with view=callers: the inverted tree of who calls it', async () => {
    const body = await view('focus=db(app)&view=callers');
    assert.equal(body.name, 'db(app)');
    assert.equal(body.value, 35);
    assert.deepEqual(body.children.map((child) => [child.name, child.value]), [['cron(app)', 5], ['handle(app)', 30]]);
  });

  test('an absent focus is an empty tree rooted at it; view without focus is a 400', async () => {
    const body = await view('focus=nothing');
    assert.deepEqual([body.name, body.value, body.children], ['nothing', 0, []]);
    const { status, body: error } = await getJson<{ error: string }>(visualizer, '/profile/web%2F1/?view=callers');
    assert.equal(status, 400);
    assert.match(error.error, /^view: /);
    assert.match((await getJson<{ error: string }>(visualizer, '/profile/web%2F1/?focus=a&view=sideways')).body.error, /^view: /);
  });

  test('path: the detail under a node in context, with the whole budget', async () => {
    const pruned = await view('max_nodes=4');
    assert.ok(pruned.meta.prunedNodes > 0);
    const path = encodeURIComponent('<module>(__main__);serve(app);handle(app)');
    const body = await view(`path=${path}&max_nodes=4`);
    assert.deepEqual(body.meta.path, ['<module>(__main__)', 'serve(app)', 'handle(app)']);
    const serve = body.children[0].children!.find((child) => child.name === 'serve(app)')!;
    assert.deepEqual(serve.children, [
      // All four nodes under handle(app) fit the cap of 4 that pruned the whole tree.
      { name: 'handle(app)', value: 80, children: [{ name: 'handle(app)', value: 30, children: [{ name: 'db(app)', value: 30 }] }, { name: 'render(app)', value: 50 }] },
      { name: '(other)', value: 15, other: true },
    ]);
    assert.equal(body.value, 100);
  });

  test('an unknown path is a 404 naming the path', async () => {
    const { status, body } = await getJson<{ error: string }>(visualizer, '/profile/web%2F1/?path=nope%3Bnever');
    assert.equal(status, 404);
    assert.match(body.error, /^path: no frames nope;never/);
    assert.equal((await getJson(visualizer, '/profile/web%2F1/?path=x&focus=y')).status, 400);
  });

  test('format=folded: the exact stacks as an attachment named after host and range', async () => {
    const response = await download(`format=folded&from=${NOW - 3600}&until=${NOW}&max_nodes=&threshold=`);
    assert.match(response.headers.get('content-type')!, /^text\/plain/);
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="web_1_20240501T110000Z_20240501T120000Z.folded"');
    assert.equal(foldedDump(parseFoldedStacks(await response.text()).stacks), foldedDump(STACKS));
  });

  test('exports are never pruned unless asked; when asked they match the picture', async () => {
    const whole = parseFoldedStacks(await (await download('format=folded')).text()).stacks;
    assert.equal(foldedDump(whole), foldedDump(STACKS));
    const pruned = parseFoldedStacks(await (await download('format=folded&max_nodes=4')).text()).stacks;
    assert.equal(totalSamples(pruned), 100);
    assert.ok([...pruned.keys()].some((stack) => stack.endsWith('(other)')));
  });

  test('format=speedscope: a valid file of the view', async () => {
    const response = await download('format=speedscope&focus=handle(app)');
    assert.match(response.headers.get('content-disposition')!, /^attachment; filename="web_1_start_20240501T120000Z\.speedscope\.json"$/);
    const stacks = readSpeedscope(await response.json());
    assert.equal(foldedDump(stacks), foldedDump(new Map([['handle(app);render(app)', 50], ['handle(app);handle(app);db(app)', 30]])));
  });

  test('format=pprof: decodes to the same totals, for a path too', async () => {
    const all = readPprof(new Uint8Array(await (await download('format=pprof')).arrayBuffer()));
    assert.equal(foldedDump(all.stacks), foldedDump(STACKS));
    assert.deepEqual(all.sampleType, ['samples', 'count']);
    // All data covers the samples kept, from the first one, not from 1970.
    assert.deepEqual([all.timeSeconds, all.durationSeconds], [NOW - 120, 121]);
    const path = encodeURIComponent('<module>(__main__);cron(app)');
    const under = readPprof(new Uint8Array(await (await download(`format=pprof&path=${path}`)).arrayBuffer()));
    assert.equal(foldedDump(under.stacks), '<module>(__main__);cron(app);db(app) 5');
  });

  test('a bad format is a 400 naming it', async () => {
    const { status, body } = await getJson<{ error: string }>(visualizer, '/profile/web%2F1/?format=svg');
    assert.equal(status, 400);
    assert.match(body.error, /^format: 'svg' is not one of json, compact, folded, speedscope, pprof/);
  });

  test('format=compact: the same tree, whole or a detail, pruned or not, as names and numbers; not for a focus', async () => {
    const path = encodeURIComponent('<module>(__main__);serve(app);handle(app)');
    for (const query of ['', 'max_nodes=4', 'threshold=0.2', `path=${path}&max_nodes=4`]) {
      const { status, body: compact } = await getJson<{ names: string[]; nodes: number[] }>(visualizer, `/profile/web%2F1/?${query}&format=compact`);
      assert.equal(status, 200);
      assert.ok(Array.isArray(compact.names) && Array.isArray(compact.nodes), query);
      assert.deepEqual(compactToFlameTree(compact), await view(query), query);
    }
    assert.deepEqual(await view('format=json'), await view(''));
    const response = await fetch(`${visualizer.url}/profile/web%2F1/?format=compact`);
    assert.match(response.headers.get('content-type')!, /^application\/json/);
    assert.equal(response.headers.get('content-disposition'), null);
    const { status, body } = await getJson<{ error: string }>(visualizer, '/profile/web%2F1/?format=compact&focus=db(app)');
    assert.equal(status, 400);
    assert.match(body.error, /^format: compact is written for the whole tree and path=, not with focus/);
  });
});
