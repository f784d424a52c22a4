import { findSourceMap } from 'node:module';
import type { CallSite } from './frame-label.js';

/**
 * The call site in the source the code was built from, when Node holds a
 * source map for it (tsx, or `--enable-source-maps` with compiled output);
 * otherwise the site as V8 saw it. Without this a TypeScript function would be
 * shown at its line in the generated JavaScript.
 */
export function originalCallSite(site: CallSite): CallSite {
  // Only files have source maps; skipping node: internals and V8's own frames saves a lookup each.
  if (!(site.url.startsWith('file:') || site.url.startsWith('/')) || site.lineNumber < 0) return site;
  const entry = findSourceMap(site.url)?.findEntry(site.lineNumber, site.columnNumber);
  if (entry === undefined || !('originalSource' in entry)) return site;
  return { ...site, url: entry.originalSource, lineNumber: entry.originalLine, columnNumber: entry.originalColumn };
}
