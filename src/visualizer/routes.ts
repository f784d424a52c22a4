import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import express, { type NextFunction, type Response } from 'express';
import { unixSeconds, type Clock } from '../clock.js';
import { HttpError } from '../http-error.js';
import { buildStackTrie, StackShapes } from '../profile/stack-trie.js';
import { sortFunctions, stackTrieToFunctions } from '../profile/stack-trie-to-functions.js';
import { timelineSteps } from '../profile/timeline-steps.js';
import type { StackStore } from '../store/stack-store.js';
import { hostsToRead, labelNames, labelValues, listHosts } from './host-names.js';
import { lastDataOf } from './last-data.js';
import { notFoundPage } from './not-found-page.js';
import { parseFunctionOrder, parseLimit } from './analysis-params.js';
import { sendDiffView } from './diff-view.js';
import { sendProfileView } from './profile-views.js';
import { parseTimeRange } from './query-params.js';
import { parseSparkSpan, sparklinesOf } from './sparklines.js';
import { timelineOf } from './timeline.js';
import { VENDOR_FILES } from './vendor-files.js';

export interface VisualizerDeps {
  store: StackStore;
  /** Host names (labels) from the config, in config order. */
  configuredHosts: readonly string[];
  clock: Clock;
  /** Folder of the page's files; default: the repository's public/. */
  publicDir?: string;
}

const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL('../../public', import.meta.url));

/** The flame-graph pages, their assets and the JSON API behind them. */
export function visualizerRoutes(deps: VisualizerDeps): express.Router {
  const { store, configuredHosts, clock } = deps;
  const publicDir = deps.publicDir ?? DEFAULT_PUBLIC_DIR;
  const router = express.Router();
  // Learned once per stack, reused by every profile: the costly part of building a tree.
  const shapes = new StackShapes();

  const sendPage = (res: Response, next: NextFunction, file: string): void =>
    sendFile(res, next, join(publicDir, file), { 'Cache-Control': 'no-cache' });

  router.get('/', (_req, res, next) => sendPage(res, next, 'index.html'));

  router.get('/graph/:host/', (req, res, next) => {
    try {
      hostsToRead(req.params.host, configuredHosts, store);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      res.status(error.status).type('html').send(notFoundPage(error.message));
      return;
    }
    sendPage(res, next, 'graph.html');
  });

  router.use('/assets', express.static(join(publicDir, 'assets'), { index: false }));
  router.use('/assets', (req) => {
    throw new HttpError(404, `no such asset: ${req.path}`);
  });

  router.get('/vendor/:file', (req, res, next) => {
    const vendor = VENDOR_FILES.get(req.params.file);
    if (vendor === undefined) throw new HttpError(404, `no such vendor file: ${req.params.file}`);
    sendFile(res, next, vendor.file, { 'Content-Type': vendor.contentType, 'Cache-Control': 'public, max-age=86400' });
  });

  router.get('/hosts', (req, res) => {
    const now = unixSeconds(clock);
    const span = parseSparkSpan(req.query);
    const hosts = listHosts(configuredHosts, store, now);
    const spark = span === null ? undefined : sparklinesOf(store, hosts.map((host) => host.name), span, now);
    res.json({ now, hosts, spark });
  });

  router.get('/last-data/:host/', (req, res) => {
    res.json(lastDataOf(store, hostsToRead(req.params.host, configuredHosts, store), unixSeconds(clock)));
  });

  // Label names and values of the series, for completing selectors.
  router.get('/labels', (_req, res) => {
    res.json({ labels: labelNames(configuredHosts, store) });
  });

  router.get('/labels/:name/values', (req, res) => {
    res.json({ label: req.params.name, values: labelValues(req.params.name, configuredHosts, store) });
  });

  router.get('/profile/:host/', (req, res) => {
    const { host } = req.params;
    const hosts = hostsToRead(host, configuredHosts, store);
    sendProfileView(req, res, { store, shapes }, host, hosts, parseTimeRange(req.query, unixSeconds(clock)));
  });

  router.get('/functions/:host/', (req, res) => {
    const { host } = req.params;
    const hosts = hostsToRead(host, configuredHosts, store);
    const { from, until } = parseTimeRange(req.query, unixSeconds(clock));
    const sort = parseFunctionOrder(req.query);
    const limit = parseLimit(req.query);
    const trie = buildStackTrie(store.read(hosts, from, until), shapes);
    const functions = sortFunctions(stackTrieToFunctions(trie), sort);
    res.json({
      total: trie.value(trie.root),
      functions: functions.slice(0, limit),
      meta: { host, from, until, sort, limit: Number.isFinite(limit) ? limit : null, count: functions.length },
    });
  });

  router.get('/diff/:host/', (req, res) => {
    const { host } = req.params;
    const hosts = hostsToRead(host, configuredHosts, store);
    sendDiffView(req, res, { store, shapes, configuredHosts }, host, hosts, unixSeconds(clock));
  });

  router.get('/timeline/:host/', (req, res) => {
    const hosts = hostsToRead(req.params.host, configuredHosts, store);
    res.json(timelineOf(store, hosts, parseTimeRange(req.query, unixSeconds(clock))));
  });

  return router;
}

/** A missing file is a JSON 404 naming it without its path; an aborted download is left alone. */
function sendFile(res: Response, next: NextFunction, path: string, headers: Record<string, string>): void {
  res.sendFile(path, { headers }, (error?: NodeJS.ErrnoException) => {
    if (!error || res.headersSent) return;
    next(error.code === 'ENOENT' ? new HttpError(404, `not installed: ${basename(path)}`) : error);
  });
}
