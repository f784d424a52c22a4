import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, drawnFrames, launchChromium, openPage, waitForText, waitForView } from './browser-session.js';

/**
 * At 1920 px: wide(app) takes nearly all; 50 tiny(app) frames of 1 sample
 * are under a fifth of a pixel; mid(app) (300 samples, ~55 px) holds
 * small(app) (20 samples, ~3.7 px: drawn, no room for a label) and 28
 * leaf(app) frames of 10 samples (~1.8 px: not drawn until a zoom widens them).
 */
function sliverStacks(): Map<string, number> {
  const stacks = new Map([['main(app);wide(app)', 10_000], ['main(app);mid(app);small(app)', 20]]);
  for (let i = 0; i < 50; i++) stacks.set(`main(app);tiny_${i}(app)`, 1);
  for (let i = 0; i < 28; i++) stacks.set(`main(app);mid(app);leaf_${i}(app)`, 10);
  return stacks;
}

/** Each drawn frame: its name, width and label text (null: no label box). */
function frames(page: Page): Promise<{ name: string; width: number; label: string | null }[]> {
  return page.$$eval('#chart g.frame', (groups) => groups.map((frame) => ({
    name: frame.getAttribute('name') ?? '',
    width: Number(frame.querySelector('rect')!.getAttribute('width')),
    label: frame.querySelector('foreignObject')?.textContent ?? null,
  })));
}

async function tooltipOf(page: Page, name: string): Promise<string | null> {
  await page.locator(`#chart g.frame[name="${name}"]`).hover();
  return page.locator('.d3-flame-graph-tip').textContent();
}

describe('frames too narrow to see', () => {
  let server: RunningVisualizer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startVisualizer({ configuredHosts: ['slivers'] }), launchChromium()]);
    await server.store.write('slivers', DEFAULT_NOW - 600, sliverStacks());
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('are not drawn, yet every sample counts: in the widths, the totals, the tooltips and the search', async () => {
    const watched = await openPage(browser, `${server.url}/graph/slivers/`, { viewport: { width: 1920, height: 1080 } });
    const { page } = watched;
    await waitForView(page, 'ready');
    assert.deepEqual((await drawnFrames(page)).sort(), ['all', 'main(app)', 'mid(app)', 'small(app)', 'wide(app)']);
    const drawn = await frames(page);
    const width = (name: string) => drawn.find((frame) => frame.name === name)!.width;
    // A parent is as wide as all its samples, its undrawn children's included.
    assert.ok(Math.abs(width('mid(app)') / width('all') - 300 / 10_350) < 1e-9);
    assert.ok(Math.abs(width('main(app)') - width('all')) < 1e-9);

    assert.equal(await page.locator('#total-samples').textContent(), '10,350 samples');
    assert.equal(await tooltipOf(page, 'mid(app)'), 'mid(app)\n300 samples, 2.9% of the total\nself 0 samples, 0.0% of the total\npackage app');
    assert.equal(await tooltipOf(page, 'main(app)'), 'main(app)\n10,350 samples, 100.0% of the total\nself 0 samples, 0.0% of the total\npackage app');
    await page.locator('#search-input').fill('tiny_');
    await waitForText(page, '#search-result', '50 samples (0.48%) match');
    await page.locator('#search-input').fill('leaf_');
    await waitForText(page, '#search-result', '280 samples (2.7%) match');
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });

  it('have no label box; a zoom draws and labels the frames it widens, and a reset takes them back', async () => {
    const watched = await openPage(browser, `${server.url}/graph/slivers/`, { viewport: { width: 1920, height: 1080 } });
    const { page } = watched;
    await waitForView(page, 'ready');
    const labelled = async () => (await frames(page)).filter(({ label }) => label !== null);
    const unlabelledNarrow = async () => (await frames(page)).every(({ width, label }) => (width >= 35) === (label !== null));
    assert.deepEqual((await labelled()).map(({ name, label }) => [name, label]).sort(),
      [['all', 'all'], ['main(app)', 'main(app)'], ['mid(app)', 'mid(app)'], ['wide(app)', 'wide(app)']]);
    assert.ok(await unlabelledNarrow());

    await page.locator('#chart g.frame[name="mid(app)"]').click();
    // small(app) was drawn before, without a label; the leaves were not drawn (d3-flame-graph writes their labels after its zoom animation).
    await page.waitForFunction(() => [...document.querySelectorAll('#chart g.frame')]
      .filter((frame) => /^(small|leaf_)/.test(frame.getAttribute('name') ?? ''))
      .every((frame) => frame.querySelector('foreignObject')?.textContent === frame.getAttribute('name')));
    const zoomed = await frames(page);
    assert.equal(zoomed.filter(({ name }) => name.startsWith('leaf_')).length, 28, 'the leaves are drawn once wide enough');
    assert.equal(zoomed.find(({ name }) => name === 'small(app)')?.label, 'small(app)');

    await page.locator('#reset-zoom').click();
    // The reset is animated: wait for small(app)'s rect to be back at its width.
    await page.waitForFunction(() => document.querySelector('#chart g.frame[name^="leaf_"]') === null &&
      Number(document.querySelector('#chart g.frame[name="small(app)"] rect')?.getAttribute('width')) < 5);
    assert.equal(await page.locator('#chart g.frame[name="small(app)"] foreignObject').count(), 0);
    assert.ok(await unlabelledNarrow());
    assert.deepEqual(watched.errors, []);
    await closePage(watched);
  });
});
