import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULT_NOW, startVisualizer, type RunningVisualizer } from '../harness.js';
import { closePage, drawnFrames, launchChromium, openPage, saveScreenshot, waitForView } from './browser-session.js';

const STACKS = 5000;

/** A deterministic generator (a 32-bit LCG, high bits), so every run draws the same profile. */
function seededRandom(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 8) % below;
  };
}

/**
 * `count` distinct stacks 20 to 30 frames deep that share their outer frames
 * and branch out further down, as a service's stacks do; counts 1 to 50.
 */
function serviceLikeStacks(count: number): Map<string, number> {
  const random = seededRandom(7);
  const stacks = new Map<string, number>();
  while (stacks.size < count) {
    const depth = 20 + random(11);
    const frames: string[] = [];
    for (let level = 0; level < depth; level += 1) {
      const choices = 1 + Math.min(level, 6);
      frames.push(`handler_${level}_${random(choices)}(service.module${level % 9})`);
    }
    stacks.set(frames.join(';'), 1 + random(50));
  }
  return stacks;
}

describe('a profile of 5,000 distinct stacks', () => {
  let server: RunningVisualizer;
  let browser: Browser;
  let total = 0;

  before(async () => {
    [server, browser] = await Promise.all([startVisualizer({ configuredHosts: ['busy'] }), launchChromium()]);
    const stacks = serviceLikeStacks(STACKS);
    for (const count of stacks.values()) total += count;
    await server.store.write('busy', DEFAULT_NOW - 600, stacks);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is drawn in full, and prints how long from navigation to a drawn graph', async () => {
    const timings: number[] = [];
    for (let run = 1; run <= 3; run += 1) {
      const started = performance.now();
      const watched = await openPage(browser, `${server.url}/graph/busy/`);
      const { page } = watched;
      await waitForView(page, 'ready');
      await page.waitForFunction(() => document.querySelectorAll('#chart svg g.frame').length > 1);
      timings.push(performance.now() - started);
      const inPage = await page.evaluate(() => {
        const profile = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/profile/'));
        return { drawnAt: performance.now(), profileMs: profile?.duration ?? NaN };
      });
      console.log(`run ${run}: GET /profile took ${inPage.profileMs.toFixed(0)} ms; ` +
        `graph drawn ${inPage.drawnAt.toFixed(0)} ms after the page's navigation started`);

      assert.equal(await page.locator('#total-samples').textContent(), `${total.toLocaleString('en-US')} samples`);
      assert.ok((await drawnFrames(page)).includes('handler_0_0(service.module0)'));
      if (run === 3) {
        const frames = (await drawnFrames(page)).length;
        const note = await page.locator('#pruned-note').textContent();
        console.log(`5,000 stacks (${total} samples): ${frames} frames drawn (over 2 px wide); ${note || 'nothing pruned'}`);
        await saveScreenshot(page, 'graph-5000-stacks');
      }
      assert.deepEqual(watched.errors, []);
      await closePage(watched);
    }
    const sorted = [...timings].sort((a, b) => a - b);
    console.log(`navigation to drawn graph, 5,000 stacks: ${timings.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} ` +
      `(median ${sorted[1].toFixed(0)} ms; includes a fresh browser context each time)`);
  });

  // Thousands of frames are laid out and painted once: none waits for a later animation frame (a d3 transition) to be finished.
  it('is drawn whole in the task that shows it, and renders no label box for frames too narrow for a label', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // Text, not a function: tsx would wrap a function's inner arrows in a helper the page lacks.
    await page.addInitScript({
      content: `new MutationObserver((changes, observer) => {
        if (document.body?.dataset.view !== 'ready') return;
        observer.disconnect();
        // Runs after the task that set the view ready, before any animation frame.
        window.unfinishedAtReady = [...document.querySelectorAll('#chart g.frame')].filter((frame) => {
          const width = Number(frame.querySelector('rect')?.getAttribute('width') ?? Number.NaN);
          return !(width > 0) || (width >= 35 && frame.textContent === '');
        }).map((frame) => frame.getAttribute('name'));
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-view'] });`,
    });
    await page.goto(`${server.url}/graph/busy/`);
    await waitForView(page, 'ready');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { unfinishedAtReady: string[] }).unfinishedAtReady), []);

    const frames = await page.$$eval('#chart g.frame', (groups) => groups.map((frame) => ({
      width: Number(frame.querySelector('rect')!.getAttribute('width')),
      labels: frame.querySelectorAll('foreignObject').length,
    })));
    assert.ok(frames.some(({ width }) => width < 35) && frames.some(({ width }) => width >= 35));
    for (const { width, labels } of frames) assert.equal(labels, width >= 35 ? 1 : 0, `a frame ${width} px wide`);
    await context.close();
  });
});
