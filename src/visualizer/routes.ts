import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import express, { type NextFunction, type RequestHandler, type Response } from 'express';
import { unixSeconds, type Clock } from '../clock.js';
import { HttpError } from '../http-error.js';
import { acceptsGzip } from '../http/compression.js';
import type { StackStore } from '../store/stack-store.js';
import { answerKey, type AnswerCache } from './answer-cache.js';
import { graphPageWithPreloads } from './graph-page.js';
import { HostLists } from './host-lists.js';
import { labelNames, labelValues, listHosts } from './host-names.js';
import { lastDataOf } from './last-data.js';
import { LastHourSamples } from './last-hour-samples.js';
import { notFoundPage } from './not-found-page.js';
import type { QueryPool } from './query-pool.js';
import type { QueryJob, QueryRoute } from './query-views.js';
import { sameSecondKey, type SharedBuilds, type StartBuild } from './shared-builds.js';
import { parseSparkSpan, sparklinesOf } from './sparklines.js';
import type { ViewAnswer } from './view-answer.js';
import { VENDOR_FILES, vendorBody } from './vendor-files.js';

export interface VisualizerDeps {
  store: StackStore;
  /** Host names (labels) from the config, in config order. */
  configuredHosts: readonly string[];
  clock: Clock;
  /** Where /profile, /functions and /diff are answered: worker threads reading the same store. */
  queries: QueryPool;
  /** Finished /profile and /functions answers kept for the same question asked again; none when absent. */
  answers?: AnswerCache;
  /** Where identical query requests under way share one build; each is built on its own when absent. */
  builds?: SharedBuilds;
  /** The host lists of selectors, remembered; default: worked out again whenever the store's host set may have changed, read each time. */
  hostLists?: HostLists;
  /** Each host's samples in the last hour, as GET /hosts lists them; default: read again every new second. */
  lastHour?: LastHourSamples;
  /** Folder of the page's files; default: the pages as built from public/ (dist/public, scripts/build-page.ts). */
  publicDir?: string;
}

/** dist/public, from src/visualizer (under tsx) and from dist/visualizer alike. */
const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL('../../dist/public', import.meta.url));

