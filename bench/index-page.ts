/**
 * The index page over a fleet: 1,000 hosts, each with a last collection and
 * a last error (two times the page names with their zone in every row),
 * served by the real server and loaded in Debian's Chromium at 1920×1080.
 * Timed from navigation to the list drawn (body[data-view=ready], then the
 * frame that paints it), with the main thread's CPU over the same span and
 * the part of it spent styling, laying out and painting, which each of its
 * refreshes (every 10 s while the page stays open) costs again.
 */
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { startServer } from '../test/support/server-process.js';
import { launchChromium } from '../test/visualizer/browser/browser-session.js';
import { median } from './measure.js';
import { mainThreadCpu, tracedLoad } from './page-draw.js';
import { report } from './report.js';
import { SECRET, tempFolder } from './workload-server.js';

const HOSTS = 1_000;

/** Runs in the page before its scripts: says `index listed <ms since navigation>` on the console after the frame that paints the list. */
const WHEN_LIST_PAINTED = `
  new MutationObserver((changes, observer) => {
    if (document.body?.dataset.view === 'ready') {
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => console.debug('index listed', performance.now()), 0));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-view'] });
`;

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
    const rendering: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const { page, events, said } = await tracedLoad(browser, `${server.url}/`, { initScripts: [WHEN_LIST_PAINTED], until: 'index listed' });
      const rows = await page.evaluate(() => document.querySelectorAll('#hosts tbody tr').length);
      await page.context().close();
      if (rows < HOSTS) throw new Error(`the index listed ${rows} hosts, not all ${HOSTS}`);
      if (run === 0) continue; // the first load warms the browser's caches
      const { cpuMs, renderingMs } = mainThreadCpu(events);
      listed.push(Number(said.split(' ').at(-1)));
      cpu.push(cpuMs);
      rendering.push(renderingMs);
    }
    report(`index page, ${HOSTS.toLocaleString('en-US')} hosts, navigation to list drawn`, median(listed), 'ms', null);
    report(`index page, ${HOSTS.toLocaleString('en-US')} hosts, main-thread CPU to list drawn`, median(cpu), 'ms', null);
    report('index page, of which style, layout and paint', median(rendering), 'ms', null);
  } finally {
    await browser.close();
    await server.stop();
  }
}
