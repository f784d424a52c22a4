/**
 * Builds the pages the server sends from their sources in public/ into
 * dist/public/ (npm run build runs it after tsc; npm run build:page alone):
 *
 *   - the graph page's modules as two bundles, first-requests.js (async, asks
 *     for the profile while the rest arrives) and graph.js, with what both
 *     import in one shared chunk (api.js's early answers are one module's
 *     state, so it must exist once);
 *   - the hosts page's modules as one bundle, index.js (in a build of its
 *     own, so the graph page's shared chunk holds only what its two share);
 *   - the pages and the stylesheet, as they are.
 *
 * Why bundles: served as written, the graph page's 22 modules were 22
 * requests for the browser to make, fetch and hand to its renderer, on the
 * way to the graph: 31 requests a load become 11, and the browser's CPU a
 * load goes down by about a tenth (README, issue 12's page paragraphs).
 * The entry files keep their names, so the pages link them as written.
 * Source maps go beside them, fetched only by a browser's developer tools.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const SOURCE = fileURLToPath(new URL('../public/', import.meta.url));
export const BUILT_PUBLIC = fileURLToPath(new URL('../dist/public/', import.meta.url));

/** Served as they are: the pages and the stylesheet. */
const COPIED = ['graph.html', 'index.html', 'assets/style.css'] as const;

/** The bundles' settings: ES modules for the browsers that run the sources as written, source maps beside them. */
function bundleOptions(entries: readonly string[], outDir: string): BuildOptions {
  return {
    entryPoints: entries.map((entry) => `${SOURCE}assets/${entry}`),
    outdir: `${outDir}assets`,
    bundle: true,
    format: 'esm',
    sourcemap: 'linked',
    logLevel: 'warning',
  };
}

/** Writes the built pages into `outDir` (a folder path ending in a separator), replacing what was there. */
export async function buildPage(outDir = BUILT_PUBLIC): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(`${outDir}assets`, { recursive: true });
  await Promise.all([
    build({ ...bundleOptions(['first-requests.js', 'graph.js'], outDir), splitting: true, chunkNames: 'graph-shared-[hash]' }),
    build(bundleOptions(['index.js'], outDir)),
    ...COPIED.map((file) => copyFile(`${SOURCE}${file}`, `${outDir}${file}`)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPage();
