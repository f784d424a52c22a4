import express, { type Express, type RequestHandler } from 'express';
import type { Clock } from './clock.js';
import type { Collector } from './collector/collector.js';
import { collectorDisabledRoutes } from './collector/disabled-routes.js';
import { collectorRoutes } from './collector/routes.js';
import type { Config } from './config/config.js';
import { HttpError, jsonErrorHandler } from './http-error.js';
import { accessControl } from './http/access-control.js';
import { compressResponses } from './http/compression.js';
import { securityHeaders } from './http/security-headers.js';
import type { Logger } from './log.js';
import type { Metrics } from './operability/metrics.js';
import { operabilityRoutes, timeRequests } from './operability/routes.js';
import type { StackStore } from './store/stack-store.js';
import { AnswerCache } from './visualizer/answer-cache.js';
import { HostLists } from './visualizer/host-lists.js';
import { LastHourSamples } from './visualizer/last-hour-samples.js';
import type { QueryPool } from './visualizer/query-pool.js';
import { visualizerRoutes } from './visualizer/routes.js';
import { SharedBuilds } from './visualizer/shared-builds.js';
import { VENDOR_INLINE_STYLE_HASHES } from './visualizer/vendor-files.js';

export interface AppDeps {
  config: Config;
  store: StackStore;
  collector: Collector;
  log: Logger;
  clock: Clock;
  /** This server's own sampler, mounted first so it sees /liveprofiler before any route. */
  sampler: RequestHandler | null;
  metrics: Metrics;
  /** The worker threads that answer /profile, /functions and /diff. */
  queries: QueryPool;
}

/**
 * Routes outside `[server]` access control: the push and this server's own
 * sampler check their own secrets; health probes carry no credentials.
 */
const OPEN_PATHS = ['/ingest', '/liveprofiler', '/healthz'];

/** The whole HTTP interface, built without listening so tests can drive it in-process. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags on JSON answers would hash every profile (hundreds of KB) for a
  // revalidation that never happens: ranges end at "now". Files keep theirs.
  app.set('etag', false);
  app.use(securityHeaders(VENDOR_INLINE_STYLE_HASHES));
  app.use(timeRequests(deps.metrics));
  if (deps.sampler) app.use(deps.sampler);
  app.use(compressResponses());
  if (deps.config.server.access) app.use(accessControl(deps.config.server.access, OPEN_PATHS));
  app.use(
    deps.config.collector.enabled ? collectorRoutes({
      collector: deps.collector,
      store: deps.store,
      log: deps.log,
      clock: deps.clock,
      secret: deps.config.collector.secret,
      maxBodyBytes: deps.config.collector.maxBodyBytes,
      retentionSeconds: deps.config.global.retentionSeconds,
      maxStacks: deps.config.collector.maxStacks,
      metrics: deps.metrics,
      configuredHosts: deps.config.collector.hosts.map((host) => host.name),
    }) : collectorDisabledRoutes(),
  );
  app.use(operabilityRoutes({ store: deps.store, metrics: deps.metrics, clock: deps.clock }));
  app.use(
    visualizerRoutes({
      store: deps.store,
      configuredHosts: deps.config.collector.hosts.map((host) => host.name),
      clock: deps.clock,
      queries: deps.queries,
      // A read-only server's revisions never see the collecting process's writes: it keeps nothing.
      answers: new AnswerCache(deps.config.collector.enabled ? deps.config.store.answerCacheBytes : 0, deps.metrics),
      // Nor can it tell whether a build that has begun reading missed a write: it joins only queued ones.
      builds: new SharedBuilds({ joinStarted: deps.config.collector.enabled, metrics: deps.metrics }),
      hostLists: new HostLists(deps.config.collector.hosts.map((host) => host.name), deps.store, { ownWrites: deps.config.collector.enabled }),
      lastHour: new LastHourSamples(
        deps.store,
        deps.config.collector.enabled ? { ownWrites: true, retentionSeconds: deps.config.global.retentionSeconds } : { ownWrites: false },
      ),
    }),
  );
  app.use((req, _res, next) => next(new HttpError(404, `no route for ${req.method} ${req.path}`)));
  app.use(jsonErrorHandler(deps.log));
  return app;
}
