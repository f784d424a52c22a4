import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

const PUBLIC = new URL('../../public/', import.meta.url);

/** The modules `entry` (a file in public/assets) imports, directly or through others, by file name. */
async function moduleClosure(entry: string): Promise<Set<string>> {
  const found = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const code = await readFile(new URL(`assets/${file}`, PUBLIC), 'utf8');
    for (const [, imported] of code.matchAll(/\b(?:from|import) '\.\/([\w-]+\.js)'/g)) {
      if (!found.has(imported)) {
        found.add(imported);
        pending.push(imported);
      }
    }
  }
  return found;
}

/** The module scripts `page` loads, by file name, and the modules it preloads. */
async function modulesOf(page: string): Promise<{ html: string; entries: string[]; preloaded: string[] }> {
  const html = await readFile(new URL(page, PUBLIC), 'utf8');
  const entries = [...html.matchAll(/<script type="module"(?: async)? src="\/assets\/([\w-]+\.js)">/g)].map(([, file]) => file);
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/assets\/([\w-]+\.js)">/g)].map(([, file]) => file);
  return { html, entries, preloaded };
}

for (const page of ['graph.html', 'index.html']) {
  describe(page, () => {
    // Without the preloads the browser learns of a module only once its importer has arrived: a waterfall four deep.
    test('preloads every module its scripts import, directly or not, and nothing else', async () => {
      const { entries, preloaded } = await modulesOf(page);
      const imported = new Set<string>();
      for (const entry of entries) for (const file of await moduleClosure(entry)) imported.add(file);
      assert.deepEqual([...preloaded].sort(), [...imported].sort());
      assert.equal(new Set(preloaded).size, preloaded.length, 'a module preloaded twice');
    });
  });
}

describe('graph.html', () => {
  // A parser-blocking script holds back the modules after it: d3 is parsed and run while they load.
  // first-requests.js comes first and runs without waiting for d3: the profile is asked for while d3 arrives.
  test('starts its first requests first, and loads its classic scripts deferred, before the page module', async () => {
    const { html } = await modulesOf('graph.html');
    const scripts = [...html.matchAll(/<script [^>]*>/g)].map(([tag]) => tag);
    assert.deepEqual(scripts, [
      '<script type="module" async src="/assets/first-requests.js">',
      '<script defer src="/vendor/d3.min.js">',
      '<script defer src="/vendor/d3-flamegraph.min.js">',
      '<script type="module" src="/assets/graph.js">',
    ]);
  });
});

describe('index.html', () => {
  test('loads d3 deferred, before the page module', async () => {
    const { html } = await modulesOf('index.html');
    const scripts = [...html.matchAll(/<script [^>]*>/g)].map(([tag]) => tag);
    assert.deepEqual(scripts, ['<script defer src="/vendor/d3.min.js">', '<script type="module" src="/assets/index.js">']);
  });
});
