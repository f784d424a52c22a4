import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';

const PUBLIC = new URL('../../public/', import.meta.url);

/** The script tags of `page` (public/graph.html or index.html), in order. */
async function scriptsOf(page: string): Promise<string[]> {
  const html = await readFile(new URL(page, PUBLIC), 'utf8');
  return [...html.matchAll(/<script [^>]*>/g)].map(([tag]) => tag);
}

describe('graph.html', () => {
  // A parser-blocking script holds back the modules after it: d3 is parsed and run while they load.
  // first-requests.js comes first and runs without waiting for d3: the profile is asked for while d3 arrives.
  test('starts its first requests first, and loads its classic scripts deferred, before the page module', async () => {
    assert.deepEqual(await scriptsOf('graph.html'), [
      '<script type="module" async src="/assets/first-requests.js">',
      '<script defer src="/vendor/d3.min.js">',
      '<script defer src="/vendor/d3-flamegraph.min.js">',
      '<script type="module" src="/assets/graph.js">',
    ]);
  });
});

describe('index.html', () => {
  test('loads d3 deferred, before the page module', async () => {
    assert.deepEqual(await scriptsOf('index.html'), ['<script defer src="/vendor/d3.min.js">', '<script type="module" src="/assets/index.js">']);
  });
});
