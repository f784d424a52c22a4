import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

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

/**
 * CSP sources (`'sha256-…'`) for the inline styles the vendor files insert:
 * d3-flame-graph's bundle injects its stylesheet as a <style> element (the
 * page links the same rules from d3-flamegraph.css anyway). Allowing exactly
 * that text by its hash keeps `'unsafe-inline'` out of the policy. Empty when
 * the bundle has no such literal (another version): the browser tests' CSP
 * check then reports the blocked style.
 */
export const VENDOR_INLINE_STYLE_HASHES: readonly string[] = inlineStyleHashes(VENDOR_FILES.get('d3-flamegraph.min.js')!.file);

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
 * once per process at the best level (d3 goes from 280 KB to 90 KB) and
 * sent whole on every page load: gzipping d3 per request cost the server a
 * few milliseconds and streamed it in pieces through zlib's thread pool,
 * and on a loaded machine it arrived last of the page's files.
 */
export function vendorBody(name: string): VendorBody {
  let body = vendorBodies.get(name);
  if (body === undefined) {
    const plain = readFileSync(VENDOR_FILES.get(name)!.file);
    const hash = createHash('sha256').update(plain).digest('base64url').slice(0, 27);
    body = { plain, gzipped: gzipSync(plain, { level: constants.Z_BEST_COMPRESSION }), etag: { plain: `"${hash}"`, gzipped: `"${hash}-gzip"` } };
    vendorBodies.set(name, body);
  }
  return body;
}
