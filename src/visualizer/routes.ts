import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import express, { type NextFunction, type Response } from 'express';
import { unixSeconds, type Clock } from '../clock.js';
import { HttpError } from '../http-error.js';
import { pruneStackTrie } from '../profile/prune-flame-tree.js';
import { buildStackTrie, StackShapes } from '../profile/stack-trie.js';
import type { StackStore } from '../store/stack-store.js';
import { hostsToRead, isKnownHost, listHosts } from './host-names.js';
import { notFoundPage } from './not-found-page.js';
import { parseMaxNodes, parseThreshold, parseTimeRange } from './query-params.js';
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
    const { host } = req.params;
    if (!isKnownHost(host, configuredHosts, store)) {
      res.status(404).type('html').send(notFoundPage(`unknown host: ${host}`));
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

  router.get('/hosts', (_req, res) => {
    const now = unixSeconds(clock);
    res.json({ now, hosts: listHosts(configuredHosts, store, now) });
  });

  router.get('/profile/:host/', (req, res) => {
    const { host } = req.params;
    const hosts = hostsToRead(host, configuredHosts, store);
    const { from, until } = parseTimeRange(req.query, unixSeconds(clock));
    const threshold = parseThreshold(req.query);
    const maxNodes = parseMaxNodes(req.query);
    const pruned = pruneStackTrie(buildStackTrie(store.read(hosts, from, until), shapes), { threshold, maxNodes });
    const { nodes, prunedNodes, prunedSamples } = pruned;
    res.json({ ...pruned.tree, meta: { host, from, until, threshold, maxNodes, nodes, prunedNodes, prunedSamples } });
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
