/**
 * The index page over a fleet: 1,000 hosts, each with a last collection and
 * a last error (two times the page names with their zone in every row),
 * served by the real server and loaded in Debian's Chromium at 1920×1080.
 * Timed from navigation to the list drawn (body[data-view=ready], then the
 * frame that paints it), with the main thread's CPU over the same span: what
 * each of its refreshes, every 10 s while the page stays open, costs again.
 */
import type { Page } from 'playwright-core';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { startServer } from '../test/support/server-process.js';
import { launchChromium } from '../test/visualizer/browser/browser-session.js';
import { median } from './measure.js';
import { rendererMainThread, type TraceEvent } from './page-draw.js';
import { report } from './report.js';
import { SECRET, tempFolder } from './workload-server.js';

const HOSTS = 1_000;

/** Runs in the page before its scripts: says `index listed` on the console after the frame that paints the list. */
const WHEN_LIST_PAINTED = `
  new MutationObserver((changes, observer) => {
    if (document.body?.dataset.view === 'ready') {
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => console.debug('index listed', performance.now()), 0));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-view'] });
`;

async function listedAt(page: Page): Promise<number> {
  const message = await page.waitForEvent('console', { predicate: (m) => m.text().startsWith('index listed'), timeout: 60_000 });
  return Number(message.text().split(' ').at(-1));
}

export async function indexPageAtFleetSize(runs: number): Promise<void> {
  console.error(`index page: ${HOSTS.toLocaleString('en-US')} hosts, each with a last collection and a last error`);
  const folder = tempFolder('index-page');
  const store = openStackStore({ path: folder, retentionSeconds: 86_400, maintenanceIntervalMs: 0 });
  const now = Math.floor(Date.now() / 1000);
  await Promise.all(Array.from({ length: HOSTS }, async (_, i) => {
    await store.write(`web${i}`, now - 60, new Map([['main;handle;work', 3]]));
    await store.recordSuccess(`web${i}`, now - 60);
    await store.recordError(`web${i}`, now - 30, 'timed out after 10 s');
  }));
  await store.close();
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = web0=127.0.0.1:9\ninterval = 86400\n`, { dbpath: folder, built: true });
  const browser = await launchChromium();
  try {
    const listed: number[] = [];
    const cpu: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      await page.addInitScript({ content: WHEN_LIST_PAINTED });
      await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      const heard = listedAt(page);
      await page.goto(`${server.url}/`);
      const at = await heard;
      const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
      const rows = await page.evaluate(() => document.querySelectorAll('#hosts tbody tr').length);
      await context.close();
      if (rows < HOSTS) throw new Error(`the index listed ${rows} hosts, not all ${HOSTS}`);
      let total = 0;
      let topLevelEnd = 0;
      for (const event of rendererMainThread(trace.traceEvents)) {
        if (event.ts < topLevelEnd) continue;
        total += event.tdur!;
        topLevelEnd = event.ts + event.dur!;
      }
      if (run === 0) continue; // the first load warms the browser's caches
      listed.push(at);
      cpu.push(total / 1000);
    }
    report(`index page, ${HOSTS.toLocaleString('en-US')} hosts, navigation to list drawn`, median(listed), 'ms', null);
    report(`index page, ${HOSTS.toLocaleString('en-US')} hosts, main-thread CPU to list drawn`, median(cpu), 'ms', null);
  } finally {
    await browser.close();
    await server.stop();
  }
}
