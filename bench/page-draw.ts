import { launchChromium } from '../test/visualizer/browser/browser-session.js';
import { median } from './measure.js';

/**
 * Milliseconds from the moment the page's /profile answer has fully arrived
 * to the moment the page says the graph is drawn (body[data-view=ready]),
 * as a median over `runs` fresh loads in Debian's Chromium.
 */
export async function measurePageDraw(url: string, runs: number): Promise<number> {
  const browser = await launchChromium();
  try {
    const samples: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
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
      const ms = await page.evaluate(() => {
        const profile = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/profile/')) as PerformanceResourceTiming;
        return (window as unknown as { drawnAt: number }).drawnAt - profile.responseEnd;
      });
      if (run > 0) samples.push(ms); // the first load warms the browser's caches
      await context.close();
    }
    return median(samples);
  } finally {
    await browser.close();
  }
}
