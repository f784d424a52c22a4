import express, { type Express, type RequestHandler } from 'express';
import type { Clock } from './clock.js';
import type { Collector } from './collector/collector.js';
import { collectorRoutes } from './collector/routes.js';
import type { Config } from './config/config.js';
import { HttpError, jsonErrorHandler } from './http-error.js';
import type { Logger } from './log.js';
import type { Metrics } from './operability/metrics.js';
import { operabilityRoutes, timeRequests } from './operability/routes.js';
import type { StackStore } from './store/stack-store.js';
import { visualizerRoutes } from './visualizer/routes.js';

export interface AppDeps {
  config: Config;
  store: StackStore;
  collector: Collector;
  log: Logger;
  clock: Clock;
  /** This server's own sampler, mounted first so it sees /liveprofiler before any route. */
  sampler: RequestHandler | null;
  metrics: Metrics;
}

/** The whole HTTP interface, built without listening so tests can drive it in-process. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags on JSON answers would hash every profile (hundreds of KB) for a
  // revalidation that never happens: ranges end at "now". Files keep theirs.
  app.set('etag', false);
  app.use(timeRequests(deps.metrics));
  if (deps.sampler) app.use(deps.sampler);
  app.use(
    collectorRoutes({
      collector: deps.collector,
      store: deps.store,
      log: deps.log,
      clock: deps.clock,
      secret: deps.config.collector.secret,
      maxBodyBytes: deps.config.collector.maxBodyBytes,
      metrics: deps.metrics,
    }),
  );
  app.use(operabilityRoutes({ store: deps.store, metrics: deps.metrics, clock: deps.clock }));
  app.use(
    visualizerRoutes({
      store: deps.store,
      configuredHosts: deps.config.collector.hosts.map((host) => host.name),
      clock: deps.clock,
    }),
  );
  app.use((req, _res, next) => next(new HttpError(404, `no route for ${req.method} ${req.path}`)));
  app.use(jsonErrorHandler(deps.log));
  return app;
}
