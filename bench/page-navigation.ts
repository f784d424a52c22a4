/**
 * The graph page over an 8,000-node profile (the server's default node
 * limit): one host's hour of collections served by the real server, the
 * page loaded in Debian's Chromium at 1920×1080 and timed from navigation
 * to a drawn graph.
 */
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { startServer } from '../test/support/server-process.js';
import { measurePageBreakdown } from './page-breakdown.js';
import { measurePageDraw, measurePageMainThread } from './page-draw.js';
import { report } from './report.js';
import { backfill, DAY, SECRET, tempFolder } from './workload-server.js';
import { hostWorkload } from './workload.js';

/** Nodes in the tree the page draws, counted without recursion. */
function nodeCount(root: { children?: unknown[] }): number {
  let count = 0;
  const pending = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    count++;
    for (const child of node.children ?? []) pending.push(child as { children?: unknown[] });
  }
  return count;
}

export async function pageNavigation(runs: number): Promise<void> {
  console.error('page: one host, one hour, the graph page over its 8,000-node profile');
  const folder = tempFolder('page');
  const host = hostWorkload('page', 77);
  const now = Math.floor(Date.now() / 1000);
  const store = openStackStore({ path: folder, retentionSeconds: DAY, maintenanceIntervalMs: 0 });
  await backfill(store, [host], Array.from({ length: 60 }, (_, i) => now - 3600 + i * 60));
  await store.close();
  // No kept answers: each load measures a profile worked out, as a first visit gets it.
  const server = await startServer(`[collector]\nsecret_header = ${SECRET}\nhosts = page=127.0.0.1:9\ninterval = 86400\n[store]\nanswer_cache = 0\n`, { dbpath: folder, built: true });
  try {
    const query = 'from=-2h&until=now';
    const tree = (await (await fetch(`${server.url}/profile/page/?${query}`)).json()) as { children?: unknown[] };
    console.error(`  the page draws ${nodeCount(tree).toLocaleString('en-US')} nodes`);
    const identity = await measurePageDraw(`${server.url}/graph/page/?${query}`, runs, { compressed: false });
    const gzipped = await measurePageDraw(`${server.url}/graph/page/?${query}`, runs);
    report('page drawn after its data arrives (8,000 nodes, Chromium)', gzipped.afterDataMs, 'ms', null);
    report('page, navigation to drawn graph, identity encoding (8,000 nodes, 1920×1080)', identity.navigationMs, 'ms', 400);
    report('page, navigation to drawn graph, gzip (8,000 nodes, 1920×1080)', gzipped.navigationMs, 'ms', 400);
    report('page, CPU of all the browser\'s processes, navigation to drawn graph, identity', identity.browserCpuMs, 'ms', null);
    report('page, CPU of all the browser\'s processes, navigation to drawn graph, gzip', gzipped.browserCpuMs, 'ms', null);
    const mainThread = await measurePageMainThread(`${server.url}/graph/page/?${query}`, runs);
    report('page, main-thread CPU, navigation to drawn graph (8,000 nodes)', mainThread.cpuMs, 'ms', null);
    report('page, of which style, layout and paint', mainThread.renderingMs, 'ms', null);
    await measurePageBreakdown(`${server.url}/graph/page/?${query}`, runs);
  } finally {
    await server.stop();
  }
}
