import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildPage } from '../../scripts/build-page.js';
import { tempFolder } from '../support/temp-folder.js';

const SOURCE = new URL('../../public/', import.meta.url);

describe('buildPage', () => {
  let outDir: string;
  let files: string[];
  const built = (file: string) => readFile(join(outDir, 'assets', file), 'utf8');
  /** The graph page's scripts: its two entries and the chunk they share. */
  const graphScripts = () => files.filter((file) => /^(?:first-requests|graph|graph-shared-\w+)\.js$/.test(file));

  before(async () => {
    outDir = tempFolder('built-page');
    // What was there goes: a chunk of an earlier build must not stay beside the new one.
    await buildPage(outDir + sep);
    await buildPage(outDir + sep);
    files = (await readdir(join(outDir, 'assets'))).sort();
  });

  test('writes the pages as they are, and the bundles the pages name, each with its source map', async () => {
    for (const page of ['graph.html', 'index.html']) {
      assert.equal(await readFile(join(outDir, page), 'utf8'), await readFile(new URL(page, SOURCE), 'utf8'), page);
    }
    const chunk = files.find((file) => /^graph-shared-\w+\.js$/.test(file));
    assert.ok(chunk !== undefined, files.join(', '));
    const scripts = ['first-requests.js', 'graph.js', chunk, 'index.js'];
    assert.deepEqual(files, [...scripts, ...scripts.map((file) => `${file}.map`), 'style.css'].sort());
  });

  test('the graph page\'s bundles import only the chunk they share, which imports nothing', async () => {
    const imports = async (file: string) => [...(await built(file)).matchAll(/^import\s*\{[^}]*\}\s*from\s*"\.\/([^"]+)"/gm)]
      .map(([, imported]) => imported);
    const [chunk] = graphScripts().filter((file) => file.startsWith('graph-shared-'));
    assert.deepEqual(await imports('first-requests.js'), [chunk]);
    assert.deepEqual(await imports('graph.js'), [chunk]);
    assert.deepEqual(await imports(chunk), []);
    assert.deepEqual(await imports('index.js'), []);
  });

  // api.js keeps the answers first-requests.js asked for until graph.js takes them: one module, so one copy of its code.
  test('has the graph page\'s modules once: api.js\'s state is shared by both entries', async () => {
    const holding = [];
    // A text of api.js's own, which no build step rewrites.
    for (const file of graphScripts()) if ((await built(file)).includes('cannot reach the server')) holding.push(file);
    assert.equal(holding.length, 1, holding.join(', '));
    assert.match(holding[0], /^graph-shared-/);
  });
});
