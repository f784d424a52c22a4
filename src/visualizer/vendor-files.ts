import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The dist folder of an installed package, found through its main entry (its exports hide dist/). */
function distFolder(packageName: string): string {
  return dirname(require.resolve(packageName));
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * The browser libraries the page loads, served from node_modules because the
 * machines this runs on are often offline: URL name -> file and type.
 */
export const VENDOR_FILES: ReadonlyMap<string, { file: string; contentType: string }> = new Map([
  ['d3.min.js', { file: join(distFolder('d3'), 'd3.min.js'), contentType: JAVASCRIPT }],
  ['d3-flamegraph.min.js', { file: join(distFolder('d3-flame-graph'), 'd3-flamegraph.umd.min.js'), contentType: JAVASCRIPT }],
  ['d3-flamegraph.css', { file: join(distFolder('d3-flame-graph'), 'd3-flamegraph.css'), contentType: 'text/css; charset=utf-8' }],
]);
