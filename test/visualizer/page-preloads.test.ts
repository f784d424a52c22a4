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

describe('graph.html', () => {
  // Without the preloads the browser learns of a module only once its importer has arrived: a waterfall four deep.
  test('preloads every module graph.js imports, directly or not, and nothing else', async () => {
    const html = await readFile(new URL('graph.html', PUBLIC), 'utf8');
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/assets\/([\w-]+\.js)">/g)].map(([, file]) => file);
    assert.deepEqual([...preloaded].sort(), [...(await moduleClosure('graph.js'))].sort());
    assert.equal(new Set(preloaded).size, preloaded.length, 'a module preloaded twice');
  });

  // A parser-blocking script holds back the modules after it: d3 is parsed and run while they load.
  test('loads its classic scripts deferred, before the page module', async () => {
    const html = await readFile(new URL('graph.html', PUBLIC), 'utf8');
    const scripts = [...html.matchAll(/<script [^>]*>/g)].map(([tag]) => tag);
    assert.deepEqual(scripts, [
      '<script defer src="/vendor/d3.min.js">',
      '<script defer src="/vendor/d3-flamegraph.min.js">',
      '<script type="module" src="/assets/graph.js">',
    ]);
  });
});
