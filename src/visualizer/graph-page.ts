import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError } from '../http-error.js';
import { escapeHtml } from './not-found-page.js';

/**
 * The graph page with its first API requests preloaded from its head. The
 * page's own scripts can ask for them only once they have arrived and run
 * (first-requests.js and the chunk it imports: a few hundred ms on a busy
 * machine); a preload starts as the head is parsed, and the script's fetch
 * of the same URL takes its answer. The URLs come from the page's own
 * module (public/assets/load-urls.js, the source its bundles are built
 * from, run here as in the browser), so the two cannot name different ones;
 * a range that depends on the browser's time zone is left to the page, as
 * only the browser knows it.
 */

/** openingLoadUrls of public/assets/load-urls.js. */
type OpeningLoadUrls = (pathname: string, search: string) => { urls: string[]; browserZone: boolean };

/** public/assets/load-urls.js, from src/visualizer (under tsx) and from dist/visualizer alike. */
const LOAD_URLS_MODULE = new URL('../../public/assets/load-urls.js', import.meta.url).href;

/** Where the preloads go: before the script that fetches the same URLs. */
const FIRST_REQUESTS_SCRIPT = '<script type="module" async src="/assets/first-requests.js"></script>';

/** `html` with a preload of each URL before its first-requests script; as it was without that script. */
export function withPreloads(html: string, urls: readonly string[]): string {
  const at = html.indexOf(FIRST_REQUESTS_SCRIPT);
  if (at < 0 || urls.length === 0) return html;
  // crossorigin: fetch() asks in CORS mode, and a preload is used only by a request of the same mode.
  const links = urls.map((url) => `<link rel="preload" as="fetch" crossorigin href="${escapeHtml(url)}">\n  `).join('');
  return html.slice(0, at) + links + html.slice(at);
}

/**
 * Reads graph.html from `publicDir` for each page (it may be built again
 * under a running server, as the assets are) and preloads what a page opened at
 * `url` (path and query, as requested) asks for first.
 */
export function graphPageWithPreloads(publicDir: string): (url: string) => Promise<string> {
  let opening: Promise<OpeningLoadUrls> | undefined;
  return async (url) => {
    const html = await readFile(join(publicDir, 'graph.html'), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new HttpError(404, 'not installed: graph.html') : error;
    });
    if (!html.includes(FIRST_REQUESTS_SCRIPT)) return html;
    opening ??= import(LOAD_URLS_MODULE)
      .then((module: { openingLoadUrls: OpeningLoadUrls }) => module.openingLoadUrls);
    const queryAt = url.indexOf('?');
    const { urls, browserZone } = (await opening)(queryAt < 0 ? url : url.slice(0, queryAt), queryAt < 0 ? '' : url.slice(queryAt));
    return browserZone ? html : withPreloads(html, urls);
  };
}
