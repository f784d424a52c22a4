import express, { type RequestHandler, type Router } from 'express';
import type { Clock } from '../clock.js';
import type { StackStore } from '../store/stack-store.js';
import type { Metrics } from './metrics.js';

export interface OperabilityDeps {
  store: StackStore;
  metrics: Metrics;
  clock: Clock;
}

/** A health answer this recent is reused: a load balancer polling hard costs one store write a second. */
const HEALTH_FRESH_MS = 1000;

type Health = { status: 'ok' } | { status: 'unavailable'; reason: string };

/** `GET /healthz` for load balancers and supervisors, `GET /metrics` for Prometheus. */
export function operabilityRoutes(deps: OperabilityDeps): Router {
  const router = express.Router();
  let checking: Promise<Health> | null = null;
  let last: { health: Health; at: number } | null = null;

  const checkHealth = (): Promise<Health> => {
    if (last !== null && deps.clock() - last.at < HEALTH_FRESH_MS) return Promise.resolve(last.health);
    checking ??= deps.store
      .checkHealth()
      .then(
        (): Health => ({ status: 'ok' }),
        (error: unknown): Health => ({ status: 'unavailable', reason: `store check failed: ${error instanceof Error ? error.message : String(error)}` }),
      )
      .then((health) => {
        last = { health, at: deps.clock() };
        checking = null;
        return health;
      });
    return checking;
  };

  router.get('/healthz', async (_req, res) => {
    const health = await checkHealth();
    res.status(health.status === 'ok' ? 200 : 503).set('Cache-Control', 'no-store').json(health);
  });

  router.get('/metrics', async (_req, res) => {
    const { contentType, text } = await deps.metrics.exposition();
    res.type(contentType).set('Cache-Control', 'no-store').send(text);
  });

  return router;
}

/**
 * Times every request and reports it under its route's pattern once
 * answered; requests no route matched (and files) are reported as "other", so a
 * scan of random paths adds no label values.
 */
export function timeRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route === undefined ? 'other' : `${req.baseUrl}${String((req.route as { path: unknown }).path)}`;
      metrics.requestServed(route, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
