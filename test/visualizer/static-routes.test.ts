import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { tempFolder } from '../support/temp-folder.js';
import { startVisualizer, type RunningVisualizer } from './harness.js';

const INDEX_HTML = '<!doctype html><title>index page</title>';
const GRAPH_HTML = '<!doctype html><title>graph page</title>';

async function get(visualizer: RunningVisualizer, path: string) {
  const response = await fetch(visualizer.url + path);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('pages and assets from publicDir', () => {
  let publicDir: string;
  let visualizer: RunningVisualizer;
  before(async () => {
    publicDir = tempFolder('public');
    await mkdir(join(publicDir, 'assets'));
    await writeFile(join(publicDir, 'index.html'), INDEX_HTML);
    await writeFile(join(publicDir, 'graph.html'), GRAPH_HTML);
    await writeFile(join(publicDir, 'assets', 'graph.js'), 'export const answer = 42;\n');
    await writeFile(join(publicDir, 'assets', 'style.css'), 'body { margin: 0 }\n');
    visualizer = await startVisualizer({ configuredHosts: ['web/1 ünï'], publicDir });
    await visualizer.store.write('stored-only', 1714564000, new Map([['a', 1]]));
  });
  after(() => visualizer.close());

  test('/ is index.html', async () => {
    assert.deepEqual(await get(visualizer, '/'), { status: 200, type: 'text/html; charset=utf-8', text: INDEX_HTML });
  });

  test('/graph/:host/ is graph.html for configured, stored and _all hosts', async () => {
    for (const host of ['web/1 ünï', 'stored-only', '_all']) {
      const page = await get(visualizer, `/graph/${encodeURIComponent(host)}/`);
      assert.deepEqual(page, { status: 200, type: 'text/html; charset=utf-8', text: GRAPH_HTML }, host);
    }
  });

  test('/graph/ of an unknown host is a 404 page naming it as text', async () => {
    const host = '<script>alert("x")</script>&co';
    const page = await get(visualizer, `/graph/${encodeURIComponent(host)}/`);
    assert.equal(page.status, 404);
    assert.match(page.type, /^text\/html/);
    assert.ok(page.text.includes('unknown host: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;co'));
    assert.ok(!page.text.includes('<script>'));
  });

  test('/assets/ serves modules as JavaScript and styles as CSS', async () => {
    const script = await get(visualizer, '/assets/graph.js');
    assert.equal(script.status, 200);
    assert.match(script.type, /^(text|application)\/javascript/);
    assert.equal(script.text, 'export const answer = 42;\n');
    const style = await get(visualizer, '/assets/style.css');
    assert.match(style.type, /^text\/css/);
  });

  test('a missing asset is a JSON 404 that does not reveal folders', async () => {
    const missing = await get(visualizer, '/assets/nope.js');
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.text), { error: 'no such asset: /nope.js' });
    const escape = await get(visualizer, '/assets/..%2f..%2fetc%2fpasswd');
    assert.notEqual(escape.status, 200);
    assert.ok(!escape.text.includes(publicDir));
  });
});

describe('pages missing from publicDir', () => {
  test('are a JSON 404 naming the file, not its path', async () => {
    const emptyDir = tempFolder('empty-public');
    const visualizer = await startVisualizer({ configuredHosts: ['web'], publicDir: emptyDir });
    try {
      const index = await get(visualizer, '/');
      assert.equal(index.status, 404);
      assert.deepEqual(JSON.parse(index.text), { error: 'not installed: index.html' });
      assert.deepEqual(JSON.parse((await get(visualizer, '/graph/web/')).text), { error: 'not installed: graph.html' });
    } finally {
      await visualizer.close();
    }
  });
});

describe('vendor files and the default publicDir', () => {
  let visualizer: RunningVisualizer;
  before(async () => {
    visualizer = await startVisualizer();
  });
  after(() => visualizer.close());

  test('d3 and d3-flame-graph come from node_modules as JavaScript', async () => {
    const d3 = await get(visualizer, '/vendor/d3.min.js');
    assert.equal(d3.status, 200);
    assert.equal(d3.type, 'text/javascript; charset=utf-8');
    // d3's own modules, each as its package builds it, joined in the order their UMD builds need.
    const selection = await readFile(new URL('../../node_modules/d3-selection/dist/d3-selection.min.js', import.meta.url), 'utf8');
    const transition = await readFile(new URL('../../node_modules/d3-transition/dist/d3-transition.min.js', import.meta.url), 'utf8');
    assert.ok(d3.text.indexOf(selection) >= 0 && d3.text.indexOf(selection) < d3.text.indexOf(transition));

    const flamegraph = await get(visualizer, '/vendor/d3-flamegraph.min.js');
    assert.equal(flamegraph.type, 'text/javascript; charset=utf-8');
    assert.equal(
      flamegraph.text,
      await readFile(new URL('../../node_modules/d3-flame-graph/dist/d3-flamegraph.umd.min.js', import.meta.url), 'utf8'),
    );
  });

  // The served d3 is the modules the pages use, not d3's whole bundle: whatever of d3 they call must be in it.
  test('the served d3 defines everything of d3 the pages call', async () => {
    const script = await get(visualizer, '/vendor/d3.min.js');
    const window: { d3?: Record<string, unknown> } = {};
    runInNewContext(script.text, { self: window, globalThis: window });
    const assets = new URL('../../public/assets/', import.meta.url);
    const called = new Set<string>();
    for (const file of await readdir(assets)) {
      for (const [, name] of (await readFile(new URL(file, assets), 'utf8')).matchAll(/\bd3\.(\w+)/g)) called.add(name);
    }
    assert.ok(called.has('select') && called.has('brushX') && called.has('area'), 'the pages call d3 by these names');
    assert.deepEqual([...called].filter((name) => typeof window.d3?.[name] !== 'function'), []);
  });

  test('the flame graph stylesheet is CSS', async () => {
    const css = await get(visualizer, '/vendor/d3-flamegraph.css');
    assert.equal(css.status, 200);
    assert.equal(css.type, 'text/css; charset=utf-8');
    assert.match(css.text, /\.d3-flame-graph/);
  });

  test('any other vendor name is a 404', async () => {
    for (const name of ['d3.js', 'package.json', '..%2Fpackage.json']) {
      const missing = await get(visualizer, `/vendor/${name}`);
      assert.equal(missing.status, 404, name);
      assert.deepEqual(JSON.parse(missing.text), { error: `no such vendor file: ${decodeURIComponent(name)}` });
    }
  });

  test('without publicDir the pages are the ones npm run build made (dist/public)', async () => {
    const index = await get(visualizer, '/');
    assert.equal(index.status, 200);
    assert.equal(index.text, await readFile(new URL('../../dist/public/index.html', import.meta.url), 'utf8'));
  });
});
