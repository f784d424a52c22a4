import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, drawnFrames, launchChromium, openPage, waitForView } from './browser-session.js';

/** The file names of the scripts under /assets/ that `page` asked for, in the order it asked. */
function assetScripts(page: Page): Promise<string[]> {
  return page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    .sort((a, b) => a.startTime - b.startTime)
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => path.startsWith('/assets/') && path.endsWith('.js'))
    .map((path) => path.slice('/assets/'.length)));
}

// The pages the server sends by default are the ones `npm run build` made: their modules in bundles.
describe('the built pages', () => {
  let server: RunningVisualizer;
  let browser: Browser;

  before(async () => {
    server = await startVisualizer({ configuredHosts: ['web1'] });
    await server.store.write('web1', DEFAULT_NOW - 300, new Map([['serve(app);parse(app)', 7]]));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('graph: loads its two bundles and their one shared chunk, and no source module, and draws', async () => {
    const watched = await openPage(browser, `${server.url}/graph/web1/`);
    try {
      await waitForView(watched.page, 'ready');
      assert.deepEqual((await drawnFrames(watched.page)).sort(), ['all', 'parse(app)', 'serve(app)']);
      const scripts = await assetScripts(watched.page);
      const chunks = scripts.filter((file) => /^graph-shared-\w+\.js$/.test(file));
      assert.equal(chunks.length, 1, scripts.join(', '));
      assert.deepEqual([...scripts].sort(), ['first-requests.js', 'graph.js', chunks[0]].sort());
      assert.deepEqual(watched.errors, []);
    } finally {
      await closePage(watched);
    }
  });

  it('hosts: loads its one bundle, and no source module, and lists the hosts', async () => {
    const watched = await openPage(browser, `${server.url}/`);
    try {
      await waitForView(watched.page, 'ready');
      assert.equal(await watched.page.locator('#hosts a[href="/graph/web1/"]').count(), 1);
      assert.deepEqual(await assetScripts(watched.page), ['index.js']);
      assert.deepEqual(watched.errors, []);
    } finally {
      await closePage(watched);
    }
  });
});