/** The flame-graph pages, their assets and the JSON API behind them. */
export function visualizerRoutes(deps: VisualizerDeps): express.Router {
  const { store, configuredHosts, clock, queries, answers, builds } = deps;
  const publicDir = deps.publicDir ?? DEFAULT_PUBLIC_DIR;
  const hostLists = deps.hostLists ?? new HostLists(configuredHosts, store, { ownWrites: false });
  const router = express.Router();

  const sendPage = (res: Response, next: NextFunction, file: string): void =>
    sendFile(res, next, join(publicDir, file), { 'Cache-Control': 'no-cache' });

  router.get('/', (_req, res, next) => sendPage(res, next, 'index.html'));

  const graphPage = graphPageWithPreloads(publicDir);
  router.get('/graph/:host/', async (req, res) => {
    try {
      hostLists.of(req.params.host);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      res.status(error.status).type('html').send(notFoundPage(error.message));
      return;
    }
    res.set('Cache-Control', 'no-cache').type('html').send(await graphPage(req.originalUrl));
  });

  router.use('/assets', express.static(join(publicDir, 'assets'), { index: false }));
  router.use('/assets', (req) => {
    throw new HttpError(404, `no such asset: ${req.path}`);
  });

  router.get('/vendor/:file', (req, res) => {
    const vendor = VENDOR_FILES.get(req.params.file);
    if (vendor === undefined) throw new HttpError(404, `no such vendor file: ${req.params.file}`);
    const body = vendorBody(req.params.file);
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    res.vary('Accept-Encoding');
    res.set({
      'Content-Type': vendor.contentType, 'Cache-Control': 'public, max-age=86400', ETag: gzip ? body.etag.gzipped : body.etag.plain,
    });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    if (gzip) res.set('Content-Encoding', 'gzip');
    res.send(gzip ? body.gzipped : body.plain);
  });

  const lastHour = deps.lastHour ?? new LastHourSamples(store);
  router.get('/hosts', (req, res) => {
    const now = unixSeconds(clock);
    const span = parseSparkSpan(req.query);
    const hosts = listHosts(hostLists.knownHosts(), configuredHosts, store, now, lastHour);
    const spark = span === null ? undefined : sparklinesOf(store, hosts.map((host) => host.name), span, now);
    res.json({ now, hosts, spark });
  });

  router.get('/last-data/:host/', (req, res) => {
    res.json(lastDataOf(store, hostLists.of(req.params.host), unixSeconds(clock)));
  });

  // Label names and values of the series, for completing selectors.
  router.get('/labels', (_req, res) => {
    res.json({ labels: labelNames(configuredHosts, store) });
  });

  router.get('/labels/:name/values', (req, res) => {
    res.json({ label: req.params.name, values: labelValues(req.params.name, configuredHosts, store) });
  });

  // Built off the event loop: the request as data goes to a worker, the finished bytes come back.
  const answerQuery = (route: QueryRoute): RequestHandler<{ host: string }> => async (req, res) => {
    // A client that went away while its job waited leaves nobody to answer. Every answer ends with a
    // 'close' too: aborting then would make an AbortError, stack and all, per request for nothing.
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const gzip = req.method !== 'HEAD' && acceptsGzip(req.headers['accept-encoding']);
    const job: QueryJob = { route, host: req.params.host, query: req.query, nowMs: clock(), gzip };
    const key = answers?.enabled === true ? answerKey(job, { store, hostLists, clock }) : null;
    const kept = key === null ? undefined : answers?.answer(key);
    if (kept !== undefined) {
      sendAnswer(res, kept);
      return;
    }
    const build: StartBuild = async (signal, started) => {
      const answer = await queries.run({ ...job, keep: key !== null }, signal, started);
      if (key !== null) answers?.keep(key, answer);
      return answer;
    };
    const buildKey = key ?? (builds === undefined ? null : sameSecondKey(job, { store, hostLists }));
    if (builds === undefined || buildKey === null) {
      sendAnswer(res, await build(gone.signal, () => {}));
      return;
    }
    const shared = await builds.answer(buildKey, build, gone.signal);
    if (gone.signal.aborted) return;
    // A download asked in another second than the build's names its own range in its file name: it is built on its own.
    sendAnswer(res, shared ?? await queries.run(job, gone.signal));
  };
  router.get('/profile/:host/', answerQuery('profile'));
  router.get('/functions/:host/', answerQuery('functions'));
  router.get('/diff/:host/', answerQuery('diff'));
  // Off the main thread too: over a fleet's day it is some 1,500 range reads, 30-70 ms of the
  // event loop, whose garbage made V8 grow the main thread's young generation to its largest.
  router.get('/timeline/:host/', answerQuery('timeline'));

  return router;
}

/**
 * The worker's bytes as they are, through Node's own response: what res.send
 * would add (a charset, an ETag, a freshness check) is in the answer already
 * or not wanted (ETags are off), and the compression middleware, which set
 * Vary on every answer, leaves an encoded body alone.
 */
function sendAnswer(res: Response, answer: ViewAnswer): void {
  res.setHeader('Content-Type', answer.contentType);
  if (answer.contentDisposition !== undefined) res.setHeader('Content-Disposition', answer.contentDisposition);
  if (answer.contentEncoding !== undefined) res.setHeader('Content-Encoding', answer.contentEncoding);
  res.setHeader('Content-Length', answer.body.byteLength);
  res.end(answer.body);
}

/** A missing file is a JSON 404 naming it without its path; an aborted download is left alone. */
function sendFile(res: Response, next: NextFunction, path: string, headers: Record<string, string>): void {
  res.sendFile(path, { headers }, (error?: NodeJS.ErrnoException) => {
    if (!error || res.headersSent) return;
    next(error.code === 'ENOENT' ? new HttpError(404, `not installed: ${basename(path)}`) : error);
  });
}
