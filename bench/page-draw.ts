import { launchChromium } from '../test/visualizer/browser/browser-session.js';
import { median } from './measure.js';

export interface PageDraw {
  /** From the page's /profile answer fully arrived to the graph drawn (body[data-view=ready]). */
  afterDataMs: number;
  /** From navigation start to the graph drawn: what the user waits. */
  navigationMs: number;
}

/**
 * How long the page at `url` takes to draw its graph, as medians over `runs`
 * fresh loads in Debian's Chromium at 1920×1080. `compressed: false` asks
 * for identity encoding (Accept-Encoding: identity), as a server without
 * compression would answer.
 */
export async function measurePageDraw(url: string, runs: number, { compressed = true } = {}): Promise<PageDraw> {
  const browser = await launchChromium();
  try {
    const afterData: number[] = [];
    const navigation: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({
        viewport: { width: 1920, height: 1080 },
        extraHTTPHeaders: compressed ? {} : { 'Accept-Encoding': 'identity' },
      });
      const page = await context.newPage();
      await page.addInitScript(() => {
        new MutationObserver((_changes, observer) => {
          if (document.body?.dataset.view === 'ready') {
            (window as unknown as { drawnAt: number }).drawnAt = performance.now();
            observer.disconnect();
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-view'] });
      });
      await page.goto(url);
      await page.waitForFunction(() => 'drawnAt' in window, null, { timeout: 60_000 });
      const [sinceData, sinceNavigation] = await page.evaluate(() => {
        const profile = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/profile/')) as PerformanceResourceTiming;
        const { drawnAt } = window as unknown as { drawnAt: number };
        // performance.now() counts from the navigation's start.
        return [drawnAt - profile.responseEnd, drawnAt];
      });
      if (run > 0) {
        // the first load warms the browser's caches
        afterData.push(sinceData);
        navigation.push(sinceNavigation);
      }
      await context.close();
    }
    return { afterDataMs: median(afterData), navigationMs: median(navigation) };
  } finally {
    await browser.close();
  }
}

/**
 * Milliseconds from a click on the widest "(other)" frame of the page at
 * `url` to the detail behind it drawn (the page back at
 * body[data-view=ready] after loading the `path=` answer), as a median over
 * `runs` fresh loads; null when the graph has no "(other)" to click.
 */
export async function measureDetailDraw(url: string, runs: number): Promise<number | null> {
  const browser = await launchChromium();
  try {
    const samples: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => document.body.dataset.view === 'ready', null, { timeout: 60_000 });
      const ms = await page.evaluate(() => new Promise<number | null>((resolve) => {
        const others = [...document.querySelectorAll<SVGGElement>('#chart g.frame[name="(other)"]')];
        const widest = others.sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0];
        if (!widest) {
          resolve(null);
          return;
        }
        let loading = false;
        const started = performance.now();
        new MutationObserver((_changes, observer) => {
          if (document.body.dataset.view === 'loading') loading = true;
          else if (loading && document.body.dataset.view === 'ready') {
            observer.disconnect();
            resolve(performance.now() - started);
          }
        }).observe(document.body, { attributes: true, attributeFilter: ['data-view'] });
        widest.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      }), null);
      await context.close();
      if (ms === null) return null;
      if (run > 0) samples.push(ms); // the first load warms the browser's caches
    }
    return median(samples);
  } finally {
    await browser.close();
  }
}
