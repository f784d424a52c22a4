import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { FlameNode } from '../../../src/profile/flame-tree.js';
import { deepStack } from '../../profile/deep-stack.js';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, drawnFrames, launchChromium, openPage, saveScreenshot, waitForView } from './browser-session.js';

describe('a stack 10,000 frames deep on the graph page', () => {
  let server: RunningVisualizer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startVisualizer({ configuredHosts: ['deep'] }), launchChromium()]);
    await server.store.write('deep', DEFAULT_NOW - 600, new Map([[deepStack(10_000), 9], ['f0;g', 1]]));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is drawn without an error, its frames as deep as the server sends them', async () => {
    const watched = await openPage(browser, `${server.url}/graph/deep/`);
    const { page } = watched;
    await waitForView(page, 'ready');
    await page.waitForFunction(() => document.querySelectorAll('#chart svg g.frame').length > 1);
    assert.deepEqual(watched.errors, []);
    assert.equal(await page.locator('#total-samples').textContent(), '10 samples');
    // Every frame the server sent (8,000 nodes: the default cap folds the deepest into "(other)") is drawn.
    const served = await (await fetch(`${server.url}/profile/deep/`)).json() as FlameNode;
    const drawn = new Set(await drawnFrames(page));
    assert.deepEqual([...drawn].filter((name) => name !== 'all').sort(), namesBelowRoot(served).sort());
    assert.ok(drawn.has('f7996') && drawn.has('(other)'));
    await saveScreenshot(page, 'graph-10000-frames');
    await closePage(watched);
  });
});

/** Every distinct name in the tree below its root, read without recursion. */
function namesBelowRoot(root: FlameNode): string[] {
  const names = new Set<string>();
  const pending = [...(root.children ?? [])];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    names.add(node.name);
    pending.push(...(node.children ?? []));
  }
  return [...names];
}
