import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
/** Resolves what d3 depends on: its modules, whichever folder the package manager put them in. */
const d3Require = createRequire(require.resolve('d3'));

/** The dist folder of an installed package, found through its main entry (its exports hide dist/). */
function distFolder(packageName: string, resolve: NodeJS.RequireResolve = require.resolve): string {
  return dirname(resolve(packageName));
}

/**
 * The d3 modules the pages and d3-flame-graph use, from the packages d3
 * itself is made of, in the order their UMD builds need (each takes the
 * modules it imports from the global `d3` the ones before it filled).
 * Served as one file in place of d3's bundle: that bundle's other 12 modules
 * (geo, force, zoom, contours, colour schemes…) are 40 % of its bytes and of
 * the time the browser takes to compile and run it, on the way to the graph.
 */
export const D3_MODULES = [
  'd3-array', 'd3-color', 'd3-dispatch', 'd3-ease', 'd3-format', 'd3-interpolate', 'd3-path', 'd3-selection', 'd3-shape',
  'd3-time', 'd3-time-format', 'd3-timer', 'd3-scale', 'd3-transition', 'd3-drag', 'd3-brush', 'd3-axis', 'd3-hierarchy',
] as const;

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * The browser libraries the page loads, served from node_modules because the
 * machines this runs on are often offline: URL name -> the files it is made
 * of (joined in order) and its type.
 */
export const VENDOR_FILES: ReadonlyMap<string, { files: readonly string[]; contentType: string }> = new Map([
  ['d3.min.js', { files: D3_MODULES.map((name) => join(distFolder(name, d3Require.resolve), `${name}.min.js`)), contentType: JAVASCRIPT }],
  ['d3-flamegraph.min.js', { files: [join(distFolder('d3-flame-graph'), 'd3-flamegraph.umd.min.js')], contentType: JAVASCRIPT }],
  ['d3-flamegraph.css', { files: [join(distFolder('d3-flame-graph'), 'd3-flamegraph.css')], contentType: 'text/css; charset=utf-8' }],
]);

/**
 * CSP sources (`'sha256-…'`) for the inline styles the vendor files insert:
 * d3-flame-graph's bundle injects its stylesheet as a <style> element (the
 * page links the same rules from d3-flamegraph.css anyway). Allowing exactly
 * that text by its hash keeps `'unsafe-inline'` out of the policy. Empty when
 * the bundle has no such literal (another version): the browser tests' CSP
 * check then reports the blocked style.
 */
export const VENDOR_INLINE_STYLE_HASHES: readonly string[] = inlineStyleHashes(VENDOR_FILES.get('d3-flamegraph.min.js')!.files[0]);

function inlineStyleHashes(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const marker = '.textContent=`';
  const start = code.indexOf(marker, code.indexOf('document.createElement("style")'));
  const end = code.indexOf('`', start + marker.length);
  if (start < 0 || end < 0) return [];
  const text = code.slice(start + marker.length, end);
  // A template literal with escapes or substitutions would not be its own value: hash nothing rather than a guess.
  if (text.includes('\\') || text.includes('${')) return [];
  return [`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`];
}

/** A vendor file's bytes as they are and gzipped, and the ETag of its content (the app sets none itself). */
export interface VendorBody {
  plain: Buffer;
  gzipped: Buffer;
  /** Quoted, as the header takes it; one representation's differs from the other's. */
  etag: { plain: string; gzipped: string };
}

const vendorBodies = new Map<string, VendorBody>();

/**
 * The bytes of vendor file `name` (a key of VENDOR_FILES), read and gzipped
 * once per process at the best level (d3's modules go from 170 KB to 52 KB) and
 * sent whole on every page load: gzipping d3 per request cost the server a
 * few milliseconds and streamed it in pieces through zlib's thread pool,
 * and on a loaded machine it arrived last of the page's files.
 */
export function vendorBody(name: string): VendorBody {
  let body = vendorBodies.get(name);
  if (body === undefined) {
    // A line break between files: one ending in a line comment would otherwise swallow the next one's first line.
    const plain = Buffer.concat(VENDOR_FILES.get(name)!.files.flatMap((file, i) => [...(i > 0 ? [Buffer.from('\n')] : []), readFileSync(file)]));
    const hash = createHash('sha256').update(plain).digest('base64url').slice(0, 27);
    body = { plain, gzipped: gzipSync(plain, { level: constants.Z_BEST_COMPRESSION }), etag: { plain: `"${hash}"`, gzipped: `"${hash}-gzip"` } };
    vendorBodies.set(name, body);
  }
  return body;
}
